"""UN/CEFACT Cross Industry Invoice: Factur-X, ZUGFeRD 2, XRechnung CII, and ZUGFeRD 1.

ZUGFeRD 1.0 (and its release candidate) is the older CII schema: the same
business terms under other container names (``HeaderExchangedDocument``
for ``ExchangedDocument``, ``ApplicableSupplyChainTradeAgreement`` for
``ApplicableHeaderTradeAgreement``...).  Each path step below lists both
names, so one reader serves every generation.
"""

from __future__ import annotations

import datetime as dt
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
    own_text,
    percent_of,
    text_at,
    to_decimal,
)
from .pivot import Invoice, Line, Party, TaxSubtotal
from .values import parse_date

CII_NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
ZUGFERD1_NAMESPACE = "urn:ferd:CrossIndustryDocument:invoice:1p0"
# The ZUGFeRD release candidate (2013/14, still sent by old GnuAccounting
# installations): root ``Invoice`` in this namespace, children unqualified.
ZUGFERD_RC_NAMESPACE_PREFIX = "urn:un:unece:uncefact:data:standard:CBFBUY:"

HEADER = ("ExchangedDocument", "HeaderExchangedDocument")
TRANSACTION = ("SupplyChainTradeTransaction", "SpecifiedSupplyChainTradeTransaction")
AGREEMENT = ("ApplicableHeaderTradeAgreement", "ApplicableSupplyChainTradeAgreement")
SETTLEMENT = ("ApplicableHeaderTradeSettlement", "ApplicableSupplyChainTradeSettlement")
SUMMATION = ("SpecifiedTradeSettlementHeaderMonetarySummation", "SpecifiedTradeSettlementMonetarySummation")
LINE_ITEM = "IncludedSupplyChainTradeLineItem"
LINE_AGREEMENT = ("SpecifiedLineTradeAgreement", "SpecifiedSupplyChainTradeAgreement")
LINE_DELIVERY = ("SpecifiedLineTradeDelivery", "SpecifiedSupplyChainTradeDelivery")
LINE_SETTLEMENT = ("SpecifiedLineTradeSettlement", "SpecifiedSupplyChainTradeSettlement")
LINE_SUMMATION = ("SpecifiedTradeSettlementLineMonetarySummation", "SpecifiedTradeSettlementMonetarySummation")
RATE = ("RateApplicablePercent", "ApplicablePercent")
# D16B says IssuerAssignedID, ZUGFeRD 1 says ID.
REFERENCE_ID = ("IssuerAssignedID", "ID")
VAT_SCHEMES = ("VA", "VAT")
# UNTDID 2379 date formats that carry a full day; 610 (month) and 616 (week) do not.
_DAY_FORMATS = ("102", "203", "204")
_UNIT_PRICE_DIGITS = Decimal("0.000001")


def is_cii_root(root_namespace: str, root_name: str) -> bool:
    return (
        (root_name == "CrossIndustryInvoice" and root_namespace == CII_NAMESPACE)
        or (root_name == "CrossIndustryDocument" and root_namespace == ZUGFERD1_NAMESPACE)
        or (root_name == "Invoice" and root_namespace.startswith(ZUGFERD_RC_NAMESPACE_PREFIX))
    )


def read_cii(root: Element) -> Invoice:
    warnings: list[str] = []
    header = find(root, HEADER)
    transaction = find(root, TRANSACTION)
    agreement = find(transaction, AGREEMENT)
    settlement = find(transaction, SETTLEMENT)
    summation = find(settlement, SUMMATION)
    currency = text_at(settlement, "InvoiceCurrencyCode") or _currency_attribute(summation)
    items = find_all(transaction, LINE_ITEM)
    supplier = _party(find(agreement, "SellerTradeParty"))
    supplier.iban = compact(
        text_at(settlement, "SpecifiedTradeSettlementPaymentMeans", "PayeePartyCreditorFinancialAccount", "IBANID")
    )
    customer_party = find(agreement, "BuyerTradeParty")
    invoice = Invoice(
        document_type=document_type_for(text_at(header, "TypeCode")),
        invoice_number=text_at(header, "ID"),
        issue_date=_date(find(header, "IssueDateTime"), warnings),
        due_date=_due_date(settlement, warnings),
        currency=currency,
        amount_untaxed=decimal_at(summation, "TaxBasisTotalAmount", warnings=warnings),
        amount_tax=_tax_total(summation, currency, warnings),
        amount_total=decimal_at(summation, "GrandTotalAmount", warnings=warnings),
        supplier=supplier,
        customer=Party(name=text_at(customer_party, "Name"), vat=_vat(customer_party)),
        po_reference=_order_reference(agreement, items, warnings),
        lines=[_line(item, warnings) for item in items],
        tax_subtotals=_tax_subtotals(settlement, warnings),
    )
    invoice.warnings.extend(warnings)
    return invoice


