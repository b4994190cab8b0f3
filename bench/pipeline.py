#!/usr/bin/env python3
"""Invoices per hour end to end inside Odoo: a supplier's mail with its invoice attached to a posted, matched bill.

    python3 bench/pipeline.py [--invoices 50] [--kind pdf|csv|both|facturx|all] [--keep-database]

Creates a new database with ``invoice_import`` installed (no demo data) in a
real Odoo 18 found like ``tests/odoo_tier.sh`` finds it (``ODOO_SRC``,
``ODOO_PYTHON``, ``ODOO_DB_*``), and drops it at the end.  Two suppliers,
each with a sender mapping and automatic import: Bolt Supplies with the PDF
template ``samples/formats/bolt_supplies_pdf.json`` (the template path, not
the template-free reading), ACME with the CSV format
``samples/formats/acme_csv.json``.  Each gets N confirmed, fully received
purchase orders of 10 lines, and N invoices of 10 lines billing them: text
PDFs drawn by ``samples/make_samples.py`` (reportlab) and ACME CSV exports.
The company validates matched bills automatically.

Each invoice is a real RFC 822 mail to the vendor bills journal's alias,
with the receiving server's ``Authentication-Results`` (DKIM pass for the
supplier's domain; without it a mapped sender is not trusted and no bill is
posted without a person), handed to ``mail.thread.message_process`` as fetchmail hands it (same
context) and committed per mail as fetchmail does, on one worker (this
process).  The mails are written before the clock starts: the time is
Odoo's, from the first mail to the last bill.  Target: 5,000 invoices an
hour per kind.

``--kind facturx`` (part of ``all``, the default) sends the shared corpus'
real Factur-X PDFs both to this addon and, in a second database with only
``account`` and ``purchase``, to Odoo's own Factur-X import, mail by mail
in turn, and prints both side by side: this addon's path must not be
slower than Odoo's own on the same e-invoices (see ``pipeline_facturx.py``
for what is compared).  Each side's line gives the SQL queries per mail; with ``IIS_BENCH_PROFILE=1`` the
worker is profiled (cProfile) on both sides' timed mails and the top of each profile printed (its times
then include the profiler's: such a run finds the cost, it does not measure it; ``IIS_BENCH_PROFILE=cpu``
counts the worker's CPU time alone, without the waits for PostgreSQL that dominate a loaded machine's wall
clock); with ``IIS_BENCH_SQL=1`` each side's queries (and those of the PDF and CSV mails) are tallied by the
code that sent them (``pipeline_sql.py``) and the most frequent printed (``IIS_BENCH_SQL_ROWS``, default 60,
of them).  With ``IIS_BENCH_DUMP=<file>`` the addon's bills (header, journal items, chatter, activities, import
records) are written to that JSON file at the end, to compare two runs field by field.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import logging
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pipeline_facturx  # noqa: E402
import pipeline_sql  # noqa: E402
from odoo_bench import REPO, create_database, drop_database, mark_received, registry, run_in_odoo_python  # noqa: E402

sys.path.insert(0, str(REPO))
from samples.acme_csv import acme_csv  # noqa: E402
from samples.make_samples import HEADER, draw_bolt_invoice  # noqa: E402

TARGET_PER_HOUR = 5_000
LINES = 10
ALIAS_DOMAIN = "bills.bench.example"
SUPPLIERS = {
    "pdf": {
        "name": "Bolt Supplies Ltd",
        "vat": "GB123456789",
        "sender": "accounts@boltsupplies.example",
        "format": "formats/bolt_supplies_pdf.json",
        "currency": "GBP",
        "tax": 20,
        "code": "BS-P{:05d}",
    },
    "csv": {
        "name": "ACME Industrial GmbH",
        "vat": "DE811234567",
        "sender": "rechnungen@acme.example",
        "format": "formats/acme_csv.json",
        "currency": "EUR",
        "tax": 19,
        "code": "AC-{:05d}",
    },
}


def setup_company(env):
    """The vendor bills journal's alias on a mail domain, and matched bills validated automatically."""
    company = env.company
    domain = env["mail.alias.domain"].create({"name": ALIAS_DOMAIN})
    company.write({"alias_domain_id": domain.id, "invoice_import_match_autopost": True})
    journal = env["account.journal"].search([("type", "=", "purchase"), ("company_id", "=", company.id)], limit=1)
    journal.alias_domain_id = domain
    env["res.config.settings"].create({}).action_invoice_import_new_alias()
    return journal


