"""Neutral records ⇄ xero-python models.

Pure functions, no I/O: the client pushes what these build and maps back what Xero answers.  Account
and tax codes go through ``AccountMapping`` so an unmapped code fails here, before any API call.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from xero_python.accounting import models as xm

from account_sync.engine.decimals import to_decimal
from account_sync.engine.errors import MappingError
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.phone import split_phone
from account_sync.engine.records import (
    Address,
    Allocation,
    Bill,
    Contact,
    CreditNote,
    Document,
    Invoice,
    Line,
    Payment,
    RemoteAccount,
    RemoteTaxRate,
    Tenant,
)
from account_sync.engine.states import RemoteState

CONTACT_NUMBER_MAX = 50
ITEM_CODE_MAX = 30
ITEM_NAME_MAX = 50
NIL_UUID = "00000000-0000-0000-0000-000000000000"
#: a pulled payment's Xero status in the sync's words (a payment has no other status in Xero)
PAYMENT_STATES = {"AUTHORISED": RemoteState.ACTIVE, "DELETED": RemoteState.DELETED}


def _currency(code: str) -> xm.CurrencyCode | None:
    if not code:
        return None
    try:
        return xm.CurrencyCode(code.upper())
    except ValueError:
        raise MappingError(f"currency {code!r} is not a Xero currency code") from None


def _enum_value(value) -> str:
    return getattr(value, "value", value) or ""


# --- contacts -----------------------------------------------------------------------------------------


def contact_number(contact: Contact) -> str:
    """Xero's field for "the id in the external system": lets a later run find a contact it created."""
    return f"{contact.ref.model}-{contact.ref.id}"[:CONTACT_NUMBER_MAX]


def _phone(raw: str, phone_type: str, region: str) -> xm.Phone | None:
    parts = split_phone(raw, region or None)
    if parts is None:
        return None
    number = parts.number + (f" x{parts.extension}" if parts.extension else "")
    return xm.Phone(
        phone_type=phone_type,
        phone_country_code=parts.country_code or None,
        phone_area_code=parts.area_code or None,
        phone_number=number,
    )


def _address(address: Address) -> xm.Address:
    return xm.Address(
        address_type="POBOX",  # Xero's postal/billing address: the one printed on invoices
        address_line1=address.street or None,
        address_line2=address.street2 or None,
        city=address.city or None,
        region=address.state or None,
        postal_code=address.zip or None,
        country=address.country_code or None,
    )


def contact_to_xero(contact: Contact) -> xm.Contact:
    region = contact.country_code
    phones = [_phone(contact.phone, "DEFAULT", region), _phone(contact.mobile, "MOBILE", region)]
    return xm.Contact(
        contact_id=contact.remote_id,
        contact_number=contact_number(contact),
        name=contact.name,
        email_address=contact.email or None,
        tax_number=contact.vat or None,
        default_currency=_currency(contact.currency),
        phones=[p for p in phones if p] or None,
        addresses=[_address(contact.address)] if contact.address else None,
    )


def name_taken(errors: tuple[str, ...]) -> bool:
    """Xero's answer to a new contact whose name an active contact already has."""
    return any("already assigned to another contact" in error for error in errors)


def _same(ours: str, theirs: str | None) -> bool | None:
    """True/False when both sides have the value, None when either lacks it (nothing to compare)."""
    ours, theirs = (ours or "").strip().lower(), (theirs or "").strip().lower()
    return (ours == theirs) if ours and theirs else None


