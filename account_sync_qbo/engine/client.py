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
from dataclasses import replace
from decimal import Decimal

import requests
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.account import Account
from quickbooks.objects.bill import Bill as QboBill
from quickbooks.objects.billpayment import BillPayment
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice as QboInvoice
from quickbooks.objects.item import Item
from quickbooks.objects.payment import Payment as QboPayment
from quickbooks.objects.paymentmethod import PaymentMethod
from quickbooks.objects.taxcode import TaxCode
from quickbooks.objects.taxrate import TaxRate
from quickbooks.objects.vendor import Vendor
from quickbooks.objects.vendorcredit import VendorCredit

from account_sync.engine.clock import Clock, SystemClock
from account_sync.engine.errors import RemoteNotFound, RemoteValidationError, SyncError, TransientError
from account_sync.engine.idempotency import short
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.provider import Capabilities, contact_key, contacts_first, outcome
from account_sync.engine.ratelimit import RateLimiterRegistry
from account_sync.engine.records import (
    Allocation,
    Bill,
    Contact,
    CreditNote,
    Document,
    DuplicateNumber,
    Invoice,
    ItemResult,
    Payment,
    RecordRef,
    RemoteAccount,
    RemoteTaxRate,
)
from account_sync.engine.states import RecordKind, RemoteState
from account_sync.engine.tokens import TokenManager, TokenStore

from . import mapping as qmap
from .batching import batch_create, fault_codes, fault_messages
from .changes import ChangeReader
from .errors import DUPLICATE_NAME, DUPLICATE_NUMBER, code_of, translate
from .oauth import QboAuth
from .settings import API_LIMITS, BATCH_LIMITS, CDC_MAX_DAYS, MAX_BATCH_ITEMS, QUERY_PAGE, QboSettings
from .transport import Transport, open_session
from .updates import Updater, is_voided

#: how each party list is built from a neutral contact, and what a disambiguated name calls it
PARTY_BUILDERS = {"Customer": (qmap.customer_from, "customer"), "Vendor": (qmap.vendor_from, "vendor")}

#: process-wide limiters on the real clock, shared by every client of a realm unless a test passes its own
DEFAULT_LIMITERS = RateLimiterRegistry(API_LIMITS)
DEFAULT_BATCH_LIMITERS = RateLimiterRegistry(BATCH_LIMITS)

#: supplier payments are known as ``BillPayment:<id>``: QuickBooks numbers each list apart, so a customer
#: Payment deleted in QuickBooks must never match a supplier payment that has the same bare id
BILL_PAYMENT = "BillPayment:"

#: customers and vendors are separate lists; the first pull looks back as far as change data capture allows
CAPABILITIES = Capabilities(
    batch_size=MAX_BATCH_ITEMS, separate_supplier_contacts=True, first_pull_days=CDC_MAX_DAYS - 1
)


def payment_id(remote_id: str) -> tuple[bool, str]:
    """(supplier, QuickBooks id) of a pushed payment: ``BillPayment:7`` is (True, "7"), ``7`` is (False, "7")."""
    if remote_id.startswith(BILL_PAYMENT):
        return True, remote_id[len(BILL_PAYMENT) :]
    return False, remote_id


def token_key(realm_id: str) -> str:
    return f"qbo:{realm_id}"


def request_id(ref: RecordRef, operation: str) -> str:
    """QBO's requestid for this record version and operation (kept short: QBO limits its length).

    >>> key = request_id(RecordRef("account.move", 42, "2026-11-02 10:00:00"), "create")
    >>> len(key), key == request_id(RecordRef("account.move", 42, "2026-11-02 10:00:00"), "create")
    (36, True)
    """
    return short(ref.idempotency_key(operation))


def _ref_value(row, field: str) -> str:
    reference = getattr(row, field, None)
    value = reference.get("value") if isinstance(reference, dict) else getattr(reference, "value", None)
    return str(value or "")


def _net_total(row) -> Decimal:
    """Sum of a document's item or account lines (net of tax; subtotal and description lines aside)."""
    total = Decimal(0)
    for line in getattr(row, "Line", None) or []:
        kind = line.get("DetailType") if isinstance(line, dict) else line.DetailType
        amount = line.get("Amount") if isinstance(line, dict) else line.Amount
        if kind in ("SalesItemLineDetail", "AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail"):
            total += Decimal(str(amount or 0)).quantize(Decimal("0.01"))
    return total


