"""The sync's vocabularies, each spelled once: what a remote record is now, what a binding says about its
local record, and which kind of record a binding links.

They are ``StrEnum`` members, so they compare equal to their values: Odoo stores the values in selection
fields and SQL, and the models build those selections from ``SYNC_STATE_LABELS`` and ``RECORD_KIND_LABELS``.
"""

from __future__ import annotations

from enum import StrEnum


class RemoteState(StrEnum):
    """A pulled payment's state in the remote ledger, whatever the provider calls it.

    Each provider maps its own words once, in its mapping (Xero's ``AUTHORISED``/``DELETED``, QuickBooks'
    live, voided and deleted payments); the base registers ``ACTIVE`` payments and cancels the Odoo twin of
    a ``DELETED`` one.
    """

    ACTIVE = "active"  # money received, as the ledger holds it now
    DELETED = "deleted"  # deleted or voided remotely: the money was taken back
    CREDIT_APPLIED = "credit_applied"  # a credit applied to an invoice: no money moved, nothing to register
    ELSEWHERE = "elsewhere"  # money received into an account Odoo does not register payments from
    OTHER = "other"  # a state the provider has and the sync leaves alone


class SyncState(StrEnum):
    """Where a local record stands with the remote ledger (a binding's state; ``NONE``: no binding)."""

    NONE = "none"
    PENDING = "pending"
    SYNCED = "synced"
    ERROR = "error"
    VOIDED = "voided"


#: what the user reads for each state (the binding has no ``NONE``: a record without binding shows it)
SYNC_STATE_LABELS = {
    SyncState.NONE: "Not synced",
    SyncState.PENDING: "Pending",
    SyncState.SYNCED: "Synced",
    SyncState.ERROR: "Error",
    SyncState.VOIDED: "Voided",
}

#: states after which a record needs another try (the run's retry list)
RETRY_STATES = (SyncState.PENDING, SyncState.ERROR)
#: states in which the remote twin holds the version last pushed
DONE_STATES = (SyncState.SYNCED, SyncState.VOIDED)


class RecordKind(StrEnum):
    """Which kind of local record a binding links (and a provider pushes, voids or deletes)."""

    CONTACT = "contact"
    INVOICE = "invoice"
    BILL = "bill"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"


RECORD_KIND_LABELS = {
    RecordKind.CONTACT: "Contact",
    RecordKind.INVOICE: "Invoice",
    RecordKind.BILL: "Bill",
    RecordKind.CREDIT_NOTE: "Credit note",
    RecordKind.PAYMENT: "Payment",
}

#: the kinds that are documents (pushed, voided); the others are parties and payments
DOCUMENT_KINDS = (RecordKind.INVOICE, RecordKind.BILL, RecordKind.CREDIT_NOTE)