def _tax_subtotals(settlement: Element | None, warnings: list[str]) -> list[TaxSubtotal]:
    """The header's VAT breakdown, one entry per ``ApplicableTradeTax`` (rate, basis, tax)."""
    return [
        TaxSubtotal(
            rate=decimal_at(tax, RATE, warnings=warnings),
            basis=decimal_at(tax, "BasisAmount", warnings=warnings),
            amount=decimal_at(tax, "CalculatedAmount", warnings=warnings),
        )
        for tax in children(settlement, "ApplicableTradeTax")
    ]


def _date(element: Element | None, warnings: list[str]) -> dt.date | None:
    """``<IssueDateTime><udt:DateTimeString format="102">20240131</...>``; ZUGFeRD 1 also writes the
    value straight into the element, with or without a format, sometimes as an ISO date-time."""
    if element is None:
        return None
    holder = find(element, ("DateTimeString", "DateString"))
    if holder is None:
        holder = element
    text = own_text(holder)
    if not text:
        return None
    date_format = holder.get("format")
    if date_format in _DAY_FORMATS:
        try:
            return dt.datetime.strptime(text[:8], "%Y%m%d").date()
        except ValueError:
            value = None
    elif date_format is None:
        value = parse_date(text)
    else:
        value = None
    if value is None:
        warnings.append(f"date {text[:40]!r} (format {date_format or 'none'}) is not a calendar day and was ignored")
    return value


def _due_date(settlement: Element | None, warnings: list[str]) -> dt.date | None:
    for terms in find_all(settlement, "SpecifiedTradePaymentTerms"):
        value = _date(find(terms, "DueDateDateTime"), warnings)
        if value:
            return value
    return None


def _currency_attribute(summation: Element | None) -> str | None:
    """Fallback when InvoiceCurrencyCode is empty: the currency the grand total states."""
    total = find(summation, "GrandTotalAmount")
    return None if total is None else (total.get("currencyID") or "").strip() or None


def _tax_total(summation: Element | None, currency: str | None, warnings: list[str]) -> Decimal | None:
    """The tax total in the invoice currency: a second TaxTotalAmount may state it in the tax currency."""
    candidates = children(summation, "TaxTotalAmount")
    for wanted in (currency, None):
        for candidate in candidates:
            if candidate.get("currencyID") == wanted:
                return decimal_of(candidate, warnings)
    return decimal_of(candidates[0], warnings) if candidates else None


def _party(party: Element | None) -> Party:
    contact = find(party, "DefinedTradeContact")
    return Party(
        name=text_at(party, "Name"),
        vat=_vat(party),
        email=_electronic_address(party) or text_at(contact, "EmailURIUniversalCommunication", "URIID"),
        phone=text_at(contact, "TelephoneUniversalCommunication", "CompleteNumber"),
        address=_address(find(party, "PostalTradeAddress")),
    )


def _address(address: Element | None) -> dict | None:
    """BG-5/BG-8: LineOne is the street, LineTwo and LineThree the further lines (joined as street2)."""
    if address is None:
        return None
    further = [text for text in (text_at(address, "LineTwo"), text_at(address, "LineThree")) if text]
    return clean_address(
        {
            "street": text_at(address, "LineOne"),
            "street2": ", ".join(further),
            "zip": text_at(address, "PostcodeCode"),
            "city": text_at(address, "CityName"),
            "country_code": text_at(address, "CountryID"),
        }
    )


def _vat(party: Element | None) -> str | None:
    for registration_id in find_all(party, "SpecifiedTaxRegistration", "ID"):
        if (registration_id.get("schemeID") or "").upper() in VAT_SCHEMES and own_text(registration_id):
            return compact(own_text(registration_id))
    return None