class QboClient:
    """One QuickBooks company (realm), as the sync's ``Provider``: neutral records in, ``ItemResult`` out."""

    capabilities = CAPABILITIES

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
        self._card_method: str | None = None
        self._income_items: dict[str, str] | None = None  # QBO income account id -> Item id

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
                try:
                    remote_id = self._bind_existing(Customer, contact)
                except TransientError:
                    raise
                except SyncError as exc:  # both names taken: this customer fails, the batch goes on
                    results.append(ItemResult(contact.ref, False, errors=(str(exc),)))
                    continue
                results.append(ItemResult(contact.ref, True, remote_id, warnings=("bound to the existing customer",)))
            elif hasattr(answer, "Error"):
                results.append(ItemResult(contact.ref, False, errors=fault_messages(answer)))
            else:
                results.append(ItemResult(contact.ref, True, answer.Id))
            if results[-1].ok:
                self._party_ids[self._party_key(Customer, contact)] = results[-1].remote_id
        return results

    def push_contacts(self, contacts: Sequence[Contact]) -> list[ItemResult]:
        """Customers in batches (``push_customers``), then each supplier-only contact as a vendor."""
        customers = [(i, c) for i, c in enumerate(contacts) if c.is_customer or not c.is_supplier]
        vendors = [(i, c) for i, c in enumerate(contacts) if not (c.is_customer or not c.is_supplier)]
        results = {}
        if customers:
            pushed = self.push_customers([c for _i, c in customers])
            results.update(zip([i for i, _c in customers], pushed, strict=True))
        for index, contact in vendors:
            results[index] = outcome(contact.ref, lambda c=contact: self._vendor_result(c))
        return [results[i] for i in range(len(contacts))]

    def _vendor_result(self, contact: Contact) -> ItemResult:
        contact.remote_id = self.push_vendor(contact)
        return ItemResult(contact.ref, True, contact.remote_id)

    def _push_party(self, contact: Contact, cls, build: Callable) -> str:
        desired = build(contact)
        if contact.remote_id:
            self.updater.update(desired, contact.remote_id, qmap.PARTY_FIELDS, contact.ref.idempotency_key("update"))
            remote_id = contact.remote_id
        else:
            try:
                # a partner may be a customer and a vendor: each list gets its own requestid, or QBO would
                # answer the vendor's create with the customer it cached for the same key
                operation = "create" if cls is Customer else f"create-{cls.qbo_object_name.lower()}"
                remote_id = desired.save(qb=self.qb, request_id=request_id(contact.ref, operation)).Id
            except QuickbooksException as exc:
                if code_of(exc) != DUPLICATE_NAME:
                    raise translate(exc, f"create {cls.qbo_object_name} {contact.name!r}") from exc
                remote_id = self._bind_existing(cls, contact)
        self._party_ids[self._party_key(cls, contact)] = remote_id
        return remote_id

    def _find_by_name(self, cls, name: str, where_name: str = "DisplayName"):
        escaped = name.replace("\\", "\\\\").replace("'", "\\'")
        where = f"{where_name} = '{escaped}' AND Active IN (true, false)"
        try:
            found = cls.where(where, qb=self.qb)
        except QuickbooksException as exc:
            raise translate(exc, f"look up {cls.qbo_object_name} {name!r}") from exc
        return found[0] if found else None

    def _bind_existing(self, cls, contact: Contact) -> str:
        """The 6240 answer does not say who holds the name: look it up, inactive ones included.

        A name held by a party of another list (the partner is a vendor already, and now a customer too)
        is disambiguated: the new party is created as "Name (customer)" / "Name (vendor)", or bound to the
        one already bearing that name, so the sync never fails on it run after run.
        """
        existing = self._find_by_name(cls, qmap.display_name(contact))
        if existing is None:
            return self._create_disambiguated(cls, contact)
        self._reactivate(cls, existing, contact)
        return existing.Id

    def _create_disambiguated(self, cls, contact: Contact) -> str:
        build, role = PARTY_BUILDERS[cls.qbo_object_name]
        name = qmap.disambiguated(contact, role)
        existing = self._find_by_name(cls, name)
        if existing is not None:
            self._reactivate(cls, existing, contact)
            return existing.Id
        desired = build(contact)
        desired.DisplayName = name
        try:
            return desired.save(qb=self.qb, request_id=request_id(contact.ref, f"create-disambiguated-{role}")).Id
        except QuickbooksException as exc:
            if code_of(exc) == DUPLICATE_NAME:
                raise RemoteValidationError(
                    f"QBO says the names {qmap.display_name(contact)!r} and {name!r} are both taken by other "
                    "customers, vendors or employees; rename one of them",
                    (f"duplicate name {name!r}",),
                ) from exc
            raise translate(exc, f"create {cls.qbo_object_name} {name!r}") from exc

    def _reactivate(self, cls, existing, contact: Contact) -> None:
        if not existing.Active:  # a deleted (inactive) customer comes back rather than blocking the sync
            reactivate = cls()
            reactivate.Active = True
            self.updater.update(reactivate, existing.Id, ("Active",), contact.ref.idempotency_key("reactivate"))

    def pull_contacts(self) -> list[Contact]:
        """Every active customer, for the import (pages of ``settings.query_page``)."""
        return self.pull_customers(page=self.settings.query_page)

    def pull_customers(self, page: int = QUERY_PAGE) -> list[Contact]:
        """Every active customer, paged (STARTPOSITION/MAXRESULTS), as neutral contacts for the import."""
        return [qmap.customer_to_contact(row) for row in self._all(Customer, page=page)]

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

    def push_invoice(self, invoice: Invoice, lead_source: str = "") -> ItemResult:
        customer_id = self._customer_id(invoice.contact)
        items = self.income_items(invoice)
        desired = qmap.invoice_from(invoice, customer_id, self.settings, self.accounts, lead_source, items)
        return self._push_document(invoice, desired)

    def income_items(self, document: Document) -> dict[str, str]:
        """Local income account code -> the QBO Item posting to it, for the document's sales lines.

        QBO sales lines name an Item, and the Item's income account is where QBO posts: a line goes to the
        account the base resolved (surcharge, product, job type, defaults) through an Item of that account,
        the first QBO has, or one created for it (a Service item named after the account).
        """
        codes = {line.account_code for line in document.lines if line.account_code}
        return {code: self.income_item(self.accounts.account(code)) for code in sorted(codes)}

    def income_item(self, account_id: str) -> str:
        if self._income_items is None:
            self._income_items = {}
            for row in sorted(self._all(Item), key=lambda item: int(item.Id)):
                account = getattr(row, "IncomeAccountRef", None)
                if account is not None and account.value and row.Type in ("Service", "NonInventory"):
                    self._income_items.setdefault(str(account.value), str(row.Id))
        if account_id not in self._income_items:
            self._income_items[account_id] = self._create_income_item(account_id)
        return self._income_items[account_id]

    def _create_income_item(self, account_id: str) -> str:
        account = self.updater.read(Account, account_id)
        item = Item()
        item.Name = f"{account.Name} ({account.AcctNum or account.Id})"[:100]
        item.Type = "Service"
        item.IncomeAccountRef = qmap.ref(account_id)
        try:
            return str(item.save(qb=self.qb, request_id=short(f"income-item-{self.realm_id}-{account_id}")).Id)
        except QuickbooksException as exc:
            if code_of(exc) != DUPLICATE_NAME:
                raise translate(exc, f"create an item for income account {account_id}") from exc
        existing = self._find_by_name(Item, item.Name, where_name="Name")
        if existing is None or str(getattr(existing.IncomeAccountRef, "value", "")) != account_id:
            raise RemoteValidationError(
                f"QBO has an item named {item.Name!r} posting to another account; rename it",
                (f"duplicate item name {item.Name!r}",),
            )
        return str(existing.Id)

    def push_credit_note(self, note: CreditNote) -> ItemResult:
        """A customer credit note becomes a CreditMemo, a supplier one a VendorCredit.

        A new credit memo with allocations is then applied to those invoices (``apply_credit``); if QBO
        refuses an application the memo stays pushed and the result carries a warning.
        """
        if note.supplier:
            vendor_id = self._vendor_id(note.contact)
            return self._push_document(note, qmap.vendor_credit_from(note, vendor_id, self.accounts))
        customer_id = self._customer_id(note.contact)
        created = not note.remote_id
        memo = qmap.credit_memo_from(note, customer_id, self.settings, self.accounts, self.income_items(note))
        result = self._push_document(note, memo)
        if not (result.ok and created and note.allocations):
            return result
        warnings = []
        for allocation in note.allocations:
            try:
                self.apply_credit(note, result.remote_id, allocation)
            except TransientError:
                raise  # the memo's create is replayed by its requestid on the next run, then applied again
            except SyncError as exc:
                warnings.append(f"credit not applied to invoice {allocation.invoice_remote_id}: {exc}")
        return ItemResult(result.ref, True, result.remote_id, result.number, warnings=tuple(warnings))

    def apply_credit(self, note: CreditNote, memo_id: str, allocation: Allocation) -> str | None:
        """Apply credit memo ``memo_id`` to an invoice; the QBO id of the (zero) payment doing it.

        The amount is capped by what the invoice still owes and what the memo has left (either may have
        moved in QBO); nothing left to apply is not an error and returns None.
        """
        memo = self.updater.read(CreditMemo, memo_id)
        invoice = self.updater.read(QboInvoice, allocation.invoice_remote_id)
        if invoice.CustomerRef.value != memo.CustomerRef.value:
            raise RemoteValidationError(
                f"credit memo {memo_id} and invoice {invoice.Id} belong to different customers",
                ("customer mismatch",),
            )
        credit = Decimal(str(memo.RemainingCredit if memo.RemainingCredit is not None else memo.Balance or 0))
        amount = min(Decimal(allocation.amount), Decimal(str(invoice.Balance or 0)), credit)
        if amount <= 0:
            return None
        desired = qmap.credit_application_from(
            memo.CustomerRef.value, invoice.Id, memo_id, amount, allocation.date or note.date
        )
        key = request_id(replace(note.ref, version=f"{note.ref.version}-{invoice.Id}"), "apply-credit")
        try:
            return desired.save(qb=self.qb, request_id=key).Id
        except QuickbooksException as exc:
            raise translate(exc, f"apply credit memo {memo_id} to invoice {invoice.Id}") from exc

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
                if code_of(exc) == DUPLICATE_NUMBER:
                    return self.duplicate_number(document, desired)
                raise translate(exc, f"create {name} for {document.ref.model} {document.ref.id}") from exc
        return ItemResult(document.ref, True, saved.Id, getattr(saved, "DocNumber", "") or "")

    def duplicate_number(self, document: Document, desired) -> ItemResult:
        """QuickBooks refused the document's number (6140): never retried as is; the result names the
        document holding the number, whether it is this one (same party, date and amount: bind to it), and
        a free number to push under instead (``DuplicateNumber``), for the user to choose."""
        cls, number = type(desired), desired.DocNumber
        party_field = "VendorRef" if getattr(desired, "VendorRef", None) else "CustomerRef"
        party = getattr(desired, party_field).value
        holders = self._numbered(cls, [number])
        holder = next((h for h in holders if _ref_value(h, party_field) == party), holders[0] if holders else None)
        label = qmap.DOCUMENT_LABELS.get(cls.qbo_object_name, cls.qbo_object_name)
        if holder is None:  # gone (deleted) since QuickBooks answered: nothing to bind, the number is free
            message = f"QuickBooks refused {label} number {number} as already used; push it again"
            return ItemResult(document.ref, False, errors=(message,))
        same = (
            _ref_value(holder, party_field) == party
            and str(holder.TxnDate) == str(desired.TxnDate)
            and _net_total(holder) == _net_total(desired)
        )
        if same:
            message = (
                f"QuickBooks already has {label} {number} for the same {party_field[:-3].lower()}, date and amount: "
                "bind this document to it rather than create a second one"
            )
            return ItemResult(
                document.ref, False, errors=(message,), duplicate=DuplicateNumber(number, holder.Id, True)
            )
        suggestion = self._free_number(cls, number)
        article = "an" if label[0] in "aeiou" else "a"
        message = (
            f"QuickBooks already has {article} {label} numbered {number} (another {party_field[:-3].lower()}, "
            f"date or amount): push this one as {suggestion}, or change its number in Odoo"
        )
        duplicate = DuplicateNumber(number, holder.Id, False, suggestion)
        return ItemResult(document.ref, False, errors=(message,), duplicate=duplicate)

    def _numbered(self, cls, numbers: Sequence[str]) -> list:
        quoted = ", ".join("'" + n.replace("\\", "\\\\").replace("'", "\\'") + "'" for n in numbers)
        try:
            return cls.where(f"DocNumber IN ({quoted})", qb=self.qb)
        except QuickbooksException as exc:
            raise translate(exc, f"look up {cls.qbo_object_name} numbers {', '.join(numbers)}") from exc

    def _free_number(self, cls, number: str) -> str:
        """``number`` with the first suffix -2 .. -9 QuickBooks does not have yet (within its 21 characters)."""
        candidates = [qmap.suffixed_number(number, n) for n in range(2, 10)]
        taken = {str(row.DocNumber) for row in self._numbered(cls, candidates)}
        return next((c for c in candidates if c not in taken), candidates[-1])

    def push_invoices(
        self, invoices: Sequence[Invoice], lead_sources: dict[object, str] | None = None
    ) -> list[ItemResult]:
        """New invoices go in batches of 30 (their customers first, also batched); known ones are updated.

        ``lead_sources`` maps an invoice's ``ref.id`` to its lead source (the custom field, when set up).
        """
        lead_sources = lead_sources or {}
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
                results[key] = self._safely(
                    invoice.ref, lambda inv=invoice: self.push_invoice(inv, lead_sources.get(inv.ref.id, ""))
                )
            elif contact_key in customer_errors:
                results[key] = ItemResult(invoice.ref, False, errors=("customer:",) + customer_errors[contact_key])
            else:
                try:
                    desired = qmap.invoice_from(
                        invoice,
                        customer_ids[contact_key],
                        self.settings,
                        self.accounts,
                        lead_sources.get(invoice.ref.id, ""),
                        self.income_items(invoice),
                    )
                except SyncError as exc:  # a mapping gap fails this record only
                    results[key] = ItemResult(invoice.ref, False, errors=(str(exc),))
                    continue
                keyed.append((key, desired))
        by_key = {request_id(invoice.ref, "create"): invoice for invoice in invoices}
        desired_by_key = dict(keyed)
        for key, answer in (batch_create(self.qb, keyed) if keyed else {}).items():
            ref = by_key[key].ref
            if hasattr(answer, "Error") and DUPLICATE_NUMBER in fault_codes(answer):
                results[key] = self._safely(ref, lambda k=key: self.duplicate_number(by_key[k], desired_by_key[k]))
            elif hasattr(answer, "Error"):
                results[key] = ItemResult(ref, False, errors=fault_messages(answer))
            else:
                results[key] = ItemResult(ref, True, answer.Id, answer.DocNumber or "")
        return [results[request_id(invoice.ref, "create")] for invoice in invoices]

    def push_documents(self, documents: Sequence[Document]) -> list[ItemResult]:
        """Customers and vendors first, then new and changed invoices in batches, credit notes and bills one
        by one; an invoice's lead source is ``extras["lead_source"]``."""
        failed = contacts_first(documents, self.push_contacts, self.capabilities)
        single = {CreditNote: self.push_credit_note, Bill: self.push_bill}
        results: dict[int, ItemResult] = {}
        invoices = []
        for index, doc in enumerate(documents):
            failure = failed.get(contact_key(doc, self.capabilities))
            if failure is not None:
                prefix = () if doc.purchase else ("customer:",)
                results[index] = ItemResult(doc.ref, False, errors=prefix + failure.errors)
            elif type(doc) not in single:
                invoices.append((index, doc))
        if invoices:
            lead_sources = {doc.ref.id: doc.extras.get("lead_source", "") for _i, doc in invoices}
            pushed = self.push_invoices([doc for _i, doc in invoices], lead_sources)
            results.update(zip([i for i, _d in invoices], pushed, strict=True))
        for index, doc in enumerate(documents):
            if index not in results:
                results[index] = self._safely(doc.ref, lambda d=doc: single[type(d)](d))
            if results[index].ok:  # later records of the run (a credit note's allocation) link to it
                doc.remote_id = doc.remote_id or results[index].remote_id
        return [results[i] for i in range(len(documents))]

    @staticmethod
    def _safely(ref: RecordRef, action: Callable[[], ItemResult]) -> ItemResult:
        try:
            return action()
        except SyncError as exc:  # reported per record, like a batch fault
            return ItemResult(ref, False, errors=(str(exc),))

    def void(self, remote_id: str, ref: RecordRef, kind: RecordKind, supplier: bool | None = None) -> ItemResult:
        """Invoices are voided; bills, credit memos and vendor credits deleted (QuickBooks' API cannot void
        them; a credit memo's applications are voided first, so its invoices owe again)."""
        if kind == RecordKind.CREDIT_NOTE and supplier is None:
            message = f"The credit note was deleted in Odoo; delete QuickBooks credit {remote_id} by hand."
            return ItemResult(ref, False, remote_id, errors=(message,))
        return outcome(ref, lambda: self.void_document(kind, remote_id, ref, supplier=bool(supplier)), remote_id)

    def void_invoice(self, remote_id: str, ref: RecordRef) -> None:
        self.updater.void(QboInvoice, remote_id, ref.idempotency_key("void"))

    def void_credit_memo(self, remote_id: str, ref: RecordRef) -> None:
        """Cancel a credit memo: the payments applying it are voided (the invoices owe again), then the
        memo is deleted: QBO's API voids invoices and payments but has no void for credit memos.
        Idempotent: a memo already gone is done."""
        try:
            memo = self.updater.read(CreditMemo, remote_id)
        except RemoteNotFound:
            return
        for link in memo.LinkedTxn or []:  # the SDK leaves a memo's links as plain dicts
            txn_type, txn_id = (
                (link.get("TxnType"), link.get("TxnId"))
                if isinstance(link, dict)
                else (
                    link.TxnType,
                    link.TxnId,
                )
            )
            if txn_type == "Payment":
                applying = self.updater.read(QboPayment, str(txn_id))
                if not is_voided(applying):
                    self.updater.void(QboPayment, applying.Id, ref.idempotency_key(f"void-application-{txn_id}"))
        self.delete(CreditMemo, remote_id, ref)

    def delete(self, cls, remote_id: str, ref: RecordRef) -> None:
        """Delete a transaction (QBO cannot void a credit memo, bill or vendor credit); gone already is done."""
        try:
            self.updater.delete(cls, remote_id, ref.idempotency_key("delete"))
        except RemoteNotFound:
            return

    def void_document(self, kind: str, remote_id: str, ref: RecordRef, supplier: bool = False) -> None:
        """Cancel a pushed document of ``kind`` (the binding's: invoice, bill or credit_note)."""
        if kind == "invoice":
            self.void_invoice(remote_id, ref)
        elif kind == "credit_note" and not supplier:
            self.void_credit_memo(remote_id, ref)
        elif kind in ("bill", "credit_note"):
            self.delete(VendorCredit if kind == "credit_note" else QboBill, remote_id, ref)
        else:
            raise ValueError(f"nothing to void for a {kind!r}")

    # --- payments ------------------------------------------------------------------------------------

    def push_payment(self, payment: Payment, payment_method_id: str | None = None) -> ItemResult:
        """A customer payment on an invoice (or the refund of a credit memo when ``on_credit_note``)."""
        document_cls = CreditMemo if payment.on_credit_note else QboInvoice
        document = self.updater.read(document_cls, payment.document_remote_id)
        desired = qmap.customer_payment_from(payment, document.CustomerRef.value, self.accounts, payment_method_id)
        return self._create_payment(payment, desired)

    def push_card_payment(self, payment: Payment) -> ItemResult:
        """A customer payment by credit card: into the card account, with QBO's credit card payment method."""
        return self.push_payment(payment, self.card_payment_method())

    def card_payment_method(self) -> str:
        """The QBO id of the first active credit card payment method (a new company has Visa, MasterCard...)."""
        if self._card_method is None:
            try:
                found = PaymentMethod.where("Type = 'CREDIT_CARD' AND Active = true", qb=self.qb)
            except QuickbooksException as exc:
                raise translate(exc, "look up the credit card payment method") from exc
            if not found:
                raise RemoteValidationError(
                    "QBO has no active credit card payment method; add one (Lists > Payment methods)",
                    ("no credit card payment method",),
                )
            self._card_method = str(found[0].Id)
        return self._card_method

    def push_bill_payment(self, payment: Payment, card: bool = False) -> ItemResult:
        """A supplier payment against a pushed Bill, from a bank account or charged to a credit card."""
        bill = self.updater.read(QboBill, payment.document_remote_id)
        desired = qmap.bill_payment_from(payment, bill.VendorRef.value, self.accounts, card)
        return self._create_payment(payment, desired)

    def delete_payment(self, remote_id: str, ref: RecordRef, supplier: bool = False) -> ItemResult:
        """Delete a Payment (a BillPayment when ``supplier`` or its id says so): QBO payments are not edited
        in place, an edited one is deleted and pushed again.  The invoices or bills it paid owe again; a
        payment already deleted in QuickBooks (610) is done, a stale SyncToken (5010) is re-read and the
        delete retried; a refusal is the failed result."""
        prefixed, qbo_id = payment_id(remote_id)
        cls = BillPayment if prefixed or supplier else QboPayment
        return outcome(ref, lambda: self.delete(cls, qbo_id, ref), remote_id)

    def push_payments(self, payments: Sequence[Payment]) -> list[ItemResult]:
        """Customer payments on invoices, supplier payments on bills (BillPayment, known as
        ``BillPayment:<id>``), card payments by card; one result each, a refusal failing its payment only."""
        return [self._safely(payment.ref, lambda p=payment: self._push_one_payment(p)) for payment in payments]

    def _push_one_payment(self, payment: Payment) -> ItemResult:
        kind = payment.document_kind
        if kind == RecordKind.BILL:
            result = self.push_bill_payment(payment, card=payment.card)
            return replace(result, remote_id=BILL_PAYMENT + result.remote_id)
        if kind == RecordKind.CREDIT_NOTE:
            raise SyncError("Refunds of credit notes are not pushed to QuickBooks; record them there.")
        if kind != RecordKind.INVOICE:
            raise SyncError("This payment is not of one pushed invoice or bill.")
        if payment.card and self.settings.accept_credit_cards:
            return self.push_card_payment(payment)
        if not payment.card and self.settings.deposit_account:
            payment = replace(payment, account_code=self.settings.deposit_account)
        return self.push_payment(payment)

    def _create_payment(self, payment: Payment, desired) -> ItemResult:
        if payment.ref is None:
            raise ValueError("a pushed payment needs its local RecordRef (idempotency)")
        try:
            saved = desired.save(qb=self.qb, request_id=request_id(payment.ref, "create"))
        except QuickbooksException as exc:
            raise translate(exc, f"create {desired.qbo_object_name} for {payment.ref.model} {payment.ref.id}") from exc
        return ItemResult(payment.ref, True, saved.Id)

    def pull_payments(self, since: dt.datetime | None = None) -> list[Payment]:
        """Customer payments created, changed, voided or deleted since ``since`` (one record per paid
        document; None: as far back as change data capture allows).  With polled accounts set
        (``settings.polled_accounts``), a live payment into another account is ``ELSEWHERE``."""
        if since is None:
            now = dt.datetime.fromtimestamp(self.clock.time(), dt.timezone.utc)
            since = now - dt.timedelta(days=self.capabilities.first_pull_days)
        pulled = [record for row in self.changes.since("Payment", since) for record in qmap.payments_to_records(row)]
        polled = self.settings.polled_accounts
        for payment in pulled:
            if polled and payment.status == RemoteState.ACTIVE and payment.account_code not in polled:
                payment.status = RemoteState.ELSEWHERE
        return pulled

    # --- chart of accounts and taxes -----------------------------------------------------------------

    def list_accounts(self) -> list[RemoteAccount]:
        return [qmap.account_to_record(row) for row in self._all(Account, active_too=True)]

    def list_tax_rates(self, purchase: bool = False) -> list[RemoteTaxRate]:
        rates = {str(rate.Id): Decimal(str(rate.RateValue or 0)) for rate in self._all(TaxRate)}
        return [qmap.tax_code_to_record(code, rates, purchase) for code in self._all(TaxCode)]

    def _all(self, cls, active_too: bool = False, page: int = QUERY_PAGE) -> list:
        rows, start = [], 1
        where = "Active IN (true, false)" if active_too else ""
        while True:
            try:
                found = cls.where(where, start_position=start, max_results=page, qb=self.qb)
            except QuickbooksException as exc:
                raise translate(exc, f"list {cls.qbo_object_name}") from exc
            rows.extend(found)
            if len(found) < page:
                return rows
            start += page
