"""The same Factur-X mails through this addon and through Odoo's own Factur-X import, side by side.

Used by ``bench/pipeline.py --kind facturx``.  "Odoo's own" is a second
database with only ``account`` and ``purchase`` (``account_edi_ubl_cii``,
Odoo's UBL/CII decoder, installs itself with ``account``): the vendor bills
journal's alias turns each mail into a bill and Odoo's decoder fills it from
the PDF's embedded ``factur-x.xml``.  In the addon's database the same
decoder is installed too, but the engine reads the file first: that is the
only difference between the two sides.

The mails carry the real Factur-X / ZUGFeRD 2 PDFs of the shared corpus
(``../shared/corpus/facturx/``), the ones whose XML is CII D16B (Odoo's
decoder does not read ZUGFeRD 1).  Several corpus files repeat one seller's
invoice number, and both sides treat a repeated number differently (Odoo
warns, the addon sets the mail aside as a duplicate), so each mail's
embedded XML gets a number of its own; the pages and the rest of the XML
are kept, the PDF is written again by pypdf (without its XMP metadata,
which neither decoder reads).  Both databases know the two sellers (name,
VAT, the sender's address), so neither side spends time creating partners,
and have purchase taxes at the files' rates (the generic chart has only
15%).

Mails go alternately to one side then the other (which side first changes
every mail), each committed as fetchmail commits, so a change in the shared
machine's load falls on both; the first mail of each side is not timed.
Neither side has purchase orders for these invoices: both end at a draft
bill filled from the XML.  The bench counts the bills with lines and those
whose total is the file's true total, and, since Odoo's decoder leaves the
bill of a file without line items empty, also gives the median over the
mails both sides filled with lines.
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import time
from decimal import Decimal

from odoo_bench import REPO

CORPUS = REPO.parent / "shared" / "corpus" / "facturx"
CII_D16B = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
ODOO_ADDONS = "account,purchase"


def corpus_files():
    """``[(pdf path, its embedded XML's file name, the corpus' true values)]`` for the CII D16B PDFs, sorted."""
    from pypdf import PdfReader

    files = []
    for path in sorted(CORPUS.glob("*.pdf")):
        for name, payloads in PdfReader(path).attachments.items():
            if name.lower().endswith(".xml") and CII_D16B.encode() in payloads[0][:4000]:
                expected = json.loads(path.with_suffix(".expected.json").read_text())
                files.append((path, name, expected))
                break
    return files


def renumbered(path, xml_name, number):
    """The PDF at ``path`` with invoice number ``number`` in its embedded XML (pages and the XML otherwise
    unchanged); bytes."""
    from lxml import etree  # in Odoo's Python, which this bench runs in (see ``run_in_odoo_python``)
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(path)
    root = etree.fromstring(reader.attachments[xml_name][0])
    root.find(f"{{{CII_D16B}}}ExchangedDocument/{{{RAM}}}ID").text = number
    writer = PdfWriter()
    writer.append(reader)
    writer.add_attachment(xml_name, etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def tax_rates(path, xml_name):
    """The VAT rates (percent, as Decimals) that the embedded XML of the PDF at ``path`` applies."""
    from lxml import etree
    from pypdf import PdfReader

    root = etree.fromstring(PdfReader(path).attachments[xml_name][0])
    return {Decimal(node.text) for node in root.iter(f"{{{RAM}}}RateApplicablePercent") if node.text}


def sender_of(expected):
    """The seller's invoicing address, the same in both databases."""
    slug = "".join(c for c in expected["seller_name"].lower() if c.isalnum())[:20] or "seller"
    return f"invoices@{slug}.example"


def prepare_invoices(count):
    """``count`` of the corpus' Factur-X PDFs (cycled), each with a number of its own.

    Returns ``(invoices, files)``: per mail ``(sender, invoice number, attachment, true total)`` with the
    attachment as ``pipeline.mail`` takes it, and the corpus files used (see ``corpus_files``)."""
    files = corpus_files()
    invoices = []
    for i in range(count):
        path, xml_name, values = files[i % len(files)]
        number = f"{values['invoice_number']}-B{i + 1:05d}"
        attachment = (path.name, renumbered(path, xml_name, number), ("application", "pdf", {}))
        invoices.append((sender_of(values), number, attachment, Decimal(values["amount_total"])))
    return invoices, files


def setup_side(env, files, ours):
    """What both databases get alike: the corpus' sellers as partners (name, VAT, sender's address; in the
    addon's database its sender mapping too), their currencies active, and purchase taxes at the files' rates
    (the generic chart has only 15%), so that both decoders can fill taxes and totals."""
    rates = sorted({rate for path, name, _v in files for rate in tax_rates(path, name)})
    env["account.tax"].create(
        [{"name": f"Bench purchase {rate}%", "amount": rate, "type_tax_use": "purchase"} for rate in rates]
    )
    sellers = {}
    for _path, _name, values in files:
        sellers.setdefault(values["seller_vat"] or values["seller_name"], values)
    for values in sellers.values():
        partner = {"name": values["seller_name"], "is_company": True, "email": sender_of(values)}
        if values["seller_vat"]:
            partner["vat"] = values["seller_vat"]
        if ours:
            partner["invoice_import_sender_ids"] = [(0, 0, {"email": sender_of(values)})]
        env["res.partner"].create(partner)
    codes = {values["currency"] for _p, _n, values in files if values["currency"]}
    env["res.currency"].with_context(active_test=False).search([("name", "in", sorted(codes))]).write({"active": True})


