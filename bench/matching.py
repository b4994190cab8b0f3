#!/usr/bin/env python3
"""How fast an imported bill is matched to purchase orders inside Odoo: 50 lines against 10,000 open PO lines.

    python3 bench/matching.py -d DATABASE [-c odoo.conf] [--po-lines 10000] [--bill-lines 50] [--runs 5]

Runs in a real Odoo 18 (``/opt/odoo18/src`` unless ``ODOO_SRC`` says
otherwise) on a database where ``invoice_import`` is installed, and commits
nothing.  One supplier gets ``--po-lines`` confirmed, received PO lines
(10 per order, each product with the supplier's own code); a draft bill of
``--bill-lines`` lines, a third of them citing the supplier code, a third
the internal reference and a third only a description, is matched the way
the import does it (``account.move._invoice_import_match``: the indexed
searches, the engine, linking the bill lines, the report).  Target: the
matching well under a second.  ``measure`` is also used by the Odoo test
``test_matching_speed``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

# the shared bench helpers, also when the Odoo test test_matching_speed loads this file
sys.path.insert(0, str(Path(__file__).resolve().parent))
from odoo_bench import mark_received, registry  # noqa: E402

TARGET_SECONDS = 1.0
WORDS = ["bolt", "nut", "washer", "screw", "pipe", "valve", "cable", "plug", "seal", "clamp", "hinge", "bracket"]


def setup(env, po_lines=10_000, bill_lines=50, lines_per_order=10):
    """A supplier with ``po_lines`` open PO lines and a draft imported bill of ``bill_lines`` lines."""
    company = env.company
    supplier = env["res.partner"].create({"name": "Bench Supplier", "is_company": True})
    n_products = max(po_lines // 5, bill_lines)
    products = env["product.product"].create(
        [
            {
                "name": f"{WORDS[i % len(WORDS)]} {WORDS[(i // 12) % len(WORDS)]} {i:05d}",
                "default_code": f"INT-{i:05d}",
                "type": "consu",
                "purchase_method": "receive",
                "seller_ids": [(0, 0, {"partner_id": supplier.id, "product_code": f"SUP-{i:05d}"})],
            }
            for i in range(n_products)
        ]
    )
    orders = env["purchase.order"].create(
        [
            {
                "partner_id": supplier.id,
                "state": "purchase",
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": products[(o * lines_per_order + k) % n_products].id,
                            "product_qty": 10,
                            "price_unit": 1 + ((o * lines_per_order + k) % 997) / 10,
                            "taxes_id": [],
                        },
                    )
                    for k in range(lines_per_order)
                ],
            }
            for o in range(po_lines // lines_per_order)
        ]
    )
    mark_received(env, orders)
    # the bill bills lines spread over the whole set of orders
    targets = orders.order_line[:: max(1, len(orders.order_line) // bill_lines)][:bill_lines]
    journal = env["account.journal"].search([("type", "=", "purchase"), ("company_id", "=", company.id)], limit=1)
    bill_values = []
    for i, line in enumerate(targets):
        product = line.product_id
        if i % 3 == 0:
            name = f"[{product.seller_ids[0].product_code}] supplier wording {i}"
        elif i % 3 == 1:
            name = f"[{product.default_code}] supplier wording {i}"
        else:
            name = product.name
        bill_values.append({"name": name, "quantity": 5, "price_unit": line.price_unit, "tax_ids": []})
    bill = env["account.move"].create(
        {
            "move_type": "in_invoice",
            "partner_id": supplier.id,
            "journal_id": journal.id,
            "invoice_date": "2024-03-05",
            "invoice_line_ids": [(0, 0, values) for values in bill_values],
        }
    )
    env["invoice.import.document"].create(
        {"company_id": company.id, "move_id": bill.id, "partner_id": supplier.id, "state": "ready"}
    )
    env.flush_all()
    return bill, orders


def reuse(env):
    supplier = env["res.partner"].search([("name", "=", "Bench Supplier")], order="id desc", limit=1)
    bill = env["account.move"].search([("partner_id", "=", supplier.id), ("state", "=", "draft")], limit=1)
    orders = env["purchase.order"].search([("partner_id", "=", supplier.id)])
    return (bill, orders) if bill else (None, None)


def measure(env, bill, runs=5):
    """Seconds per match of ``bill``, each run from an unlinked bill, and the last report.

    Returns ``(matching, end_to_end, report)``: *matching* is finding the
    candidate PO lines and the engine's work (``_invoice_import_match_report``);
    *end to end* adds linking the bill lines through the ORM, recording the
    report and scheduling the activities.
    """
    matching, end_to_end = [], []
    for _run in range(runs):
        env.cr.execute("SAVEPOINT bench_match")
        env.invalidate_all()
        start = time.perf_counter()
        bill._invoice_import_match_report([])
        matching.append(time.perf_counter() - start)
        env.invalidate_all()
        start = time.perf_counter()
        bill._invoice_import_match()
        env.flush_all()
        end_to_end.append(time.perf_counter() - start)
        report = bill.invoice_import_document_id.match_report
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_match")
        env.invalidate_all()
    return matching, end_to_end, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config", default="/opt/odoo18/odoo.conf")
    parser.add_argument("--po-lines", type=int, default=10_000)
    parser.add_argument("--bill-lines", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="commit the set-up, for --reuse")
    parser.add_argument("--reuse", action="store_true", help="use the set-up a --keep run committed")
    args = parser.parse_args()
    with registry(args.database, args.config).cursor() as cr:
        from odoo import SUPERUSER_ID, api

        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        bill, orders = reuse(env) if args.reuse else (None, None)
        if not bill:
            bill, orders = setup(env, args.po_lines, args.bill_lines)
            if args.keep:
                cr.commit()
        print(
            f"set-up: {len(orders.order_line)} open PO lines in {len(orders)} orders, "
            f"a {len(bill.invoice_line_ids)}-line bill ({time.perf_counter() - start:.1f} s)"
        )
        matching, end_to_end, report = measure(env, bill, args.runs)
        cr.rollback()
    matched = sum(1 for line in report["lines"] if line["po_line_id"])
    print(f"matched {matched}/{len(report['lines'])} lines, passed={report['passed']}")
    for label, timings in (("matching (search + engine)", matching), ("end to end (+ linking the lines)", end_to_end)):
        print(
            f"{label}: median {statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms "
            f"over {len(timings)} runs"
        )
    print(f"target: matching under {TARGET_SECONDS * 1000:.0f} ms")
    return 0 if statistics.median(matching) < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