def same_contact(contact: Contact, holder: xm.Contact | None) -> tuple[bool, str]:
    """Whether the Xero contact holding ``contact``'s name is the same party, and the sentence saying so.

    The same party when at least one identifying detail agrees (the contact number this connector gives
    its contacts, the e-mail address, the tax number) and none disagrees; a name alone proves nothing.

    >>> from account_sync.engine.records import RecordRef
    >>> ours = Contact(ref=RecordRef("res.partner", 7), name="Acme", email="ap@acme.test", vat="GB1")
    >>> same_contact(ours, xm.Contact(contact_id="c1", name="ACME", email_address="AP@acme.test"))[0]
    True
    >>> same_contact(ours, xm.Contact(contact_id="c1", name="Acme", email_address="x@other.test"))[1]
    "Xero already has a contact named 'Acme' with e-mail x@other.test (this partner: ap@acme.test); rename one of them"
    """
    if holder is None:
        return False, f"Xero says the contact name {contact.name!r} is taken, but no active contact has it"
    checks = {
        "contact number": (contact_number(contact), holder.contact_number),
        "e-mail": (contact.email, holder.email_address),
        "tax number": (contact.vat, holder.tax_number),
    }
    verdicts = {label: _same(ours, theirs) for label, (ours, theirs) in checks.items()}
    clash = [label for label, verdict in verdicts.items() if verdict is False]
    if clash:
        label = clash[0]
        ours, theirs = checks[label]
        return False, (
            f"Xero already has a contact named {holder.name!r} with {label} {theirs} "
            f"(this partner: {ours}); rename one of them"
        )
    if not any(verdicts.values()):
        return False, (
            f"Xero already has a contact named {holder.name!r} with no e-mail, tax number or contact number to "
            "tell whether it is this partner; add one there, or rename one of them"
        )
    agreed = ", ".join(label for label, verdict in verdicts.items() if verdict)
    return True, f"bound to the existing Xero contact {holder.name!r} (same {agreed})"


def contact_from_xero(remote: xm.Contact, ref=None) -> Contact:
    phones = {p.phone_type: p for p in remote.phones or []}

    def joined(phone):
        if phone is None or not phone.phone_number:
            return ""
        country = f"+{phone.phone_country_code} " if phone.phone_country_code else ""
        return f"{country}{phone.phone_area_code or ''} {phone.phone_number}".strip()

    return Contact(
        ref=ref,
        name=remote.name or "",
        email=remote.email_address or "",
        vat=remote.tax_number or "",
        phone=joined(phones.get("DEFAULT")),
        mobile=joined(phones.get("MOBILE")),
        currency=_enum_value(remote.default_currency),
        is_customer=bool(remote.is_customer),
        is_supplier=bool(remote.is_supplier),
        remote_id=remote.contact_id,
    )


# --- documents ----------------------------------------------------------------------------------------


UNIT_PLACES = Decimal("0.0001")  # Xero keeps unit amounts to 4 decimal places (unitdp=4)
CENT = Decimal("0.01")


def purchase_line_amounts(line: Line) -> tuple[Decimal, Decimal, str]:
    """(quantity, unit amount, description) of a discounted bill line, the discount folded in.

    Xero takes ``DiscountRate`` on sales lines only.  The discounted unit price (4 decimals, Xero's
    precision) is sent when quantity times it gives the line's amount to the cent; otherwise the line goes
    as one unit of its exact amount, the description keeping quantity, price and discount.

    >>> line = Line(description="Paper", quantity=Decimal(3), unit_price=Decimal("33.33"),
    ...             discount_percent=Decimal(10))
    >>> purchase_line_amounts(line)
    (Decimal('3'), Decimal('29.9970'), 'Paper')
    >>> line = Line(description="Screws", quantity=Decimal(1000), unit_price=Decimal("0.05"),
    ...             discount_percent=Decimal("33.333"))
    >>> purchase_line_amounts(line)
    (Decimal('1'), Decimal('33.33'), 'Screws (1000 x 0.05 less 33.333%)')
    """
    quantity, unit = Decimal(line.quantity), Decimal(line.unit_price)
    factor = 1 - Decimal(line.discount_percent) / 100
    amount = (quantity * unit * factor).quantize(CENT, ROUND_HALF_UP)
    discounted = (unit * factor).quantize(UNIT_PLACES, ROUND_HALF_UP)
    if (quantity * discounted).quantize(CENT, ROUND_HALF_UP) == amount:
        return quantity, discounted, line.description
    detail = f"{quantity.normalize():f} x {unit.normalize():f} less {Decimal(line.discount_percent).normalize():f}%"
    return Decimal(1), amount, f"{line.description} ({detail})"