def setup_odoo_company(env, alias_domain):
    """Odoo's own database: the vendor bills journal's alias on the same mail domain, nothing else."""
    domain = env["mail.alias.domain"].create({"name": alias_domain})
    env.company.alias_domain_id = domain
    journal = env["account.journal"].search([("type", "=", "purchase"), ("company_id", "=", env.company.id)], limit=1)
    journal.write({"alias_domain_id": domain.id, "alias_name": "vendor-bills-odoo"})
    return journal


def feed_alternately(sides, profile=None, sql=None):
    """Mail i to every side, committed one by one as fetchmail does, the side that goes first alternating.

    ``sides``: ``{label: (env, its mails)}``, the same invoices in the same order on every side.  The first
    mail of each side is not timed: it loads code and fills caches, once per Odoo worker.  ``profile``: a
    ``{label: cProfile.Profile}`` of the sides whose timed mails are profiled (the times then count the
    profiler too: the figures of such a run are for finding the cost, not for the comparison).
    Returns ``{label: (seconds per timed mail, total seconds, SQL queries per timed mail, worker CPU seconds
    per timed mail)}``: the queries are what the cursor sent to PostgreSQL, the commit included, the cost a
    profile of Python alone misses; the CPU time is this process's alone, which the machine's load moves
    far less than the wall time (waiting for a core or for PostgreSQL is not in it).  ``sql``: a
    ``{label: pipeline_sql.SqlTally}`` of the sides whose timed mails' queries are tallied by caller."""
    timings = {label: [] for label in sides}
    queries = {label: [] for label in sides}
    cpu = {label: [] for label in sides}
    labels = list(sides)
    profile = profile or {}
    sql = sql or {}
    count = len(next(iter(sides.values()))[1])
    for i in range(count):
        for label in labels if i % 2 == 0 else labels[::-1]:
            env, mails = sides[label]
            thread = env["mail.thread"].with_context(fetchmail_cron_running=True)
            profiler = profile.get(label) if i else None
            sent = env.cr.sql_log_count
            begin, begin_cpu = time.perf_counter(), time.process_time()
            tally = sql.get(label) if i else None
            if profiler:
                profiler.enable()
            with tally or contextlib.nullcontext():
                thread.message_process(None, mails[i], save_original=False, strip_attachments=False)
                env.cr.commit()
            if profiler:
                profiler.disable()
            if i:
                timings[label].append(time.perf_counter() - begin)
                queries[label].append(env.cr.sql_log_count - sent)
                cpu[label].append(time.process_time() - begin_cpu)
    return {label: (values, sum(values), queries[label], cpu[label]) for label, values in timings.items()}


def bills_outcome(env, expected):
    """How the bills of these mails came out.

    Returns ``{"bills", "lines", "right_total", "posted"}`` (counts) and ``"filled"``: per mail, in
    ``expected``'s order, whether its bill has lines.  A bill counts as right when its total is the file's
    true total."""
    moves = env["account.move"].search([("move_type", "in", ("in_invoice", "in_refund"))])
    by_ref = {move.ref: move for move in moves if move.ref}
    result = {"bills": 0, "lines": 0, "right_total": 0, "posted": 0, "filled": []}
    for number, total in expected:
        move = by_ref.get(number)
        result["filled"].append(bool(move and move.invoice_line_ids))
        if not move:
            continue
        result["bills"] += 1
        result["lines"] += bool(move.invoice_line_ids)
        result["right_total"] += Decimal(str(move.amount_total)).quantize(total) == total
        result["posted"] += move.state == "posted"
    return result


def like_for_like(results):
    """Median milliseconds per side over the mails whose bill has lines on every side (the same work: the
    files where Odoo's decoder leaves an empty bill are left out).

    ``results``: ``{label: {"timings", "filled"}}`` as ``pipeline.run_facturx`` makes them.
    Returns ``(how many mails, {label: median ms})``; ``(0, {})`` when there are none."""
    both = [all(column) for column in zip(*(result["filled"] for result in results.values()), strict=True)]
    medians = {
        label: statistics.median(t for t, kept in zip(result["timings"], both, strict=True) if kept) * 1000
        for label, result in results.items()
        if any(both)
    }
    return sum(both), medians


def split_by_odoo_outcome(results, odoo_label="Odoo's own"):
    """Seconds per side over the mails Odoo's decoder filled with lines, and over those it left empty.

    The first is the same work on both sides; on the second this addon fills the bill (one line per VAT
    rate of a MINIMUM/BASIC WL) while Odoo's side only creates an empty one.
    Returns ``{"filled": {label: seconds}, "empty": {label: seconds}, "count": {"filled": n, "empty": n}}``."""
    filled = results[odoo_label]["filled"]
    split = {"filled": {}, "empty": {}, "count": {"filled": sum(filled), "empty": len(filled) - sum(filled)}}
    for label, result in results.items():
        split["filled"][label] = sum(t for t, kept in zip(result["timings"], filled, strict=True) if kept)
        split["empty"][label] = sum(t for t, kept in zip(result["timings"], filled, strict=True) if not kept)
    return split
