"""Structured e-invoices: the XML a supplier sends alone or embeds in its PDF.

What the XML states is what the supplier booked, so every field read here
gets confidence 1.0 and the dispatcher prefers it to anything read from the
PDF's text.  Two syntaxes cover the EN 16931 world: UN/CEFACT CII
(Factur-X, ZUGFeRD 1 and 2, XRechnung CII) and OASIS UBL (Peppol, XRechnung
UBL); each has its reader module, this one only routes and checks.
"""

from __future__ import annotations

from decimal import Decimal
from xml.etree.ElementTree import Element

from .einvoice_cii import is_cii_root, read_cii
from .einvoice_ubl import is_ubl_root, read_ubl
from .einvoice_xml import children, local_name, namespace, parse_xml
from .errors import ExtractionError
from .limits import Limits
from .pivot import HEADER_FIELDS, PARTY_FIELDS, Invoice

# Peppol access points may deliver the UBL wrapped in its transport envelope.
_SBDH_ROOT = "StandardBusinessDocument"


def parse_einvoice_xml(data: bytes, limits: Limits, source: str) -> list[Invoice]:
    """Read one CII or UBL e-invoice; ``source`` is "xml" (a file) or "embedded-xml" (a PDF attachment)."""
    _check_size(data, limits, source)
    root = _unwrap_envelope(parse_xml(data))
    root_namespace, root_name = namespace(root), local_name(root)
    if is_cii_root(root_namespace, root_name):
        invoice = read_cii(root)
    elif is_ubl_root(root_namespace, root_name):
        invoice = read_ubl(root)
    else:
        raise ExtractionError(
            "invalid_xml",
            f"the XML root <{root_name}> ({root_namespace or 'no namespace'}) is neither a CII invoice "
            "(Factur-X, ZUGFeRD, XRechnung) nor a UBL Invoice or CreditNote",
        )
    invoice.source = source
    invoice.format = None
    invoice.warnings.extend(_consistency_warnings(invoice))
    invoice.confidence.update(_stated_fields(invoice))
    return [invoice]


def _check_size(data: bytes, limits: Limits, source: str) -> None:
    if len(data) > limits.max_inflated_bytes:
        code = "inflate_limit" if source == "embedded-xml" else "file_too_large"
        raise ExtractionError(code, f"the XML has {len(data)} bytes, over the cap of {limits.max_inflated_bytes}")
    if not data.strip():
        raise ExtractionError("invalid_xml", "the XML is empty")


def _unwrap_envelope(root: Element) -> Element:
    if local_name(root) != _SBDH_ROOT:
        return root
    for child in children(root, ("Invoice", "CreditNote")):
        if is_ubl_root(namespace(child), local_name(child)):
            return child
    return root


def _consistency_warnings(invoice: Invoice) -> list[str]:
    """What the Odoo layer should know before it books the XML as stated."""
    warnings = []
    if not invoice.invoice_number:
        warnings.append("the XML states no invoice number")
    if invoice.amount_total is None:
        warnings.append("the XML states no grand total")
    if invoice.document_type == "invoice" and invoice.amount_total is not None and invoice.amount_total < 0:
        warnings.append("the invoice total is negative: the supplier booked a correction as an invoice type code")
    line_amounts = [line.amount for line in invoice.lines if line.amount is not None]
    if line_amounts and invoice.amount_untaxed is not None:
        line_sum = sum(line_amounts, Decimal(0))
        if line_sum != invoice.amount_untaxed:
            warnings.append(
                f"the lines add up to {line_sum}, not to the untaxed amount {invoice.amount_untaxed} "
                "(document-level allowances or charges, or line amounts stated with tax)"
            )
    return warnings


def _stated_fields(invoice: Invoice) -> dict[str, float]:
    """Confidence 1.0 for every field the XML states; keys are pivot names, ``supplier.vat`` for parties."""
    stated = {name: 1.0 for name in HEADER_FIELDS if getattr(invoice, name) is not None}
    for party_name, party_fields in PARTY_FIELDS.items():
        party = getattr(invoice, party_name)
        stated.update({f"{party_name}.{name}": 1.0 for name in party_fields if getattr(party, name)})
    if invoice.lines:
        stated["lines"] = 1.0
    return stated