def setup_supplier(env, kind, orders_count):
    """The supplier of ``kind``, its format, sender mapping, products and ``orders_count`` received 10-line POs."""
    spec = SUPPLIERS[kind]
    currency = env["res.currency"].with_context(active_test=False).search([("name", "=", spec["currency"])])
    currency.active = True
    tax = env["account.tax"].create(
        {"name": f"Bench purchase {spec['tax']}%", "amount": spec["tax"], "type_tax_use": "purchase"}
    )
    fmt = env["invoice.import.format"].create({"definition": (REPO / "samples" / spec["format"]).read_text()})
    supplier = env["res.partner"].create(
        {
            "name": spec["name"],
            "vat": spec["vat"],
            "is_company": True,
            "invoice_import_format_id": fmt.id,
            "invoice_import_auto": True,
            "invoice_import_sender_ids": [(0, 0, {"email": spec["sender"]})],
        }
    )
    n_products = orders_count * LINES
    products = env["product.product"].create(
        [
            {
                "name": f"{kind} bench article {i:05d}",
                "default_code": f"INT-{kind}-{i:05d}",
                "type": "consu",
                "purchase_method": "receive",
                "supplier_taxes_id": [(6, 0, tax.ids)],
                "seller_ids": [(0, 0, {"partner_id": supplier.id, "product_code": spec["code"].format(i)})],
            }
            for i in range(n_products)
        ]
    )
    orders = env["purchase.order"].create(
        [
            {
                "partner_id": supplier.id,
                "currency_id": currency.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": products[o * LINES + k].id,
                            "product_qty": 1 + (o + k) % 9,
                            "price_unit": 1 + ((o * LINES + k) % 997) / 4,
                            "taxes_id": [(6, 0, tax.ids)],
                        },
                    )
                    for k in range(LINES)
                ],
            }
            for o in range(orders_count)
        ]
    )
    orders.button_confirm()
    mark_received(env, orders)
    return supplier, orders


def invoice_lines(order, code_of):
    return [
        (code_of[line.product_id.product_tmpl_id.id], line.product_id.name, line.product_qty, line.price_unit)
        for line in order.order_line
    ]


def pdf_invoice(number, order, lines):
    """Bolt Supplies' PDF of one invoice (the sample's layout, ten lines on one page)."""
    header = dict(HEADER, invoice_number=number, po_reference=order.name)
    items = [(code, name, _plain(qty), f"{Decimal(str(price)):.2f}", "20") for code, name, qty, price in lines]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{number}.pdf"
        draw_bolt_invoice(path, items=items, header=header)
        return path.name, path.read_bytes(), ("application", "pdf", {})


def csv_invoice(number, order, lines):
    # the export's own code page, declared as mailers do (without it Odoo would read the text as UTF-8)
    return f"{number}.csv", acme_csv(number, order.name, lines), ("text", "csv", {"charset": "windows-1252"})


def _plain(value):
    return format(Decimal(str(value)).normalize(), "f")


def mail(sender, to, number, attachment):
    """The supplier's mail, RFC 822 bytes as a mail server hands them over."""
    filename, content, (maintype, subtype, params) = attachment
    message = EmailMessage()
    message["From"] = f"Accounts <{sender}>"
    message["To"] = to
    message["Subject"] = f"Invoice {number}"
    message["Message-Id"] = f"<{number}@{sender.split('@')[1]}>"
    # what the receiving server adds once it checked the sender's DKIM signature, as a real mailbox's mail
    # has it: a mapped sender is trusted only then (``engine.mailbox.sender_authentication``)
    message["Authentication-Results"] = f"mx.bench.example; dkim=pass header.d={sender.split('@')[1]}"
    message.set_content(f"Please find invoice {number} attached.")
    message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename, params=params)
    return message.as_bytes()


def feed(env, mails, tally=None):
    """Each mail through the gateway as fetchmail does it, committed one by one; seconds per mail and overall.

    ``tally``: a ``pipeline_sql.SqlTally`` that files every mail's queries by the code that sent them."""
    thread = env["mail.thread"].with_context(fetchmail_cron_running=True)
    timings = []
    start = time.perf_counter()
    for raw in mails:
        begin = time.perf_counter()
        with tally or contextlib.nullcontext():
            thread.message_process(None, raw, save_original=False, strip_attachments=False)
            env.cr.commit()
        timings.append(time.perf_counter() - begin)
    return timings, time.perf_counter() - start


