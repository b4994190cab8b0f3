"""OASIS UBL 2.x Invoice and CreditNote (Peppol BIS 3, XRechnung UBL, EHF, ...).

The two document kinds differ only in a few names (``InvoiceLine`` vs
``CreditNoteLine``, ``InvoicedQuantity`` vs ``CreditedQuantity``), listed
as alternatives in each path.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from xml.etree.ElementTree import Element

from .addresses import clean_address
from .einvoice_xml import (
    children,
    compact,
    decimal_at,
    decimal_of,
    document_type_for,
    find,
    find_all,
    local_name,
    own_text,
    percent_of,
    text_at,
    to_decimal,
)
from .pivot import Invoice, Line, Party
from .values import parse_date

UBL_NAMESPACES = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
LINE = ("InvoiceLine", "CreditNoteLine")
QUANTITY = ("InvoicedQuantity", "CreditedQuantity")
TYPE_CODE = ("InvoiceTypeCode", "CreditNoteTypeCode")
_IBAN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")


def is_ubl_root(root_namespace: str, root_name: str) -> bool:
    return UBL_NAMESPACES.get(root_name) == root_namespace


def read_ubl(root: Element) -> Invoice:
    warnings: list[str] = []
    totals = find(root, "LegalMonetaryTotal")
    currency = text_at(root, "DocumentCurrencyCode") or _currency_attribute(totals)
    supplier_party = find(root, "AccountingSupplierParty", "Party")
    customer_party = find(root, "AccountingCustomerParty", "Party")
    supplier = _party(supplier_party)
    supplier.iban = _iban(root)
    is_credit_note = local_name(root) == "CreditNote"
    invoice = Invoice(
        document_type="credit_note" if is_credit_note else document_type_for(text_at(root, TYPE_CODE)),
        invoice_number=text_at(root, "ID"),
        issue_date=_date(text_at(root, "IssueDate"), warnings),
        due_date=_date(text_at(root, "DueDate") or text_at(root, "PaymentMeans", "PaymentDueDate"), warnings),
        currency=currency,
        amount_untaxed=decimal_at(totals, "TaxExclusiveAmount", warnings=warnings),
        amount_tax=_tax_total(root, currency, warnings),
        amount_total=_grand_total(totals, warnings),
        supplier=supplier,
        customer=Party(name=_party_name(customer_party), vat=_vat(customer_party)),
        po_reference=text_at(root, "OrderReference", "ID"),
        lines=[_line(line, warnings) for line in find_all(root, LINE)],
    )
    invoice.warnings.extend(warnings)
    return invoice


def _date(text: str | None, warnings: list[str]) -> dt.date | None:
    """UBL dates are ISO 8601 (``2024-01-31``); anything else is read leniently and reported."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        value = parse_date(text)
    if value is None:
        warnings.append(f"date {text[:40]!r} is not a calendar day and was ignored")
    return value


def _grand_total(totals: Element | None, warnings: list[str]) -> Decimal | None:
    """TaxInclusiveAmount is the total (PayableAmount is net of prepayments); plain UBL 2.1 may omit it."""
    total = decimal_at(totals, "TaxInclusiveAmount", warnings=warnings)
    return total if total is not None else decimal_at(totals, "PayableAmount", warnings=warnings)


def _currency_attribute(totals: Element | None) -> str | None:
    for name in ("TaxInclusiveAmount", "PayableAmount"):
        amount = find(totals, name)
        if amount is not None and (amount.get("currencyID") or "").strip():
            return amount.get("currencyID").strip()
    return None


def _tax_total(root: Element, currency: str | None, warnings: list[str]) -> Decimal | None:
    """The TaxTotal in the document currency; a second one may restate tax in the tax currency."""
    amounts = [amount for tax_total in children(root, "TaxTotal") for amount in children(tax_total, "TaxAmount")]
    for wanted in (currency, None):
        for amount in amounts:
            if amount.get("currencyID") == wanted:
                return decimal_of(amount, warnings)
    return decimal_of(amounts[0], warnings) if amounts else None


def _party_name(party: Element | None) -> str | None:
    return text_at(party, "PartyName", "Name") or text_at(party, "PartyLegalEntity", "RegistrationName")


def _party(party: Element | None) -> Party:
    contact = find(party, "Contact")
    return Party(
        name=_party_name(party),
        vat=_vat(party),
        email=text_at(contact, "ElectronicMail") or _email_endpoint(party),
        phone=text_at(contact, "Telephone"),
        address=_address(find(party, "PostalAddress")),
    )


