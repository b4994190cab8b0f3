"""The pivot structure every reader produces and every consumer reads.

One dataclass tree, documented once, so that the CSV reader, the PDF
template, the e-invoice XML reader, the template-free extractor and the
Odoo layer all speak the same language.  Amounts are ``Decimal`` end to
end; ``to_dict`` turns them into strings for JSON, never floats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal

DOCUMENT_TYPES = ("invoice", "credit_note")
SOURCES = ("csv", "pdf-text", "ocr", "embedded-xml", "xml")
# The pivot's scalar header fields and each party's fields, in the contract's order; confidence keys
# are these names, "party.field" for party fields, and "lines".
HEADER_FIELDS = (
    "document_type",
    "invoice_number",
    "issue_date",
    "due_date",
    "currency",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "po_reference",
)
PARTY_FIELDS = {"supplier": ("name", "vat", "email", "phone", "iban"), "customer": ("name", "vat")}


@dataclass
class Party:
    name: str | None = None
    vat: str | None = None
    email: str | None = None
    phone: str | None = None
    iban: str | None = None


@dataclass
class Line:
    description: str | None = None
    product_code: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    discount: Decimal | None = None
    tax_rate: Decimal | None = None
    amount: Decimal | None = None


@dataclass
class Invoice:
    document_type: str = "invoice"
    invoice_number: str | None = None
    issue_date: dt.date | None = None
    due_date: dt.date | None = None
    currency: str | None = None
    amount_untaxed: Decimal | None = None
    amount_tax: Decimal | None = None
    amount_total: Decimal | None = None
    supplier: Party = field(default_factory=Party)
    customer: Party = field(default_factory=Party)
    po_reference: str | None = None
    lines: list[Line] = field(default_factory=list)
    source: str | None = None
    format: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # where each header value is printed (``provenance.locate``): {confidence key: [{"page", "box"}]}
    locations: dict[str, list[dict]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready dict in the documented key order (the CLI contract).

        ``locations`` is there only when a value was found on a page image
        (a PDF or an image file): ``{field: [{"page": 0, "box": [x0, y0,
        x1, y1]}]}``, the box in fractions of the page, top down.
        """
        data = {
            "document_type": self.document_type,
            "invoice_number": self.invoice_number,
            "issue_date": _json_value(self.issue_date),
            "due_date": _json_value(self.due_date),
            "currency": self.currency,
            "amount_untaxed": _json_value(self.amount_untaxed),
            "amount_tax": _json_value(self.amount_tax),
            "amount_total": _json_value(self.amount_total),
            "supplier": _dataclass_dict(self.supplier),
            "customer": {"name": self.customer.name, "vat": self.customer.vat},
            "po_reference": self.po_reference,
            "lines": [_line_dict(line) for line in self.lines],
            "source": self.source,
            "format": self.format,
            "confidence": {k: round(float(v), 3) for k, v in self.confidence.items()},
            "warnings": list(self.warnings),
        }
        if self.locations:
            data["locations"] = {name: [dict(spot) for spot in spots] for name, spots in self.locations.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Invoice:
        """Inverse of ``to_dict``: lets the Odoo layer store and reload a pivot."""

        def dec(value):
            return None if value in (None, "") else Decimal(str(value))

        def date(value):
            return dt.date.fromisoformat(value) if value else None

        return cls(
            document_type=data.get("document_type") or "invoice",
            invoice_number=data.get("invoice_number"),
            issue_date=date(data.get("issue_date")),
            due_date=date(data.get("due_date")),
            currency=data.get("currency"),
            amount_untaxed=dec(data.get("amount_untaxed")),
            amount_tax=dec(data.get("amount_tax")),
            amount_total=dec(data.get("amount_total")),
            supplier=Party(**(data.get("supplier") or {})),
            customer=Party(**(data.get("customer") or {})),
            po_reference=data.get("po_reference"),
            lines=[
                Line(
                    description=line.get("description"),
                    product_code=line.get("product_code"),
                    quantity=dec(line.get("quantity")),
                    unit_price=dec(line.get("unit_price")),
                    discount=dec(line.get("discount")),
                    tax_rate=dec(line.get("tax_rate")),
                    amount=dec(line.get("amount")),
                )
                for line in data.get("lines") or []
            ],
            source=data.get("source"),
            format=data.get("format"),
            confidence=dict(data.get("confidence") or {}),
            warnings=list(data.get("warnings") or []),
            locations=dict(data.get("locations") or {}),
        )


def _json_value(value):
    if isinstance(value, Decimal):
        return _decimal_str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _decimal_str(value: Decimal) -> str:
    """Plain notation, never exponent: '1E+2' would surprise every consumer."""
    return format(value, "f")


def _dataclass_dict(obj) -> dict:
    return {f.name: _json_value(getattr(obj, f.name)) for f in fields(obj)}


def _line_dict(line: Line) -> dict:
    keys = ("product_code", "description", "quantity", "unit_price", "discount", "tax_rate", "amount")
    return {k: _json_value(getattr(line, k)) for k in keys}