def outcome(env, supplier):
    """Bills of ``supplier``: how many posted, and why the others were not."""
    bills = env["account.move"].search([("partner_id", "=", supplier.id), ("move_type", "=", "in_invoice")])
    posted = bills.filtered(lambda b: b.state == "posted")
    reasons = {}
    for bill in bills - posted:
        document = bill.invoice_import_document_id
        report = document.match_report or {}
        why = [reason for line in report.get("lines", []) for reason in line.get("reasons", [])]
        key = f"{document.state}/{document.match_state}: {document.warnings or ''} {'; '.join(why[:2])}".strip()
        reasons[key] = reasons.get(key, 0) + 1
    return len(bills), len(posted), reasons


def run(env, kind, count):
    journal = env["account.journal"].search([("type", "=", "purchase"), ("company_id", "=", env.company.id)], limit=1)
    supplier, orders = setup_supplier(env, kind, count)
    spec = SUPPLIERS[kind]
    sellers = env["product.supplierinfo"].search([("partner_id", "=", supplier.id)])
    code_of = {seller.product_tmpl_id.id: seller.product_code for seller in sellers}
    make = pdf_invoice if kind == "pdf" else csv_invoice
    mails = [
        mail(
            spec["sender"],
            journal.alias_email,
            f"{kind.upper()}-{i + 1:05d}",
            make(f"{'BS' if kind == 'pdf' else 'RE'}-{i + 1:05d}", order, invoice_lines(order, code_of)),
        )
        for i, order in enumerate(orders)
    ]
    env.cr.commit()
    tally = pipeline_sql.SqlTally() if os.environ.get("IIS_BENCH_SQL") else None
    timings, wall = feed(env, mails, tally)
    env.invalidate_all()
    bills, posted, reasons = outcome(env, supplier)
    return {"timings": timings, "wall": wall, "bills": bills, "posted": posted, "reasons": reasons, "sql": tally}


def dump_bills(env, path):
    """The bills, their journal items, chatter, activities and import records as JSON at ``path``
    (``IIS_BENCH_DUMP``): two runs, before and after a change, are compared field by field (``diff``)."""
    import json

    def lines(move):
        return sorted(
            [
                line.display_type,
                line.name,
                line.account_id.code,
                line.product_id.default_code,
                line.product_uom_id.name,
                line.quantity,
                line.price_unit,
                line.discount,
                sorted(line.tax_ids.mapped("name")),
                line.balance,
                line.amount_currency,
                line.analytic_distribution,
                line.purchase_line_id.order_id.name,
                line.purchase_line_id.product_id.default_code,
                line.is_imported,
                str(line.date_maturity),
            ]
            for line in move.line_ids
        )

    def chatter(move):
        messages = env["mail.message"].search([("model", "=", move._name), ("res_id", "=", move.id)], order="id")
        return [
            [
                message.message_type,
                message.subtype_id.name,
                str(message.body),
                message.attachment_ids.mapped("name"),
                sorted(
                    [value.field_id.name, value.old_value_char, value.new_value_char]
                    for value in message.sudo().tracking_value_ids
                ),
            ]
            for message in messages
        ]

    bills = env["account.move"].search([("move_type", "in", ("in_invoice", "in_refund"))], order="id")
    data = [
        {
            "header": [
                bill.move_type,
                bill.name,
                bill.state,
                bill.ref,
                bill.partner_id.name,
                str(bill.invoice_date),
                str(bill.date),
                str(bill.invoice_date_due),
                bill.invoice_origin,
                bill.currency_id.name,
                bill.amount_untaxed,
                bill.amount_tax,
                bill.amount_total,
                bill.invoice_payment_term_id.name,
            ],
            "lines": lines(bill),
            "chatter": chatter(bill),
            "activities": sorted([a.summary, a.user_id.login, str(a.note)] for a in bill.activity_ids),
            "documents": [
                [d.state, d.match_state, d.warnings, d.partner_match, d.confidence, d.match_report]
                for d in bill.invoice_import_document_ids
            ],
        }
        for bill in bills
    ]
    Path(path).write_text(json.dumps(data, indent=1, default=str, sort_keys=True))


def machine():
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}, load average {load}"