def _address(address: Element | None) -> dict | None:
    """BG-5 in UBL: StreetName (with BuildingNumber, which UBL 2.0 senders write apart), AdditionalStreetName
    and the free AddressLine as the second line, PostalZone, CityName, Country/IdentificationCode."""
    if address is None:
        return None
    street = text_at(address, "StreetName")
    number = text_at(address, "BuildingNumber")
    if street and number and number not in street:
        street = f"{street} {number}"
    further = [text_at(address, "AdditionalStreetName")]
    further += [own_text(line) for line in find_all(address, "AddressLine", "Line")]
    further = [text for text in further if text and text != street]
    return clean_address(
        {
            "street": street or (further.pop(0) if further else None),
            "street2": ", ".join(further),
            "zip": text_at(address, "PostalZone"),
            "city": text_at(address, "CityName"),
            "country_code": text_at(address, "Country", "IdentificationCode"),
        }
    )


def _vat(party: Element | None) -> str | None:
    """The company id of the VAT tax scheme (a party may also list other schemes, e.g. a tax office number)."""
    for tax_scheme in find_all(party, "PartyTaxScheme"):
        scheme = text_at(tax_scheme, "TaxScheme", "ID")
        if scheme in (None, "VAT"):
            value = compact(text_at(tax_scheme, "CompanyID"))
            if value:
                return value
    return None


def _email_endpoint(party: Element | None) -> str | None:
    endpoint = find(party, "EndpointID")
    value = own_text(endpoint)
    if value and (endpoint.get("schemeID") == "EM" or "@" in value):
        return value
    return None


def _iban(root: Element) -> str | None:
    """The payee account, when it is an IBAN (UBL also allows domestic account numbers there)."""
    for account_id in find_all(root, "PaymentMeans", "PayeeFinancialAccount", "ID"):
        value = compact(own_text(account_id))
        if value and _IBAN.match(value.upper()):
            return value.upper()
    return None


def _line(line: Element, warnings: list[str]) -> Line:
    item = find(line, "Item")
    quantity = decimal_at(line, QUANTITY, warnings=warnings)
    unit_price = _unit_price(find(line, "Price"), warnings)
    return Line(
        description=text_at(item, "Name") or text_at(item, "Description") or text_at(line, "Note"),
        product_code=text_at(item, "SellersItemIdentification", "ID")
        or text_at(item, "StandardItemIdentification", "ID"),
        quantity=quantity,
        unit_price=unit_price,
        discount=_line_discount(line, quantity, unit_price, warnings),
        tax_rate=decimal_at(item, "ClassifiedTaxCategory", "Percent", warnings=warnings),
        amount=decimal_at(line, "LineExtensionAmount", warnings=warnings),
    )


def _unit_price(price: Element | None, warnings: list[str]) -> Decimal | None:
    """Price for one unit: UBL may state it per base quantity (e.g. per 100 pieces)."""
    amount = decimal_at(price, "PriceAmount", warnings=warnings)
    base = decimal_at(price, "BaseQuantity", warnings=warnings)
    if amount is None or not base or base == 1:
        return amount
    unit = amount / base
    return unit.quantize(Decimal("0.000001")) if unit.as_tuple().exponent < -6 else unit


def _line_discount(
    line: Element, quantity: Decimal | None, unit_price: Decimal | None, warnings: list[str]
) -> Decimal | None:
    """Line allowances as a percentage, computed from the stated amounts so it agrees with the line total.

    The stated ``MultiplierFactorNumeric`` is only a fallback: Peppol writes
    it as a percentage while plain UBL 2.1 allows a factor.
    """
    allowances = []
    for allowance_charge in find_all(line, "AllowanceCharge"):
        if text_at(allowance_charge, "ChargeIndicator") == "true":
            warnings.append("a line charge is included in the line amount but not in the unit price")
        else:
            allowances.append(allowance_charge)
    if not allowances:
        return None
    amounts = [decimal_at(allowance, "Amount", warnings=warnings) for allowance in allowances]
    bases = [decimal_at(allowance, "BaseAmount", warnings=warnings) for allowance in allowances]
    if None not in amounts:
        base = bases[0] if len(set(bases)) == 1 and bases[0] else None
        if base is None and quantity is not None and unit_price is not None:
            base = quantity * unit_price
        discount = percent_of(sum(amounts, Decimal(0)), base)
        if discount is not None:
            return discount
    if len(allowances) == 1:
        return to_decimal(text_at(allowances[0], "MultiplierFactorNumeric"))
    return None