def _electronic_address(party: Element | None) -> str | None:
    """The party's electronic address (BT-34) when it is an e-mail address, not a Peppol or GLN id."""
    for uri in find_all(party, "URIUniversalCommunication", "URIID"):
        value = own_text(uri)
        if value and (uri.get("schemeID") == "EM" or "@" in value):
            return value
    return None


def _order_reference(agreement: Element | None, items: list[Element], warnings: list[str]) -> str | None:
    """The header order number; ZUGFeRD 1 EXTENDED may state it only on the lines."""
    header_order = text_at(agreement, "BuyerOrderReferencedDocument", REFERENCE_ID)
    if header_order:
        return header_order
    line_orders = []
    for item in items:
        order = text_at(item, LINE_AGREEMENT, "BuyerOrderReferencedDocument", REFERENCE_ID)
        if order and order not in line_orders:
            line_orders.append(order)
    if len(line_orders) > 1:
        warnings.append(f"the lines refer to {len(line_orders)} orders ({', '.join(line_orders)}); the first is used")
    return line_orders[0] if line_orders else None


def _line(item: Element, warnings: list[str]) -> Line:
    """One line item; a line that only carries a note (ZUGFeRD 1 does this) keeps the note as description."""
    product = find(item, "SpecifiedTradeProduct")
    settlement = find(item, LINE_SETTLEMENT)
    quantity = decimal_at(item, LINE_DELIVERY, "BilledQuantity", warnings=warnings)
    unit_price = _unit_price(find(item, LINE_AGREEMENT), warnings)
    return Line(
        description=text_at(product, "Name")
        or text_at(product, "Description")
        or text_at(item, "AssociatedDocumentLineDocument", "IncludedNote", "Content"),
        product_code=text_at(product, "SellerAssignedID") or text_at(product, "GlobalID"),
        quantity=quantity,
        unit_price=unit_price,
        discount=_line_discount(settlement, quantity, unit_price, warnings),
        tax_rate=decimal_at(settlement, "ApplicableTradeTax", RATE, warnings=warnings),
        amount=decimal_at(settlement, LINE_SUMMATION, "LineTotalAmount", warnings=warnings),
    )


def _unit_price(agreement: Element | None, warnings: list[str]) -> Decimal | None:
    """The net price for one unit: the XML may state it per basis quantity (e.g. per 100 pieces)."""
    for price_name in ("NetPriceProductTradePrice", "GrossPriceProductTradePrice"):
        price_element = find(agreement, price_name)
        price = decimal_at(price_element, "ChargeAmount", warnings=warnings)
        if price is None:
            continue
        basis = decimal_at(price_element, "BasisQuantity", warnings=warnings)
        if basis and basis != 1:
            price = price / basis
            if price.as_tuple().exponent < _UNIT_PRICE_DIGITS.as_tuple().exponent:
                price = price.quantize(_UNIT_PRICE_DIGITS)
        return price
    return None


def _line_discount(
    settlement: Element | None, quantity: Decimal | None, unit_price: Decimal | None, warnings: list[str]
) -> Decimal | None:
    """Line allowances as a percentage of quantity x net price, the way Odoo holds a discount.

    A discount already folded into the net price (ZUGFeRD's gross price
    allowance) is not repeated here; line charges have no place in a
    percentage discount and are reported instead.
    """
    allowances = []
    for allowance_charge in find_all(settlement, "SpecifiedTradeAllowanceCharge"):
        indicator = text_at(allowance_charge, "ChargeIndicator", "Indicator") or text_at(
            allowance_charge, "ChargeIndicator"
        )
        if indicator == "true":
            warnings.append("a line charge is included in the line amount but not in the unit price")
        else:
            allowances.append(allowance_charge)
    if not allowances:
        return None
    if len(allowances) == 1:
        percent = to_decimal(text_at(allowances[0], "CalculationPercent"))
        if percent is not None:
            return percent
    amounts = [decimal_at(allowance, "ActualAmount", warnings=warnings) for allowance in allowances]
    if None in amounts or quantity is None or unit_price is None:
        return None
    return percent_of(sum(amounts, Decimal(0)), quantity * unit_price)