def report(kind, count, result):
    timings = sorted(result["timings"])
    per_hour = count / result["wall"] * 3600
    p90 = timings[min(len(timings) - 1, int(0.9 * len(timings)))]
    print(
        f"{kind.upper()}: {count} mails in {result['wall']:.1f} s = {per_hour:,.0f} invoices/hour "
        f"(target {TARGET_PER_HOUR:,}); per invoice median {statistics.median(timings) * 1000:.0f} ms, "
        f"p90 {p90 * 1000:.0f} ms, worst {timings[-1] * 1000:.0f} ms"
    )
    print(f"  {result['bills']} bills: {result['posted']} posted, {result['bills'] - result['posted']} to review")
    for why, number in result["reasons"].items():
        print(f"    {number} x {why}")
    if result.get("sql"):
        print_sql(kind.upper(), result["sql"])
    return per_hour >= TARGET_PER_HOUR and result["posted"] == count


def run_facturx(ours_env, odoo_env, count):
    """The same Factur-X mails to this addon and to Odoo's own import, in turn; per side what ``run`` returns,
    plus ``right_total`` and ``lines`` (bills whose total is the file's, bills with lines)."""
    invoices, files = pipeline_facturx.prepare_invoices(count + 1)  # the first: each side's untimed warm-up
    pipeline_facturx.setup_side(ours_env, files, ours=True)
    pipeline_facturx.setup_side(odoo_env, files, ours=False)
    ours_to = (
        ours_env["account.journal"]
        .search([("type", "=", "purchase"), ("company_id", "=", ours_env.company.id)], limit=1)
        .alias_email
    )
    odoo_to = pipeline_facturx.setup_odoo_company(odoo_env, ALIAS_DOMAIN).alias_email
    sides = {
        "this addon": (ours_env, [mail(sender, ours_to, number, file) for sender, number, file, _t in invoices]),
        "Odoo's own": (odoo_env, [mail(sender, odoo_to, number, file) for sender, number, file, _t in invoices]),
    }
    for env, _mails in sides.values():
        env.cr.commit()
    expected = [(number, total) for _s, number, _a, total in invoices[1:]]
    results = {}
    profile = {label: new_profiler() for label in sides} if os.environ.get("IIS_BENCH_PROFILE") else None
    sql = {label: pipeline_sql.SqlTally() for label in sides} if os.environ.get("IIS_BENCH_SQL") else None
    for label, (timings, wall, queries, cpu) in pipeline_facturx.feed_alternately(sides, profile, sql).items():
        env = sides[label][0]
        env.invalidate_all()
        outcome = pipeline_facturx.bills_outcome(env, expected)
        results[label] = {"timings": timings, "wall": wall, "queries": queries, "cpu": cpu, "reasons": {}, **outcome}
        if profile:
            results[label]["profile"] = profile[label]
        if sql:
            results[label]["sql"] = sql[label]
    return results, len(files)


def new_profiler():
    """A profiler of wall time, or of this process's CPU time alone with ``IIS_BENCH_PROFILE=cpu`` (the figure the
    comparison with Odoo's own rests on: the waits for PostgreSQL, most of a loaded machine's wall time, left out)."""
    if os.environ.get("IIS_BENCH_PROFILE") == "cpu":
        return cProfile.Profile(time.process_time)
    return cProfile.Profile()


def print_profile(label, profiler, rows=40):
    """The functions the worker spent its time in on one side (``IIS_BENCH_PROFILE=1``), by cumulative time,
    and the stats file ``/tmp/iis_bench_profile_<side>.prof`` for a closer look (``python -m pstats``)."""
    path = Path(tempfile.gettempdir()) / f"iis_bench_profile_{''.join(c for c in label if c.isalnum())}.prof"
    profiler.dump_stats(path)
    print(f"  profile of {label} (whole stats in {path}):")
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(rows)
    print("\n".join("    " + line for line in stream.getvalue().splitlines() if line.strip()))


def print_sql(label, tally):
    """The queries of one side's mails by the code that sent them (``IIS_BENCH_SQL=1``), the
    ``IIS_BENCH_SQL_ROWS`` (default 60) most frequent."""
    print(f"  SQL of {label}, by the code that sent it:")
    rows = int(os.environ.get("IIS_BENCH_SQL_ROWS") or 60)
    print("\n".join("    " + line for line in tally.lines(rows=rows)))


