"""A float stored by Odoo as the Decimal a person typed: the one conversion of invoice_import's ORM into the engine.

Odoo keeps amounts, prices and quantities as floats; the engine computes in
``Decimal`` only (a float would make 7.56 + 0.05 miss 7.61).  ``repr`` of a
float is the shortest string that reads back as the same float, so 0.05
becomes ``Decimal('0.05')``, not 0.05000000000000000277.

The accounting sync addons have their own (``account_sync/engine/decimals.py``,
rounded to six places and normalised, which their payload fingerprints rest
on): ``invoice_import`` and ``account_sync`` do not depend on each other as
Odoo addons, so neither imports the other's code.

>>> to_decimal(0.05), to_decimal(7.56 + 0.05), to_decimal(None), to_decimal(False), to_decimal(3)
(Decimal('0.05'), Decimal('7.609999999999999'), Decimal('0.0'), Decimal('0.0'), Decimal('3.0'))
"""

from decimal import Decimal


def to_decimal(value) -> Decimal:
    """The float (or int; None/False as 0) as the Decimal of its shortest round-trip form."""
    return Decimal(repr(float(value or 0.0)))
