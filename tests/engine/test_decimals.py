"""The float → Decimal conversions: one for invoice_import, one for the sync addons (they share no code)."""

from decimal import Decimal as D

from account_sync.engine.decimals import to_decimal as sync_decimal
from account_sync.engine.idempotency import payload_fingerprint
from invoice_import.engine.decimals import to_decimal
from invoice_import.engine.tolerance import ABSOLUTE, UNIT_PRICE, ToleranceRule, within_tolerance


def test_a_tolerance_typed_in_odoo_compares_as_typed():
    # the vendor documentation's example: 0.05 around 7.56, stored by Odoo as floats
    rule = ToleranceRule(UNIT_PRICE, ABSOLUTE, to_decimal(0.05), to_decimal(0.0), to_decimal(9.99))
    assert rule.value == D("0.05") and str(rule.value) == "0.05"
    assert within_tolerance(to_decimal(7.56), to_decimal(7.61), rule)
    assert not within_tolerance(to_decimal(7.56), to_decimal(7.62), rule)


def test_what_is_pushed_has_one_fingerprint_however_odoo_holds_the_float():
    assert payload_fingerprint({"qty": sync_decimal(10.0)}) == payload_fingerprint({"qty": sync_decimal(10)})
    assert sync_decimal(0.1 + 0.2) == D("0.3") and sync_decimal(False) == 0


def test_what_is_pulled_keeps_every_decimal_the_remote_gave():
    assert sync_decimal(1.2345678901, places=None) == D("1.2345678901")
    assert sync_decimal(1.2345678901) == D("1.234568")
