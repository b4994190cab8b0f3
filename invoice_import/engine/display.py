"""What a person sees of an extracted invoice: which fields, in which order, under which label, as what kind of value.

The screens (the import document's *Extracted Data*, *Try on a File*)
show the pivot as labelled fields, never its keys or its JSON; the
choices are made here, once, and the Odoo layer only formats each value
by its kind with Odoo's own formatting (the user's date format, the
currency's symbol and decimals) and translates the labels.

Kinds: ``text``, ``date`` (ISO string in the pivot), ``amount`` (decimal
string, in the invoice's currency), ``quantity``, ``percent``.
"""

from __future__ import annotations

import re

from .pivot import HEADER_FIELDS, PARTY_FIELDS

TEXT = "text"
DATE = "date"
AMOUNT = "amount"
QUANTITY = "quantity"
PERCENT = "percent"

# label of each header field and "party.field" key, in English (the Odoo layer translates)
FIELD_LABELS = {
    "document_type": "Document type",
    "invoice_number": "Invoice number",
    "issue_date": "Invoice date",
    "due_date": "Due date",
    "currency": "Currency",
    "amount_untaxed": "Untaxed amount",
    "amount_tax": "Tax",
    "amount_total": "Total",
    "po_reference": "Purchase order",
    "supplier.name": "Supplier name",
    "supplier.vat": "Supplier VAT",
    "supplier.email": "Supplier email",
    "supplier.phone": "Supplier phone",
    "supplier.iban": "Supplier IBAN",
    "customer.name": "Customer name",
    "customer.vat": "Customer VAT",
    "lines": "Lines",
}
FIELD_KINDS = {
    "issue_date": DATE,
    "due_date": DATE,
    "amount_untaxed": AMOUNT,
    "amount_tax": AMOUNT,
    "amount_total": AMOUNT,
}
DOCUMENT_TYPE_LABELS = {"invoice": "Invoice", "credit_note": "Credit note"}
# the columns of the lines table: (pivot key, label, kind)
LINE_COLUMNS = (
    ("product_code", "Product code", TEXT),
    ("description", "Description", TEXT),
    ("quantity", "Quantity", QUANTITY),
    ("unit_price", "Unit price", AMOUNT),
    ("discount", "Discount (%)", PERCENT),
    ("tax_rate", "Tax (%)", PERCENT),
    ("amount", "Amount", AMOUNT),
)


def describe_warning(text: str) -> str:
    """An engine warning as the person reviewing the bill reads it: every field key named by its label.

    The readers write field keys into their warnings ("due_date: not found", "amount_untaxed 10 +
    amount_tax 2 = 12, but amount_total is 13"), which the engine's own consumers filter on; people
    read the field's label instead. A leading key takes the label as it is, a key inside the sentence
    in lower case (as the words around it), and the sentence starts with a capital. What the file
    itself says (a quoted column title or value) is left exactly as it is.

    >>> describe_warning("due_date: not found")
    'Due date: not found'
    >>> describe_warning("supplier.name: ACME GmbH chosen over Bolt Ltd; please check")
    'Supplier name: ACME GmbH chosen over Bolt Ltd; please check'
    >>> describe_warning("amount_untaxed 10 + amount_tax 2 = 12, but amount_total is 13")
    'Untaxed amount 10 + tax 2 = 12, but total is 13'
    >>> describe_warning("row 4, column 'unit_price': 'x' is not a number: unit_price left empty")
    "Row 4, column 'unit_price': 'x' is not a number: unit price left empty"
    """
    key, separator, rest = text.partition(": ")
    if separator and key in FIELD_LABELS:
        return f"{FIELD_LABELS[key]}: {_name_keys(rest)}"
    text = _name_keys(text)
    return text[:1].upper() + text[1:]


def _in_sentence(key: str) -> str:
    """A field's label inside a sentence: "Untaxed amount" -> "untaxed amount", "Supplier VAT" -> "supplier VAT"."""
    label = FIELD_LABELS.get(key) or IN_SENTENCE.get(key) or key.replace("_", " ")
    first, _, rest = label.partition(" ")
    return (first if first.isupper() and len(first) > 1 else first.lower()) + (f" {rest}" if rest else "")


def _name_keys(text: str) -> str:
    """``text`` with the field keys outside its quotes replaced by their labels in lower case."""
    parts = _QUOTED.split(text)
    quoted = _QUOTED.findall(text)
    named = [_KEY.sub(lambda match: _in_sentence(_KEY_ALIASES.get(match[0], match[0])), part) for part in parts]
    return "".join(part + (quoted[index] if index < len(quoted) else "") for index, part in enumerate(named))


# a line's keys (the table's labels are column headings: "Tax (%)" reads badly in a sentence)
IN_SENTENCE = {"product_code": "product code", "unit_price": "unit price", "tax_rate": "tax rate"}
# a format's field names for the party fields ("supplier_vat") are the pivot's "supplier.vat"
_KEY_ALIASES = {f"{party}_{key}": f"{party}.{key}" for party, keys in PARTY_FIELDS.items() for key in keys}
# only keys no English word spells (an underscore or a dot in them): "currency" or "quantity" stay words
_KEYS = sorted(
    {key for key in [*FIELD_LABELS, *IN_SENTENCE, *_KEY_ALIASES] if "_" in key or "." in key}, key=len, reverse=True
)
_KEY = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(key) for key in _KEYS) + r")(?![\w])")
# a quote opens where no letter is before it (the lines' tax rates is no quote) and closes before no letter
_QUOTED = re.compile(r"(?<!\w)'[^']*'(?!\w)|(?<!\w)\"[^\"]*\"(?!\w)")


def field_rows(data: dict) -> list[dict]:
    """The rows to show for one pivot invoice (``Invoice.to_dict()`` form).

    Every header field, read or not (a missing total is worth seeing),
    then the party fields that were read.  Each row is a dict ``{"key",
    "label", "kind", "value", "confidence"}``: ``value`` None when not
    read, the document type already in words, ``confidence`` 0-1 or None.

    >>> rows = field_rows({"document_type": "credit_note", "issue_date": "2024-03-01", "amount_total": "10.50",
    ...                    "supplier": {"name": "ACME", "vat": None}, "confidence": {"amount_total": 0.8}})
    >>> [(r["label"], r["kind"], r["value"], r["confidence"]) for r in rows if r["value"]]
    [('Document type', 'text', 'Credit note', None), ('Invoice date', 'date', '2024-03-01', None), \
('Total', 'amount', '10.50', 0.8), ('Supplier name', 'text', 'ACME', None)]
    >>> [r["key"] for r in rows if r["value"] is None][:2]
    ['invoice_number', 'due_date']
    """
    confidence = data.get("confidence") or {}
    rows = []
    for key in HEADER_FIELDS:
        value = data.get(key)
        if key == "document_type" and value is not None:
            value = DOCUMENT_TYPE_LABELS.get(value, value)
        rows.append(_row(key, value, confidence.get(key)))
    for party, keys in PARTY_FIELDS.items():
        values = data.get(party) or {}
        for key in keys:
            if values.get(key) not in (None, ""):
                full = f"{party}.{key}"
                rows.append(_row(full, values[key], confidence.get(full)))
    return rows


def _row(key, value, score):
    return {
        "key": key,
        "label": FIELD_LABELS[key],
        "kind": FIELD_KINDS.get(key, TEXT),
        "value": None if value in (None, "") else value,
        "confidence": score,
    }