def report_facturx(count, results, corpus_count):
    """Both sides, one line each, then how much faster or slower this addon is; True when not slower."""
    print(
        f"FACTUR-X: {count} mails of the {corpus_count} CII Factur-X/ZUGFeRD 2 PDFs of the shared corpus, "
        "to each side in turn (after one untimed mail each)"
    )
    for label, result in results.items():
        timings = sorted(result["timings"])
        p90 = timings[min(len(timings) - 1, int(0.9 * len(timings)))]
        print(
            f"  {label:<11} {count / result['wall'] * 3600:>8,.0f} invoices/hour; per invoice "
            f"median {statistics.median(timings) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
            f"worst {timings[-1] * 1000:.0f} ms; {result['bills']} bills, {result['lines']} with lines, "
            f"{result['right_total']} with the file's total; SQL queries per mail median "
            f"{statistics.median(result['queries']):.0f}, max {max(result['queries'])}; worker CPU "
            f"{sum(result['cpu']) * 1000:.0f} ms in all"
        )
    same, medians = pipeline_facturx.like_for_like(results)
    if same:
        print(
            f"  on the {same} mails both sides filled with lines: median "
            + ", ".join(f"{label} {ms:.0f} ms" for label, ms in medians.items())
        )
    split = pipeline_facturx.split_by_odoo_outcome(results)
    for part, what in (("filled", "Odoo's decoder filled"), ("empty", "Odoo's decoder left empty")):
        ours_s, odoo_s = split[part]["this addon"], split[part]["Odoo's own"]
        if split["count"][part] and odoo_s:
            print(
                f"  on the {split['count'][part]} mails {what}: this addon {ours_s * 1000:.0f} ms in all, "
                f"Odoo's own {odoo_s * 1000:.0f} ms: {ours_s / odoo_s:.2f}x"
            )
    for label, result in results.items():
        if result.get("profile"):
            print_profile(label, result["profile"])
        if result.get("sql"):
            print_sql(label, result["sql"])
    ours, odoo = results["this addon"], results["Odoo's own"]
    ratio = ours["wall"] / odoo["wall"]
    print(f"  worker CPU: this addon {sum(ours['cpu']) / sum(odoo['cpu']):.2f}x Odoo's own (the load moves it less)")
    print(f"  this addon takes {ratio:.2f}x the time of Odoo's own import ({'not slower' if ratio <= 1 else 'slower'})")
    return ratio <= 1 and ours["right_total"] == count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=50, help="invoices per kind (default 50)")
    parser.add_argument(
        "--kind",
        choices=["pdf", "csv", "both", "facturx", "all"],
        default="all",
        help="both: pdf and csv; all: pdf, csv and facturx (default)",
    )
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database at the end")
    parser.add_argument(
        "--database-prefix",
        default="iis_bench_pipeline",
        help="the new databases' names start with this (several people benching on one server keep apart)",
    )
    args = parser.parse_args()
    run_in_odoo_python()
    kinds = {"both": ["pdf", "csv"], "all": ["pdf", "csv", "facturx"]}.get(args.kind, [args.kind])
    database = f"{args.database_prefix}_{int(time.time())}_{os.getpid()}"
    log = Path(f"/tmp/{database}.log")
    print(f"machine: {machine()}")
    print(f"database {database}: installing invoice_import (log {log})", flush=True)
    start = time.perf_counter()
    create_database(database, "invoice_import", log)
    print(f"installed in {time.perf_counter() - start:.0f} s", flush=True)
    odoo_database = f"{database}_odoo" if "facturx" in kinds else None
    if odoo_database:
        print(f"database {odoo_database}: installing {pipeline_facturx.ODOO_ADDONS} only (Odoo's own import)")
        create_database(odoo_database, pipeline_facturx.ODOO_ADDONS, Path(f"/tmp/{odoo_database}.log"))
    ok = True
    try:
        logging.getLogger("odoo").setLevel(logging.WARNING)
        with registry(database).cursor() as cr:
            from odoo import SUPERUSER_ID, api

            env = api.Environment(cr, SUPERUSER_ID, {})
            setup_company(env)
            cr.commit()
            for kind in kinds:
                if kind == "facturx":
                    with registry(odoo_database).cursor() as odoo_cr:
                        odoo_env = api.Environment(odoo_cr, SUPERUSER_ID, {})
                        results, corpus_count = run_facturx(env, odoo_env, args.invoices)
                    ok = report_facturx(args.invoices, results, corpus_count) and ok
                else:
                    result = run(env, kind, args.invoices)
                    ok = report(kind, args.invoices, result) and ok
            if os.environ.get("IIS_BENCH_DUMP"):
                env.invalidate_all()
                dump_bills(env, os.environ["IIS_BENCH_DUMP"])
    finally:
        if not args.keep_database:
            drop_database(database)
            if odoo_database:
                drop_database(odoo_database)
    print(f"machine after: {machine()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
