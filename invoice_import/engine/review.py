"""What a person must look at in an imported document, and the key two writings of its number compare under.

The import document (``models/invoice_import_document.py``) stores the
engine's confidence per field; the rules that turn it into a state and a
list of fields to check are here, tested without Odoo.  A key field (one
a bill cannot be trusted without) counts as confidence 0 when missing;
another field is only *doubtful* when it was read at all.

>>> document_state({"partner": 1.0, "invoice_number": 0.95, "issue_date": 1, "currency": 1, "amount_total": 1}, [])
'ready'
>>> document_state({"partner": 1.0}, []), low_confidence_keys({"partner": 1.0, "due_date": 0.5})
('to_review', ['invoice_number', 'issue_date', 'currency', 'amount_total', 'due_date'])
"""

import re

from .states import READY, TO_REVIEW

# A field read with less confidence than this is shown as needing a look.
CONFIDENCE_THRESHOLD = 0.9
# The fields a bill cannot be trusted without; missing counts as confidence 0.
KEY_FIELDS = ("partner", "invoice_number", "issue_date", "currency", "amount_total")


def invoice_number_key(number):
    """The form under which two writings of one invoice number compare equal.

    Case, spaces and punctuation differ between a supplier's PDF, its CSV
    export and what a person types ('RE 2024/0117', 're-2024-117'), so the
    number is cut into runs of letters and runs of digits, upper-cased, and
    leading zeros are dropped from the digit runs.  Boundaries are kept:
    'INV-1-23' and 'INV-12-3' stay different.

    >>> invoice_number_key(" re 2024/0117 ") == invoice_number_key("RE-2024-117") == "RE-2024-117"
    True
    >>> invoice_number_key("INV0042"), invoice_number_key("INV-1-23") == invoice_number_key("INV-12-3")
    ('INV-42', False)
    >>> invoice_number_key(None), invoice_number_key(" / "), invoice_number_key("000")
    (False, False, '0')
    """
    runs = re.findall(r"[^\W\d_]+|\d+", (number or "").upper())
    return "-".join(run.lstrip("0") or "0" if run.isdigit() else run for run in runs) or False


def is_doubtful(value):
    """Read, but not surely: a field the engine did not find at all (0) is absent, not doubtful.

    >>> is_doubtful(0.5), is_doubtful(0.0), is_doubtful(None), is_doubtful(CONFIDENCE_THRESHOLD)
    (True, False, False, False)
    """
    return bool(value) and value < CONFIDENCE_THRESHOLD


def is_low(key, value):
    """A field shown as needing a look: a key field missing or below the threshold, any other doubtful.

    >>> is_low("partner", None), is_low("due_date", None), is_low("due_date", 0.89)
    (True, False, True)
    """
    if key in KEY_FIELDS:
        return not value or value < CONFIDENCE_THRESHOLD
    return is_doubtful(value)


def low_confidence_keys(confidence):
    """The fields a person must check: the key fields missing or below the threshold, then the doubtful others."""
    confidence = confidence or {}
    keys = [k for k in KEY_FIELDS if confidence.get(k, 0.0) < CONFIDENCE_THRESHOLD]
    keys += [k for k, v in confidence.items() if k not in KEY_FIELDS and is_doubtful(v)]
    return keys


def document_state(confidence, warnings):
    """Ready only when every key field was read with high confidence and nothing was odd; else to review."""
    if warnings:
        return TO_REVIEW
    if any((confidence or {}).get(key, 0.0) < CONFIDENCE_THRESHOLD for key in KEY_FIELDS):
        return TO_REVIEW
    return READY