def _line_to_xero(line: Line, mapping: AccountMapping, purchase: bool) -> xm.LineItem:
    quantity, unit, description = line.quantity, line.unit_price, line.description
    discount = line.discount_percent or None
    if purchase and discount:
        quantity, unit, description = purchase_line_amounts(line)
        discount = None
    return xm.LineItem(
        description=description,
        quantity=quantity,
        unit_amount=unit,
        account_code=mapping.account(line.account_code, purchase),
        tax_type=mapping.tax(line.tax_code, purchase),
        item_code=line.item_code[:ITEM_CODE_MAX] or None,
        discount_rate=discount,
    )


def item_key(line: Line) -> str:
    """The line's item code as Xero compares codes (cut to its 30 characters, case aside); "" for none."""
    return line.item_code[:ITEM_CODE_MAX].strip().lower()


def item_to_xero(line: Line) -> xm.Item:
    """The Xero item a line's code names, created before the line uses it: code and name only, so the
    line's own account, tax and price still decide the posting."""
    code = line.item_code[:ITEM_CODE_MAX].strip()
    return xm.Item(code=code, name=(line.item_name or line.description or code)[:ITEM_NAME_MAX])


def _line_from_xero(item: xm.LineItem) -> Line:
    return Line(
        description=item.description or "",
        quantity=to_decimal(item.quantity, places=None),
        unit_price=to_decimal(item.unit_amount, places=None),
        account_code=item.account_code or "",
        tax_code=item.tax_type or "",
        item_code=item.item_code or "",
        discount_percent=to_decimal(item.discount_rate, places=None),
    )


def _line_amount_types(doc: Document) -> xm.LineAmountTypes:
    return xm.LineAmountTypes.INCLUSIVE if doc.amounts_include_tax else xm.LineAmountTypes.EXCLUSIVE


def _contact_ref(doc: Document) -> xm.Contact:
    if not doc.contact.remote_id:
        raise MappingError(f"{doc.ref.model} {doc.ref.id}: its contact must be pushed to Xero first")
    return xm.Contact(contact_id=doc.contact.remote_id)


def invoice_type(doc: Document) -> str:
    return "ACCPAY" if doc.purchase else "ACCREC"


def invoice_to_xero(doc: Invoice | Bill, mapping: AccountMapping) -> xm.Invoice:
    """Sales invoice (ACCREC) or supplier bill (ACCPAY); for a bill the number is the supplier's."""
    return xm.Invoice(
        type=invoice_type(doc),
        invoice_id=doc.remote_id,
        contact=_contact_ref(doc),
        date=doc.date,
        due_date=doc.due_date,
        invoice_number=doc.number or None,
        reference=(doc.reference or None) if not doc.purchase else None,  # Xero: ACCREC only
        currency_code=_currency(doc.currency),
        line_amount_types=_line_amount_types(doc),
        status="AUTHORISED" if doc.post else "DRAFT",
        line_items=[_line_to_xero(line, mapping, doc.purchase) for line in doc.lines],
    )


def void_to_xero(remote_id: str) -> xm.Invoice:
    return xm.Invoice(invoice_id=remote_id, status="VOIDED")


def void_credit_note_to_xero(remote_id: str) -> xm.CreditNote:
    return xm.CreditNote(credit_note_id=remote_id, status="VOIDED")


def credit_note_to_xero(note: CreditNote, mapping: AccountMapping) -> xm.CreditNote:
    return xm.CreditNote(
        type="ACCPAYCREDIT" if note.supplier else "ACCRECCREDIT",
        credit_note_id=note.remote_id,
        contact=_contact_ref(note),
        date=note.date,
        credit_note_number=note.number or None,
        reference=(note.reference or None) if not note.supplier else None,  # Xero: ACCRECCREDIT only
        currency_code=_currency(note.currency),
        line_amount_types=_line_amount_types(note),
        status="AUTHORISED" if note.post else "DRAFT",
        line_items=[_line_to_xero(line, mapping, note.supplier) for line in note.lines],
    )


def allocation_to_xero(allocation: Allocation, default_date: dt.date) -> xm.Allocation:
    return xm.Allocation(
        invoice=xm.Invoice(invoice_id=allocation.invoice_remote_id),
        amount=allocation.amount,
        date=allocation.date or default_date,
    )


