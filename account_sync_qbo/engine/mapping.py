"""Neutral records (``account_sync.engine.records``) to python-quickbooks objects and back.

QBO specifics decided here, once:

* Sales lines point at an Item (whose income account QBO posts to), never at an account: the local
  item code goes through ``QboSettings.items``, else the line's income account (resolved by the base:
  surcharge, product, job type, defaults) picks an Item posting to that account (``income_items``, built by
  the client); purchase lines point at accounts like everywhere else.
* Amounts sent are net and rounded to cents; QBO recomputes tax and totals from the TaxCodes.  A
  discount is folded into the unit price because QBO checks ``Amount == Qty * UnitPrice``.
* ``LineNum`` is always set: the SDK's default 0 breaks the schema (``positiveInteger``).
* Tax-inclusive documents are refused: QBO wants net line amounts plus its own tax calculation, and
  guessing the net from a gross amount here would drift by cents from what QBO computes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from quickbooks.objects.base import Address as QboAddress
from quickbooks.objects.base import CustomField, EmailAddress, LinkedTxn, PhoneNumber, Ref
from quickbooks.objects.bill import Bill as QboBill
from quickbooks.objects.billpayment import BillPayment, BillPaymentCreditCard, BillPaymentLine, CheckPayment
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.customer import Customer
from quickbooks.objects.detailline import (
    AccountBasedExpenseLine,
    AccountBasedExpenseLineDetail,
    SalesItemLine,
    SalesItemLineDetail,
)
from quickbooks.objects.invoice import Invoice as QboInvoice
from quickbooks.objects.payment import Payment as QboPayment
from quickbooks.objects.payment import PaymentLine
from quickbooks.objects.vendor import Vendor
from quickbooks.objects.vendorcredit import VendorCredit

from account_sync.engine.errors import ConfigurationError, MappingError
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.records import (
    Address,
    Bill,
    Contact,
    CreditNote,
    Document,
    Invoice,
    Line,
    Payment,
    RecordRef,
    RemoteAccount,
    RemoteTaxRate,
)
from account_sync.engine.states import RemoteState

from .settings import CUSTOM_FIELD_MAX, QboSettings

CENT = Decimal("0.01")
DOC_NUMBER_MAX = 21  # QBO's limit on DocNumber and PaymentRefNum
NAME_MAX = 100  # QBO's limit on DisplayName


#: what a user calls each QuickBooks document, in messages
DOCUMENT_LABELS = {"Invoice": "invoice", "CreditMemo": "credit memo", "Bill": "bill", "VendorCredit": "vendor credit"}


def suffixed_number(number: str, n: int) -> str:
    """``number`` with ``-n`` appended, cut to fit QuickBooks' 21 characters.

    >>> suffixed_number("INV/2026/00042", 2), suffixed_number("A" * 21, 3)
    ('INV/2026/00042-2', 'AAAAAAAAAAAAAAAAAAA-3')
    """
    suffix = f"-{n}"
    return number[: DOC_NUMBER_MAX - len(suffix)] + suffix


def ref(value: str, name: str | None = None) -> Ref:
    reference = Ref()
    reference.value = str(value)
    reference.name = name or ""
    return reference


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def display_name(contact: Contact) -> str:
    """QBO refuses ':' in names (it separates sub-customer levels) and names over 100 characters.

    >>> from account_sync.engine.records import RecordRef
    >>> display_name(Contact(ref=RecordRef("res.partner", 1), name=" Acme: Paris branch "))
    'Acme- Paris branch'
    """
    return contact.name.replace(":", "-").strip()[:NAME_MAX]


# --- contacts ------------------------------------------------------------------------------------------


def _address(address: Address | None) -> QboAddress | None:
    if address is None:
        return None
    qbo = QboAddress()
    qbo.Line1, qbo.Line2 = address.street, address.street2
    qbo.City, qbo.PostalCode = address.city, address.zip
    qbo.CountrySubDivisionCode, qbo.Country = address.state, address.country_code
    return qbo


def _phone(number: str) -> PhoneNumber | None:
    if not number:
        return None
    phone = PhoneNumber()
    phone.FreeFormNumber = number
    return phone


def _fill_party(party, contact: Contact) -> None:
    party.DisplayName = display_name(contact)
    party.CompanyName = contact.name[:NAME_MAX]
    if contact.email:
        party.PrimaryEmailAddr = EmailAddress()
        party.PrimaryEmailAddr.Address = contact.email
    party.PrimaryPhone = _phone(contact.phone)
    party.Mobile = _phone(contact.mobile)
    party.BillAddr = _address(contact.address)
    if contact.currency:
        party.CurrencyRef = ref(contact.currency)


def customer_from(contact: Contact) -> Customer:
    customer = Customer()
    _fill_party(customer, contact)
    customer.PrimaryTaxIdentifier = contact.vat
    return customer


def vendor_from(contact: Contact) -> Vendor:
    vendor = Vendor()
    _fill_party(vendor, contact)
    vendor.TaxIdentifier = contact.vat
    return vendor


def disambiguated(contact: Contact, role: str) -> str:
    """The name used when another kind of party (a vendor for a customer...) already holds the plain one.

    >>> from account_sync.engine.records import RecordRef
    >>> disambiguated(Contact(ref=RecordRef("res.partner", 1), name="Harbour Plumbing"), "vendor")
    'Harbour Plumbing (vendor)'
    """
    suffix = f" ({role})"
    return display_name(contact)[: NAME_MAX - len(suffix)] + suffix


def _text(value) -> str:
    return str(value or "").strip()


def customer_to_contact(row) -> Contact:
    """A QBO Customer (SDK object) as a neutral contact for the import; its ref names the QBO id."""
    email = getattr(row.PrimaryEmailAddr, "Address", "") if row.PrimaryEmailAddr else ""
    bill = row.BillAddr
    address = None
    if bill is not None and any([bill.Line1, bill.City, bill.PostalCode, bill.Country]):
        country = _text(bill.Country)
        address = Address(
            street=_text(bill.Line1),
            street2=_text(bill.Line2),
            city=_text(bill.City),
            zip=_text(bill.PostalCode),
            state=_text(bill.CountrySubDivisionCode),
            country_code=country.upper() if len(country) == 2 else "",  # a free-text country is not guessed
        )
    return Contact(
        ref=RecordRef("qbo.Customer", str(row.Id), str(row.SyncToken)),
        name=_text(row.DisplayName) or _text(row.CompanyName),
        email=_text(email),
        phone=_text(getattr(row.PrimaryPhone, "FreeFormNumber", "")),
        mobile=_text(getattr(row.Mobile, "FreeFormNumber", "")),
        vat=_text(row.PrimaryTaxIdentifier) if "X" not in _text(row.PrimaryTaxIdentifier) else "",  # QBO masks it
        country_code=address.country_code if address else "",
        currency=_text(getattr(row.CurrencyRef, "value", "")),
        is_customer=True,
        address=address,
        remote_id=str(row.Id),
    )


#: what a contact update rewrites; everything else on the QBO record (terms, notes...) is left alone
PARTY_FIELDS = ("DisplayName", "CompanyName", "PrimaryEmailAddr", "PrimaryPhone", "Mobile", "BillAddr", "CurrencyRef")


# --- documents -----------------------------------------------------------------------------------------


def _check_document(document: Document) -> None:
    if document.amounts_include_tax:
        raise ConfigurationError(
            f"{document.ref.model} {document.ref.id}: tax-inclusive amounts are not supported for QuickBooks; "
            "send net amounts"
        )
    if not document.lines:
        raise ConfigurationError(f"{document.ref.model} {document.ref.id} has no lines")


def _net(line: Line) -> tuple[Decimal, Decimal]:
    """Unit price after discount, and the line amount QBO will check against ``Qty * UnitPrice``."""
    unit = Decimal(line.unit_price) * (1 - Decimal(line.discount_percent) / 100)
    return unit, _money(Decimal(line.quantity) * unit)


def line_item(line: Line, settings: QboSettings, income_items: Mapping[str, str]) -> str:
    """The Item of a sales line: its mapped item code, else the Item of its income account, else the default.

    >>> settings = QboSettings("id", "secret", "https://example.test/cb", items={"FEE": "9"})
    >>> def item(code, account):
    ...     line = Line(description="Fee", quantity=Decimal(1), unit_price=Decimal(2), account_code=account)
    ...     line.item_code = code
    ...     return line_item(line, settings, {"4200": "12"})
    >>> item("FEE", "4200"), item("", "4200"), item("", "4000"), item("", "")
    ('9', '12', '1', '1')
    """
    if line.item_code and line.item_code in settings.items:
        return settings.items[line.item_code]
    return income_items.get(line.account_code, settings.default_item) if line.account_code else settings.default_item


def _sales_line(
    number: int, line: Line, settings: QboSettings, mapping: AccountMapping, income_items: Mapping[str, str]
) -> SalesItemLine:
    unit, amount = _net(line)
    detail = SalesItemLineDetail()
    detail.ItemRef = ref(line_item(line, settings, income_items))
    detail.Qty = float(line.quantity)
    detail.UnitPrice = float(unit)
    detail.TaxCodeRef = ref(mapping.tax(line.tax_code))
    qbo = SalesItemLine()
    qbo.LineNum = number
    qbo.Description = line.description
    qbo.Amount = float(amount)
    qbo.SalesItemLineDetail = detail
    return qbo


def _expense_line(number: int, line: Line, mapping: AccountMapping) -> AccountBasedExpenseLine:
    _, amount = _net(line)
    detail = AccountBasedExpenseLineDetail()
    detail.AccountRef = ref(mapping.account(line.account_code, purchase=True))
    detail.TaxCodeRef = ref(mapping.tax(line.tax_code, purchase=True))
    detail.BillableStatus = "NotBillable"
    qbo = AccountBasedExpenseLine()
    qbo.LineNum = number
    qbo.Description = line.description
    qbo.Amount = float(amount)
    qbo.AccountBasedExpenseLineDetail = detail
    return qbo


def _fill_header(qbo, document: Document, party_field: str, party_id: str) -> None:
    setattr(qbo, party_field, ref(party_id, display_name(document.contact)))
    qbo.TxnDate = _date(document.date)
    if document.number:
        qbo.DocNumber = document.number[:DOC_NUMBER_MAX]
    if document.currency:
        qbo.CurrencyRef = ref(document.currency)
    qbo.ExchangeRate = float(exchange_rate(document))
    qbo.PrivateNote = document.reference
    qbo.GlobalTaxCalculation = "TaxExcluded"


def exchange_rate(document: Document) -> Decimal:
    """The document's ``ExchangeRate``: home currency units per foreign unit (Intuit's definition).

    The SDK's defaults (1 on invoices and vendor credits, 0 on bills and credit memos) would book a
    foreign document at par; a foreign document without its rate is refused here instead.

    >>> from account_sync.engine.records import RecordRef
    >>> doc = Invoice(ref=RecordRef("account.move", 1), contact=None, date=None, lines=[], currency="EUR",
    ...               currency_rate=Decimal("0.8571"))
    >>> exchange_rate(doc), exchange_rate(Invoice(ref=doc.ref, contact=None, date=None, lines=[]))
    (Decimal('0.8571'), Decimal('1'))
    """
    if not document.currency:
        return Decimal(1)
    if document.currency_rate is None or document.currency_rate <= 0:
        raise MappingError(
            f"{document.ref.model} {document.ref.id} is in {document.currency}: its exchange rate to the "
            "company currency is needed for QuickBooks"
        )
    return Decimal(document.currency_rate)


def lead_source_field(settings: QboSettings, lead_source: str) -> list[CustomField]:
    """The lead source as the sales form custom field the settings name (none when either is missing)."""
    value = lead_source.strip()[:CUSTOM_FIELD_MAX]
    if not settings.lead_source_definition or not value:
        return []
    custom = CustomField()
    custom.DefinitionId = settings.lead_source_definition
    custom.Name = settings.lead_source_name
    custom.Type = "StringType"
    custom.StringValue = value
    return [custom]


def invoice_from(
    invoice: Invoice,
    customer_id: str,
    settings: QboSettings,
    mapping: AccountMapping,
    lead_source: str = "",
    income_items: Mapping[str, str] | None = None,
) -> QboInvoice:
    _check_document(invoice)
    qbo = QboInvoice()
    _fill_header(qbo, invoice, "CustomerRef", customer_id)
    qbo.DueDate = _date(invoice.due_date)
    items = income_items or {}
    qbo.Line = [_sales_line(n, line, settings, mapping, items) for n, line in enumerate(invoice.lines, 1)]
    qbo.CustomField = lead_source_field(settings, lead_source)
    qbo.AllowOnlineCreditCardPayment = settings.accept_credit_cards
    return qbo


def credit_memo_from(
    note: CreditNote,
    customer_id: str,
    settings: QboSettings,
    mapping: AccountMapping,
    income_items: Mapping[str, str] | None = None,
) -> CreditMemo:
    _check_document(note)
    qbo = CreditMemo()
    _fill_header(qbo, note, "CustomerRef", customer_id)
    items = income_items or {}
    qbo.Line = [_sales_line(n, line, settings, mapping, items) for n, line in enumerate(note.lines, 1)]
    return qbo


def bill_from(bill: Bill, vendor_id: str, mapping: AccountMapping) -> QboBill:
    _check_document(bill)
    qbo = QboBill()
    _fill_header(qbo, bill, "VendorRef", vendor_id)
    qbo.DueDate = _date(bill.due_date)
    qbo.Line = [_expense_line(n, line, mapping) for n, line in enumerate(bill.lines, 1)]
    return qbo


def vendor_credit_from(note: CreditNote, vendor_id: str, mapping: AccountMapping) -> VendorCredit:
    _check_document(note)
    qbo = VendorCredit()
    _fill_header(qbo, note, "VendorRef", vendor_id)
    qbo.Line = [_expense_line(n, line, mapping) for n, line in enumerate(note.lines, 1)]
    return qbo


#: what a document update rewrites (sparse): our lines and header, never QBO's own fields
DOCUMENT_FIELDS = (
    "CustomerRef",
    "VendorRef",
    "TxnDate",
    "DueDate",
    "DocNumber",
    "CurrencyRef",
    "ExchangeRate",
    "PrivateNote",
    "GlobalTaxCalculation",
    "Line",
    "CustomField",
    "AllowOnlineCreditCardPayment",
)


# --- payments ------------------------------------------------------------------------------------------


def bank_account(mapping: AccountMapping, code: str) -> str:
    """The bank account of a payment, mapped explicitly: falling back to a default sale or purchase
    account (an income or expense account) would post money to the wrong place."""
    if code in mapping.accounts:
        return mapping.accounts[code]
    if code and mapping.passthrough:
        return code
    raise MappingError(f"no QBO bank account mapped for local account code {code!r}")


def customer_payment_from(
    payment: Payment, customer_id: str, mapping: AccountMapping, payment_method_id: str | None = None
) -> QboPayment:
    qbo = QboPayment()
    if payment_method_id:
        qbo.PaymentMethodRef = ref(payment_method_id)
    qbo.CustomerRef = ref(customer_id)
    qbo.TotalAmt = float(_money(payment.amount))
    qbo.TxnDate = _date(payment.date)
    qbo.PaymentRefNum = payment.reference[:DOC_NUMBER_MAX] or None
    qbo.DepositToAccountRef = ref(bank_account(mapping, payment.account_code))
    if payment.currency_rate is not None:
        qbo.ExchangeRate = float(payment.currency_rate)
    line = PaymentLine()
    line.Amount = qbo.TotalAmt
    target = "CreditMemo" if payment.on_credit_note else "Invoice"
    line.LinkedTxn = [_link(payment.document_remote_id, target)]
    qbo.Line = [line]
    return qbo


def bill_payment_from(payment: Payment, vendor_id: str, mapping: AccountMapping, card: bool = False) -> BillPayment:
    """Paid from a bank account (a cheque, in QBO's words) or charged to a credit card account."""
    qbo = BillPayment()
    qbo.VendorRef = ref(vendor_id)
    account = ref(bank_account(mapping, payment.account_code))
    if card:
        qbo.PayType = "CreditCard"
        qbo.CreditCardPayment = BillPaymentCreditCard()
        qbo.CreditCardPayment.CCAccountRef = account
    else:
        qbo.PayType = "Check"
        qbo.CheckPayment = CheckPayment()
        qbo.CheckPayment.BankAccountRef = account
    qbo.TotalAmt = float(_money(payment.amount))
    qbo.TxnDate = _date(payment.date)
    qbo.DocNumber = payment.reference[:DOC_NUMBER_MAX]
    if payment.currency_rate is not None:  # a foreign payment is booked at its own rate
        qbo.ExchangeRate = float(payment.currency_rate)
    line = BillPaymentLine()
    line.Amount = qbo.TotalAmt
    line.LinkedTxn = [_link(payment.document_remote_id, "Bill")]
    qbo.Line = [line]
    return qbo


def credit_application_from(customer_id: str, invoice_id: str, memo_id: str, amount: Decimal, date) -> QboPayment:
    """A credit memo applied to an invoice: a payment of 0 whose lines take ``amount`` off the invoice and
    spend as much of the memo's credit (QBO has no allocation object; this is what its UI records)."""
    qbo = QboPayment()
    qbo.CustomerRef = ref(customer_id)
    qbo.TotalAmt = 0.0
    qbo.TxnDate = _date(date)
    lines = []
    for txn_id, txn_type in ((invoice_id, "Invoice"), (memo_id, "CreditMemo")):
        line = PaymentLine()
        line.Amount = float(_money(amount))
        line.LinkedTxn = [_link(txn_id, txn_type)]
        lines.append(line)
    qbo.Line = lines
    return qbo


def _link(txn_id: str, txn_type: str) -> LinkedTxn:
    link = LinkedTxn()
    link.TxnId, link.TxnType = str(txn_id), txn_type
    link.TxnLineId = None  # payments link whole documents; the SDK's default 0 is not a line
    return link


def _links_credit(row: dict) -> bool:
    return any(
        link.get("TxnType") == "CreditMemo" for line in row.get("Line") or [] for link in line.get("LinkedTxn") or []
    )


def payments_to_records(row: dict) -> list[Payment]:
    """One neutral payment per linked document of a QBO Payment (a JSON row, as CDC or a query returns it).

    A payment of 0 linking a credit memo is a credit applied to invoices (``RemoteState.CREDIT_APPLIED``), not
    money received.  Known limit: a payment mixing money and credit reports each invoice line's full amount.
    """
    meta = row.get("MetaData") or {}
    updated = dt.datetime.fromisoformat(meta["LastUpdatedTime"]) if meta.get("LastUpdatedTime") else None
    if row.get("status") == "Deleted":
        status = RemoteState.DELETED
    elif str(row.get("PrivateNote", "")).startswith("Voided") and not row.get("TotalAmt"):
        status = RemoteState.DELETED  # voided: the money was taken back just the same
    elif not row.get("TotalAmt") and _links_credit(row):
        status = RemoteState.CREDIT_APPLIED  # a credit memo applied to an invoice: no money moved
    else:
        status = RemoteState.ACTIVE
    common = {
        "ref": None,
        "date": dt.date.fromisoformat(row["TxnDate"]) if row.get("TxnDate") else None,
        "account_code": (row.get("DepositToAccountRef") or {}).get("value", ""),  # QBO's account Id, not mapped back
        "reference": row.get("PaymentRefNum") or "",
        "remote_id": row["Id"],
        "status": status,
        "updated_at": updated,
    }
    links = [
        (link, line)
        for line in row.get("Line") or []
        for link in line.get("LinkedTxn") or []
        if link.get("TxnType") in ("Invoice", "CreditMemo")
    ]
    if not links:  # deleted, unapplied or voided-to-zero: still report the payment itself
        return [Payment(document_remote_id="", amount=Decimal(str(row.get("TotalAmt") or 0)), **common)]
    return [
        Payment(
            document_remote_id=str(link["TxnId"]),
            amount=Decimal(str(line.get("Amount") or 0)),
            on_credit_note=link.get("TxnType") == "CreditMemo",
            **common,
        )
        for link, line in links
    ]


# --- chart and taxes -----------------------------------------------------------------------------------


def account_to_record(row) -> RemoteAccount:
    return RemoteAccount(
        code=row.AcctNum or row.Id,
        name=row.Name,
        type=row.AccountType,
        remote_id=row.Id,
        active=bool(row.Active),
        is_bank=row.AccountType == "Bank",
    )


def tax_code_to_record(row, rates: dict[str, Decimal], purchase: bool = False) -> RemoteTaxRate:
    """A TaxCode's rate is the sum of its rates (a group code stacks several); codes without rates are 0 %."""
    rate_list = row.PurchaseTaxRateList if purchase else row.SalesTaxRateList
    details = rate_list.TaxRateDetail if rate_list is not None else []
    total = sum((rates.get(str(detail.TaxRateRef.value), Decimal(0)) for detail in details), Decimal(0))
    return RemoteTaxRate(code=str(row.Id), name=row.Name, rate=total, active=bool(row.Active))
