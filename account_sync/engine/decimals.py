"""A float (from Odoo or from a vendor's SDK) as a Decimal: the one conversion of the accounting sync addons.

Odoo keeps amounts, prices and quantities as floats, and xero-python hands
back the numbers of Xero's JSON as floats; the neutral records
(``records.py``) hold ``Decimal`` only.

Two uses, one function:

- what is pushed (``places=6``, the default): rounded to six places, which
  removes a float's noise (0.1 + 0.2), and normalised, so that 10.0 and 10
  give one payload fingerprint (``idempotency.payload_fingerprint``, stored
  per binding: changing this would make every document look changed);
- what is pulled (``places=None``): the remote's value exactly as its
  shortest string, None as 0 (an exchange rate may carry ten decimals).

``invoice_import`` has its own (``invoice_import/engine/decimals.py``):
it and ``account_sync`` do not depend on each other as Odoo addons, so
neither imports the other's code; ``account_sync_xero`` and
``account_sync_qbo`` depend on ``account_sync`` and use this one.

>>> to_decimal(0.1 + 0.2), to_decimal(10.0), to_decimal(None), to_decimal(0.0)
(Decimal('0.3'), Decimal('1E+1'), Decimal('0'), Decimal('0'))
>>> to_decimal(1.2345678901, places=None), to_decimal(2.50, places=None), to_decimal(None, places=None)
(Decimal('1.2345678901'), Decimal('2.5'), Decimal('0'))
"""

from decimal import Decimal

PUSH_PLACES = 6


def to_decimal(value, places: int | None = PUSH_PLACES) -> Decimal:
    """The number as a Decimal: rounded to ``places`` and normalised, or exact when ``places`` is None."""
    if places is None:
        return Decimal(str(value)) if value is not None else Decimal(0)
    return Decimal(str(round(value, places))).normalize() if value else Decimal(0)