def document_from_xero(remote: xm.Invoice, ref=None) -> Invoice | Bill:
    cls = Bill if remote.type == "ACCPAY" else Invoice
    contact = remote.contact
    return cls(
        ref=ref,
        contact=Contact(ref=None, name=contact.name or "", remote_id=contact.contact_id),
        date=remote.date,
        due_date=remote.due_date,
        number=remote.invoice_number or "",
        reference=remote.reference or "",
        currency=_enum_value(remote.currency_code),
        amounts_include_tax=remote.line_amount_types == xm.LineAmountTypes.INCLUSIVE,
        post=remote.status not in ("DRAFT", "SUBMITTED"),
        lines=[_line_from_xero(item) for item in remote.line_items or []],
        remote_id=remote.invoice_id,
    )


# --- payments -----------------------------------------------------------------------------------------


def payment_to_xero(payment: Payment, mapping: AccountMapping) -> xm.Payment:
    target = (
        {"credit_note": xm.CreditNote(credit_note_id=payment.document_remote_id)}
        if payment.on_credit_note
        else {"invoice": xm.Invoice(invoice_id=payment.document_remote_id)}
    )
    return xm.Payment(
        account=xm.Account(code=mapping.account(payment.account_code)),
        date=payment.date,
        amount=payment.amount,
        reference=payment.reference or None,
        currency_rate=xero_rate(payment.currency_rate),
        **target,
    )


def xero_rate(rate: Decimal | None) -> Decimal | None:
    """Xero's ``CurrencyRate`` is foreign units per one unit of the base currency: the inverse of the neutral
    records' rate (home units per foreign unit), and the inverse is its own inverse.

    >>> xero_rate(Decimal("0.8"))
    Decimal('1.25')
    >>> xero_rate(None) is None
    True
    """
    if not rate:
        return None
    return (Decimal(1) / rate).quantize(Decimal("1e-10")).normalize()


def payment_from_xero(remote: xm.Payment) -> Payment:
    on_credit_note = remote.credit_note is not None and remote.invoice is None
    document = remote.credit_note if on_credit_note else remote.invoice
    return Payment(
        ref=None,
        document_remote_id=(document.credit_note_id if on_credit_note else document.invoice_id) if document else "",
        document_number=(
            (document.credit_note_number if on_credit_note else document.invoice_number) or "" if document else ""
        ),
        amount=to_decimal(remote.amount, places=None),
        date=remote.date,
        account_code=(remote.account.code or "") if remote.account else "",
        reference=remote.reference or "",
        on_credit_note=on_credit_note,
        currency_rate=xero_rate(to_decimal(remote.currency_rate, places=None))
        if remote.currency_rate is not None
        else None,
        remote_id=remote.payment_id,
        status=PAYMENT_STATES.get(remote.status or "AUTHORISED", RemoteState.OTHER),
        updated_at=remote.updated_date_utc,
    )


# --- chart of accounts, tax rates, tenants ------------------------------------------------------------


def account_from_xero(remote: xm.Account) -> RemoteAccount:
    account_type = _enum_value(remote.type)
    return RemoteAccount(
        code=remote.code or "",
        name=remote.name or "",
        type=account_type,
        remote_id=remote.account_id or "",
        active=(remote.status or "ACTIVE") == "ACTIVE",
        tax_code=remote.tax_type or "",
        is_bank=account_type == "BANK" or bool(remote.enable_payments_to_account),
    )


def tax_rate_from_xero(remote: xm.TaxRate) -> RemoteTaxRate:
    return RemoteTaxRate(
        code=remote.tax_type or "",
        name=remote.name or "",
        rate=to_decimal(
            remote.effective_rate if remote.effective_rate is not None else remote.display_tax_rate, places=None
        ),
        active=(remote.status or "ACTIVE") == "ACTIVE",
    )


def tenant_from_xero(connection) -> Tenant:
    return Tenant(id=connection.tenant_id, name=connection.tenant_name or "", type=connection.tenant_type or "")


def validation_messages(item) -> tuple[str, ...]:
    return tuple(error.message for error in getattr(item, "validation_errors", None) or [] if error.message)
