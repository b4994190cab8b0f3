"""Matching stays fast with many open purchase order lines (the 10,000-line figure: bench/matching.py)."""

import importlib.util
import logging
import statistics

from odoo.tests import tagged

from .common import REPO, InvoiceImportCommon

_logger = logging.getLogger(__name__)


def _bench():
    spec = importlib.util.spec_from_file_location("invoice_import_bench_matching", REPO / "bench" / "matching.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMatchingSpeed(InvoiceImportCommon):
    def test_fifty_line_bill_against_a_thousand_open_lines(self):
        bench = _bench()
        bill, orders = bench.setup(self.env, po_lines=1_000, bill_lines=50)
        matching, end_to_end, report = bench.measure(self.env, bill, runs=3)
        _logger.info(
            "a %s-line bill against %s open PO lines: matching %.0f ms, end to end (linking the lines) %.0f ms",
            len(bill.invoice_line_ids),
            len(orders.order_line),
            statistics.median(matching) * 1000,
            statistics.median(end_to_end) * 1000,
        )
        self.assertEqual(sum(1 for line in report["lines"] if line["po_line_id"]), 50)
        self.assertLess(statistics.median(matching), 1.0)
