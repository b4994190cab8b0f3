"""``QboClient``: the operations the sync needs against one QBO company (realm), on neutral records.

One client per realm and worker; clients of the same realm in one process share its rate limiters
(pass the same registries) and, through the ``TokenStore``, its tokens.  Every create carries a
``requestid`` derived from the record's idempotency key, so a retried create (after a timeout, a crash
or a 5xx) is answered from QBO's cache instead of creating a second document.  Single operations raise
``account_sync.engine.errors`` classes; batch operations return one ``ItemResult`` per record instead,
so one bad record never hides the others' outcome.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from decimal import Decimal

import requests
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.account import Account
from quickbooks.objects.bill import Bill as QboBill
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice as QboInvoice
from quickbooks.objects.taxcode import TaxCode
from quickbooks.objects.taxrate import TaxRate
from quickbooks.objects.vendor import Vendor

from account_sync.engine.clock import Clock, SystemClock
from account_sync.engine.errors import RemoteValidationError, SyncError
from account_sync.engine.idempotency import short
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.ratelimit import RateLimiterRegistry
from account_sync.engine.records import (
    Bill,
    Contact,
    CreditNote,
    Document,
    Invoice,
    ItemResult,
    Payment,
    RecordRef,
    RemoteAccount,
    RemoteTaxRate,
)
from account_sync.engine.tokens import TokenManager, TokenStore

from . import mapping as qmap
from .batching import batch_create, fault_codes, fault_messages
from .changes import ChangeReader
from .errors import DUPLICATE_NAME, code_of, translate
from .oauth import QboAuth
from .settings import API_LIMITS, BATCH_LIMITS, QUERY_PAGE, QboSettings
from .transport import Transport, open_session
from .updates import Updater

#: process-wide limiters on the real clock, shared by every client of a realm unless a test passes its own
DEFAULT_LIMITERS = RateLimiterRegistry(API_LIMITS)
DEFAULT_BATCH_LIMITERS = RateLimiterRegistry(BATCH_LIMITS)


def token_key(realm_id: str) -> str:
    return f"qbo:{realm_id}"


def request_id(ref: RecordRef, operation: str) -> str:
    """QBO's requestid for this record version and operation (kept short: QBO limits its length).

    >>> key = request_id(RecordRef("account.move", 42, "2026-11-02 10:00:00"), "create")
    >>> len(key), key == request_id(RecordRef("account.move", 42, "2026-11-02 10:00:00"), "create")
    (36, True)
    """
    return short(ref.idempotency_key(operation))


class QboClient:
    def __init__(
        self,
        settings: QboSettings,
        realm_id: str,
        token_store: TokenStore,
        *,
        accounts: AccountMapping | None = None,
        clock: Clock | None = None,
        limiters: RateLimiterRegistry | None = None,
        batch_limiters: RateLimiterRegistry | None = None,
        auth: QboAuth | None = None,
        http: requests.Session | None = None,
        rng: random.Random | None = None,
    ):
        self.settings = settings
        self.realm_id = realm_id
        self.accounts = accounts or AccountMapping()
        self.clock = clock or SystemClock()
        self.auth = auth or QboAuth(settings, self.clock)
        self.tokens = TokenManager(token_store, token_key(realm_id), self.auth.refresh, self.clock)
        self.transport = Transport(
            settings,
            self.tokens,
            (limiters or DEFAULT_LIMITERS).get(realm_id),
            (batch_limiters or DEFAULT_BATCH_LIMITERS).get(realm_id),
            self.clock,
            http,
            rng,
        )
        self.qb = open_session(settings, realm_id, self.transport)
        self.updater = Updater(self.qb, settings.max_conflict_retries)
        self.changes = ChangeReader(self.qb, self.clock)
        self._party_ids: dict[tuple[str, str, object], str] = {}

    # --- contacts ------------------------------------------------------------------------------------

    def push_customer(self, contact: Contact) -> str:
        """QBO id of the customer for ``contact``: updated, created, or bound to the one bearing its name."""
        return self._push_party(contact, Customer, qmap.customer_from)

    def push_vendor(self, contact: Contact) -> str:
        return self._push_party(contact, Vendor, qmap.vendor_from)

    def push_customers(self, contacts: Sequence[Contact]) -> list[ItemResult]:
        """Create many customers in batches; a name QBO already has (6240) binds to that customer."""
        fresh = [contact for contact in contacts if not contact.remote_id]
        keyed = [(request_id(contact.ref, "create"), qmap.customer_from(contact)) for contact in fresh]
        outcome = batch_create(self.qb, keyed) if keyed else {}
        results = []
        for contact in contacts:
            if contact.remote_id:
                results.append(ItemResult(contact.ref, True, contact.remote_id))
                continue
            answer = outcome[request_id(contact.ref, "create")]
            if hasattr(answer, "Error") and DUPLICATE_NAME in fault_codes(answer):
                remote_id = self._bind_existing(Customer, contact)
                results.append(ItemResult(contact.ref, True, remote_id, warnings=("bound to the existing customer",)))
            elif hasattr(answer, "Error"):
                results.append(ItemResult(contact.ref, False, errors=fault_messages(answer)))
            else:
                results.append(ItemResult(contact.ref, True, answer.Id))
            if results[-1].ok:
                self._party_ids[self._party_key(Customer, contact)] = results[-1].remote_id
        return results

    def _push_party(self, contact: Contact, cls, build: Callable) -> str:
        desired = build(contact)
        if contact.remote_id:
            self.updater.update(desired, contact.remote_id, qmap.PARTY_FIELDS, contact.ref.idempotency_key("update"))
            remote_id = contact.remote_id
        else:
            try:
                remote_id = desired.save(qb=self.qb, request_id=request_id(contact.ref, "create")).Id
            except QuickbooksException as exc:
                if code_of(exc) != DUPLICATE_NAME:
                    raise translate(exc, f"create {cls.qbo_object_name} {contact.name!r}") from exc
                remote_id = self._bind_existing(cls, contact)
        self._party_ids[self._party_key(cls, contact)] = remote_id
        return remote_id

    def _bind_existing(self, cls, contact: Contact) -> str:
        """The 6240 answer does not say who holds the name: look it up, inactive ones included."""
        name = qmap.display_name(contact)
        escaped = name.replace("\\", "\\\\").replace("'", "\\'")
        where = f"DisplayName = '{escaped}' AND Active IN (true, false)"
        try:
            found = cls.where(where, qb=self.qb)
        except QuickbooksException as exc:
            raise translate(exc, f"look up {cls.qbo_object_name} {name!r}") from exc
        if not found:
            raise RemoteValidationError(
                f"QBO says the name {name!r} is taken, but no {cls.qbo_object_name} has it: another customer, "
                "vendor or employee uses it; rename one of them",
                (f"duplicate name {name!r}",),
            )
        existing = found[0]
        if not existing.Active:  # a deleted (inactive) customer comes back rather than blocking the sync
            reactivate = cls()
            reactivate.Active = True
            self.updater.update(reactivate, existing.Id, ("Active",), contact.ref.idempotency_key("reactivate"))
        return existing.Id

    @staticmethod
    def _party_key(cls, contact: Contact) -> tuple[str, str, object]:
        return cls.qbo_object_name, contact.ref.model, contact.ref.id

    # --- documents -----------------------------------------------------------------------------------

    def _customer_id(self, contact: Contact) -> str:
        """A document's customer: its known id as is (pushing a document never rewrites the customer)."""
        return (
            contact.remote_id or self._party_ids.get(self._party_key(Customer, contact)) or self.push_customer(contact)
        )

    def _vendor_id(self, contact: Contact) -> str:
        return contact.remote_id or self._party_ids.get(self._party_key(Vendor, contact)) or self.push_vendor(contact)

    def push_invoice(self, invoice: Invoice) -> ItemResult:
        customer_id = self._customer_id(invoice.contact)
        return self._push_document(invoice, qmap.invoice_from(invoice, customer_id, self.settings, self.accounts))

    def push_credit_note(self, note: CreditNote) -> ItemResult:
        """A customer credit note becomes a CreditMemo, a supplier one a VendorCredit.

        Allocations to invoices are not pushed (QBO applies credit through a Payment linking both).
        """
        if note.supplier:
            vendor_id = self._vendor_id(note.contact)
            return self._push_document(note, qmap.vendor_credit_from(note, vendor_id, self.accounts))
        customer_id = self._customer_id(note.contact)
        return self._push_document(note, qmap.credit_memo_from(note, customer_id, self.settings, self.accounts))

    def push_bill(self, bill: Bill) -> ItemResult:
        vendor_id = self._vendor_id(bill.contact)
        return self._push_document(bill, qmap.bill_from(bill, vendor_id, self.accounts))

    def _push_document(self, document: Document, desired) -> ItemResult:
        name = desired.qbo_object_name
        if document.remote_id:
            saved = self.updater.update(
                desired, document.remote_id, qmap.DOCUMENT_FIELDS, document.ref.idempotency_key("update")
            )
        else:
            try:
                saved = desired.save(qb=self.qb, request_id=request_id(document.ref, "create"))
            except QuickbooksException as exc:
                raise translate(exc, f"create {name} for {document.ref.model} {document.ref.id}") from exc
        return ItemResult(document.ref, True, saved.Id, getattr(saved, "DocNumber", "") or "")

    def push_invoices(self, invoices: Sequence[Invoice]) -> list[ItemResult]:
        """New invoices go in batches of 30 (their customers first, also batched); known ones are updated."""
        contacts = {(inv.contact.ref.model, inv.contact.ref.id): inv.contact for inv in invoices if not inv.remote_id}
        customer_ids = {}
        customer_errors = {}
        for result in self.push_customers(list(contacts.values())):
            target = customer_ids if result.ok else customer_errors
            target[(result.ref.model, result.ref.id)] = result.remote_id if result.ok else result.errors
        results: dict[str, ItemResult] = {}
        keyed = []
        for invoice in invoices:
            key = request_id(invoice.ref, "create")
            contact_key = (invoice.contact.ref.model, invoice.contact.ref.id)
            if invoice.remote_id:
                results[key] = self._safely(invoice.ref, lambda inv=invoice: self.push_invoice(inv))
            elif contact_key in customer_errors:
                results[key] = ItemResult(invoice.ref, False, errors=("customer:",) + customer_errors[contact_key])
            else:
                try:
                    desired = qmap.invoice_from(invoice, customer_ids[contact_key], self.settings, self.accounts)
                except SyncError as exc:  # a mapping gap fails this record only
                    results[key] = ItemResult(invoice.ref, False, errors=(str(exc),))
                    continue
                keyed.append((key, desired))
        refs = {request_id(invoice.ref, "create"): invoice.ref for invoice in invoices}
        for key, answer in (batch_create(self.qb, keyed) if keyed else {}).items():
            ref = refs[key]
            if hasattr(answer, "Error"):
                results[key] = ItemResult(ref, False, errors=fault_messages(answer))
            else:
                results[key] = ItemResult(ref, True, answer.Id, answer.DocNumber or "")
        return [results[request_id(invoice.ref, "create")] for invoice in invoices]

    @staticmethod
    def _safely(ref: RecordRef, action: Callable[[], ItemResult]) -> ItemResult:
        try:
            return action()
        except SyncError as exc:  # reported per record, like a batch fault
            return ItemResult(ref, False, errors=(str(exc),))

    def void_invoice(self, remote_id: str, ref: RecordRef) -> None:
        self.updater.void(QboInvoice, remote_id, ref.idempotency_key("void"))

    # --- payments ------------------------------------------------------------------------------------

    def push_payment(self, payment: Payment) -> ItemResult:
        """A customer payment on an invoice (or the refund of a credit memo when ``on_credit_note``)."""
        document_cls = CreditMemo if payment.on_credit_note else QboInvoice
        document = self.updater.read(document_cls, payment.document_remote_id)
        desired = qmap.customer_payment_from(payment, document.CustomerRef.value, self.accounts)
        return self._create_payment(payment, desired)

    def push_bill_payment(self, payment: Payment) -> ItemResult:
        bill = self.updater.read(QboBill, payment.document_remote_id)
        desired = qmap.bill_payment_from(payment, bill.VendorRef.value, self.accounts)
        return self._create_payment(payment, desired)

    def _create_payment(self, payment: Payment, desired) -> ItemResult:
        if payment.ref is None:
            raise ValueError("a pushed payment needs its local RecordRef (idempotency)")
        try:
            saved = desired.save(qb=self.qb, request_id=request_id(payment.ref, "create"))
        except QuickbooksException as exc:
            raise translate(exc, f"create {desired.qbo_object_name} for {payment.ref.model} {payment.ref.id}") from exc
        return ItemResult(payment.ref, True, saved.Id)

    def pull_payments(self, since: dt.datetime) -> list[Payment]:
        """Customer payments created, changed, voided or deleted since ``since`` (one record per paid document)."""
        return [record for row in self.changes.since("Payment", since) for record in qmap.payments_to_records(row)]

    # --- chart of accounts and taxes -----------------------------------------------------------------

    def list_accounts(self) -> list[RemoteAccount]:
        return [qmap.account_to_record(row) for row in self._all(Account, active_too=True)]

    def list_tax_rates(self, purchase: bool = False) -> list[RemoteTaxRate]:
        rates = {str(rate.Id): Decimal(str(rate.RateValue or 0)) for rate in self._all(TaxRate)}
        return [qmap.tax_code_to_record(code, rates, purchase) for code in self._all(TaxCode)]

    def _all(self, cls, active_too: bool = False) -> list:
        rows, start = [], 1
        where = "Active IN (true, false)" if active_too else ""
        while True:
            try:
                page = cls.where(where, start_position=start, max_results=QUERY_PAGE, qb=self.qb)
            except QuickbooksException as exc:
                raise translate(exc, f"list {cls.qbo_object_name}") from exc
            rows.extend(page)
            if len(page) < QUERY_PAGE:
                return rows
            start += QUERY_PAGE
