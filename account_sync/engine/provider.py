"""What an accounting provider's engine client must offer the sync, and the order the sync pushes in.

The Odoo layer talks to Xero, QuickBooks (and any later provider) only through ``Provider``: neutral
records in (``records``), one ``ItemResult`` per record out, in input order, so one bad record never
hides the others' outcome.  A refusal of one record is a failed result; only what stops the whole run
raises (``ReconnectRequired``, ``TransientError``).  What differs between providers and matters to the
run (batch sizes, request size, whether customers and suppliers are separate lists) is data:
``Capabilities``.

The order is decided here, once: contacts before the documents that name them, invoices and bills before
the credit notes allocated to them, documents before their payments (``push_plan``, ``contacts_first``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from .batching import chunks
from .errors import ReconnectRequired, SyncError, TransientError
from .records import (
    Contact,
    CreditNote,
    Document,
    ItemResult,
    Payment,
    RecordRef,
    RemoteAccount,
    RemoteTaxRate,
)
from .states import RecordKind


@dataclass(frozen=True)
class Capabilities:
    """What a provider allows, as the sync needs to know it.

    ``batch_size``: records handed to one push call; the run records and commits each batch before the
    next, so a batch is also what a failure later in the run can no longer lose.
    ``max_request_bytes``: the provider's request body limit (its client cuts batches under it), None
    when it has none worth knowing.
    ``separate_supplier_contacts``: customers and suppliers are separate remote lists (QuickBooks'
    Customer and Vendor), so a partner on both sides is pushed once per side.
    ``first_pull_days``: how far back the first pull of payments looks; None: everything.
    """

    batch_size: int
    max_request_bytes: int | None = None
    separate_supplier_contacts: bool = False
    first_pull_days: int | None = None


@runtime_checkable
class Provider(Protocol):
    """An engine client of one remote ledger (a Xero organisation, a QuickBooks company).

    Every push returns one ``ItemResult`` per input record, in order; a successful result carries the
    remote id (``remote_id`` is also set on the pushed record, so later records of the same run link to
    it).  ``void`` and ``delete_payment`` answer an ``ItemResult`` too: done (also when the remote record
    was gone already) or refused, with the reason.
    """

    capabilities: Capabilities

    def push_contacts(self, contacts: Sequence[Contact]) -> list[ItemResult]:
        """Create unlinked contacts, update linked ones (a supplier-only contact is a supplier remotely)."""
        ...

    def push_documents(self, documents: Sequence[Document]) -> list[ItemResult]:
        """Invoices, bills and credit notes, created or updated; their unlinked contacts first."""
        ...

    def push_payments(self, payments: Sequence[Payment]) -> list[ItemResult]:
        """Payments of documents already pushed (``document_remote_id``)."""
        ...

    def void(self, remote_id: str, ref: RecordRef, kind: RecordKind, supplier: bool | None) -> ItemResult:
        """Cancel a pushed document of ``kind`` (voided, or deleted where the provider cannot void it).

        ``supplier``: a supplier credit note (None when the local record is gone and nobody knows)."""
        ...

    def delete_payment(self, remote_id: str, ref: RecordRef, supplier: bool = False) -> ItemResult:
        """Delete (reverse) a payment pushed or pulled earlier; ``supplier``: a payment of a bill."""
        ...

    def pull_payments(self, since: dt.datetime | None) -> list[Payment]:
        """Payments changed remotely since ``since`` (UTC; None: as far back as ``first_pull_days``), with
        their ``RemoteState``."""
        ...

    def pull_contacts(self) -> list[Contact]:
        """The remote customers, for the import."""
        ...

    def list_accounts(self) -> list[RemoteAccount]: ...

    def list_tax_rates(self) -> list[RemoteTaxRate]: ...


# --- the order -----------------------------------------------------------------------------------------


class Phase(StrEnum):
    """The steps of a push, in the order they run."""

    CONTACTS = "contacts"
    DOCUMENTS = "documents"  # invoices and bills
    CREDIT_NOTES = "credit_notes"  # after the invoices they are allocated to
    PAYMENTS = "payments"  # after the documents they pay


PHASE_ORDER = tuple(Phase)


@dataclass(frozen=True)
class Step:
    """One provider call of a push: the phase and its records (at most ``batch_size``)."""

    phase: Phase
    records: tuple


def phase_of(record: Contact | Document | Payment) -> Phase:
    if isinstance(record, Contact):
        return Phase.CONTACTS
    if isinstance(record, CreditNote):
        return Phase.CREDIT_NOTES
    if isinstance(record, Payment):
        return Phase.PAYMENTS
    return Phase.DOCUMENTS


def contact_key(document: Document, capabilities: Capabilities) -> tuple:
    """Which remote party a document's contact is: one per partner, or per partner and side when the
    provider keeps customers and suppliers apart."""
    key = (document.contact.ref.model, document.contact.ref.id)
    return (*key, document.purchase) if capabilities.separate_supplier_contacts else key


def unlinked_contacts(documents: Sequence[Document], capabilities: Capabilities) -> dict[tuple, Contact]:
    """The distinct contacts of ``documents`` that have no remote id yet, in order of first use, keyed by
    ``contact_key``; a contact of a purchase document is marked a supplier (and not a customer)."""
    pending: dict[tuple, Contact] = {}
    for doc in documents:
        if not doc.contact.remote_id:
            key = contact_key(doc, capabilities)
            if key not in pending and doc.purchase:
                doc.contact.is_supplier, doc.contact.is_customer = True, False
            pending.setdefault(key, doc.contact)
    return pending


def contacts_first(
    documents: Sequence[Document],
    push_contacts: Callable[[Sequence[Contact]], list[ItemResult]],
    capabilities: Capabilities,
) -> dict[tuple, ItemResult]:
    """Push each distinct unlinked contact of ``documents`` once, before them, and link every document's
    contact copy to its remote id.  Returns the failures, keyed by ``contact_key``, so the documents of a
    refused contact fail with its reason instead of being sent."""
    pending = unlinked_contacts(documents, capabilities)
    if not pending:
        return {}
    results = push_contacts(list(pending.values()))
    linked = {
        key: contact.remote_id or result.remote_id
        for (key, contact), result in zip(pending.items(), results, strict=True)
    }
    for doc in documents:  # two documents may carry two copies of the same partner
        remote_id = linked.get(contact_key(doc, capabilities))
        if remote_id and not doc.contact.remote_id:
            doc.contact.remote_id = remote_id
    return {key: result for key, result in zip(pending, results, strict=True) if not result.ok}


def push_plan(records: Sequence[Contact | Document | Payment], capabilities: Capabilities) -> list[Step]:
    """The provider calls that push ``records``: by phase (``PHASE_ORDER``: contacts, invoices and bills,
    credit notes, payments), each phase in batches of ``capabilities.batch_size``, records of a phase in
    their given order.  The contacts phase holds the documents' unlinked contacts (``unlinked_contacts``)
    besides any contact given.

    >>> from account_sync.engine.records import Invoice, CreditNote, Contact, RecordRef
    >>> import datetime
    >>> c = Contact(ref=RecordRef("res.partner", 1), name="A")
    >>> doc = lambda cls, n: cls(ref=RecordRef("account.move", n), contact=c, date=datetime.date(2026, 1, 1), lines=[])
    >>> steps = push_plan([doc(CreditNote, 3), doc(Invoice, 1), doc(Invoice, 2)], Capabilities(batch_size=1))
    >>> [(s.phase.value, [r.ref.id for r in s.records]) for s in steps]
    [('contacts', [1]), ('documents', [1]), ('documents', [2]), ('credit_notes', [3])]
    """
    by_phase: dict[Phase, list] = {phase: [] for phase in PHASE_ORDER}
    for record in records:
        by_phase[phase_of(record)].append(record)
    documents = by_phase[Phase.DOCUMENTS] + by_phase[Phase.CREDIT_NOTES]
    known = {(c.ref.model, c.ref.id) for c in by_phase[Phase.CONTACTS]}
    for contact in unlinked_contacts(documents, capabilities).values():
        if (contact.ref.model, contact.ref.id) not in known or capabilities.separate_supplier_contacts:
            by_phase[Phase.CONTACTS].append(contact)
            known.add((contact.ref.model, contact.ref.id))
    return [
        Step(phase, tuple(batch)) for phase in PHASE_ORDER for batch in chunks(by_phase[phase], capabilities.batch_size)
    ]


# --- one record's outcome --------------------------------------------------------------------------------


def outcome(ref: RecordRef | None, action: Callable[[], object], remote_id: str | None = None) -> ItemResult:
    """Run a one-record operation (a void, a delete, a single push) as a result: what it returns when it
    is an ``ItemResult``, done otherwise; a refusal (``SyncError``) is a failed result naming the reason.
    A lost grant or a passing failure still raises: they stop the run, not the record."""
    try:
        answer = action()
    except (ReconnectRequired, TransientError):
        raise
    except SyncError as exc:
        return ItemResult(ref, False, remote_id, errors=(str(exc),))
    return answer if isinstance(answer, ItemResult) else ItemResult(ref, True, remote_id)
