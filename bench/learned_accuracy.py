#!/usr/bin/env python3
"""Accuracy of supplier layouts learned from one confirmed bill, next to the template-free reader's.

For each layout family of the shared corpora (the file-name part before
``__``) with two files or more: learn a format from the family's first file
(in name order), with its ``.expected.json`` as the values a user confirmed,
exactly as ``invoice-import learn FILE --values VALUES.json --out FORMAT.json``
does; then read every other file of the family with it, as
``invoice-import extract OTHER --format FORMAT.json --ignore-embedded-xml``
does, and without it (the template-free reader).  Both are scored field by
field against the other files' ``.expected.json``::

    python3 bench/learned_accuracy.py [--corpus DIR ...] [--cli] [--rules both|positions|text] [-v]
    python3 bench/learned_accuracy.py --outside DIR ... [--seen DIR ...] [-v]

``--outside`` measures learning on layouts nobody here tuned on: the
Factur-X/ZUGFeRD PDFs of outside folders that ``bench/embedded_truth.py``
reads (one folder per public repository, their embedded XML the truth, the
same copies and reprints kept out).  A family is one seller's invoices drawn
by one generator in one repository (a supplier sending the same layout every
month); documents whose seller name the page does not print are not grouped.

``--cli`` runs the two commands in child processes instead of in-process
(the same code; slower, proves the command-line contract).  ``--rules``
keeps only the positional rules (``positions``, read from the words'
geometry) or only the regexes on the page text (``fields``) of each learned
format, to see what each kind reads on its own.  The learning
file itself is not scored: only held-out files of the family are.  Scoring
is ``extraction_accuracy.py``'s: fields where the XML states a value; the
seller's VAT number by its characters, amounts as decimals (credit notes
negative), dates as ISO dates.  A miss whose expected value the page does
not print at all (the XML and the page disagree) is counted, and the
figure without those is printed too: no reader can find them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from extraction_accuracy import SCORED_FIELDS, comparable, page_texts, printed_on_page, verdict  # noqa: E402

from invoice_import.engine.extract import extract_file  # noqa: E402
from invoice_import.engine.formats import load_format  # noqa: E402
from invoice_import.engine.learn import learn_file  # noqa: E402
from invoice_import.engine.pivot import Invoice, Line, Party  # noqa: E402

SHARED = REPO.parent / "shared" / "corpus"
DEFAULT_CORPORA = (SHARED / "facturx", SHARED / "invoices")


def confirmed_values(expected: dict) -> dict:
    """What a user would have confirmed for the file: the pivot's names, from the expected values."""
    return {
        "invoice_number": expected.get("invoice_number"),
        "issue_date": expected.get("issue_date"),
        "due_date": expected.get("due_date"),
        "currency": expected.get("currency"),
        "amount_total": expected.get("amount_total"),
        "po_reference": expected.get("po_reference"),
        "supplier": {"name": expected.get("seller_name"), "vat": expected.get("seller_vat")},
    }


def families(corpora) -> dict[str, list[tuple[Path, dict]]]:
    found = defaultdict(list)
    for corpus in corpora:
        for pdf in sorted(Path(corpus).glob("*.pdf")):
            expected = pdf.with_suffix(".expected.json")
            if "__" in pdf.name and expected.exists():
                found[f"{Path(corpus).name}/{pdf.name.split('__')[0]}"].append((pdf, json.loads(expected.read_text())))
    return {name: files for name, files in sorted(found.items()) if len(files) >= 2}


def outside_families(folders: list[Path], seen: list[Path]) -> dict[str, list[tuple[Path, dict]]]:
    """Outside e-invoices by (repository, seller, PDF producer), families of two files or more."""
    from embedded_truth import collect

    found = defaultdict(list)
    for document in collect(folders, seen).kept:
        seller = document.expected.get("seller_name")
        if seller:
            family = f"{document.source}/{seller[:18]}/{document.producer[:12]}"
            found[family].append((document.path, document.expected))
    return {name: files for name, files in sorted(found.items()) if len(files) >= 2}


def learn(pdf: Path, values: dict, workdir: Path, cli: bool) -> tuple[Path, dict]:
    values_file = workdir / (pdf.stem + ".values.json")
    values_file.write_text(json.dumps(values))
    out = workdir / (pdf.stem + ".format.json")
    if cli:
        run = subprocess.run(
            [sys.executable, "-m", "invoice_import.engine.cli", "learn", str(pdf), "--values", str(values_file)]
            + ["--out", str(out)],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        summary = json.loads(run.stdout)
        if run.returncode:
            raise RuntimeError(summary["error"]["message"])
        return out, summary
    return out, learn_file(pdf, values_file, out)


def keep_rules(format_file: Path, rules: str) -> None:
    """Strip the learned format of the other kind of rules (``--rules positions`` or ``text``)."""
    data = json.loads(format_file.read_text())
    data.pop("fields" if rules == "positions" else "positions", None)
    if rules == "positions":
        data["fields"] = {}
    format_file.write_text(json.dumps(data))


def read(pdf: Path, format_file: Path | None, cli: bool) -> Invoice:
    if not cli:
        formats = [load_format(str(format_file))] if format_file else []
        return extract_file(pdf, formats=formats, ignore_embedded_xml=True).invoices[0]
    command = [
        sys.executable,
        "-m",
        "invoice_import.engine.cli",
        "extract",
        str(pdf),
        "--ignore-embedded-xml",
        "--json",
    ]
    command += ["--format", str(format_file)] if format_file else []
    data = json.loads(subprocess.run(command, capture_output=True, text=True, cwd=REPO).stdout)
    return _invoice(data)


def _invoice(data: dict) -> Invoice:
    """The pivot JSON back into an Invoice, for the shared scoring code."""
    import datetime as dt
    from decimal import Decimal

    invoice = Invoice(document_type=data["document_type"], invoice_number=data["invoice_number"])
    for name in ("issue_date", "due_date"):
        setattr(invoice, name, dt.date.fromisoformat(data[name]) if data[name] else None)
    for name in ("amount_untaxed", "amount_tax", "amount_total"):
        setattr(invoice, name, Decimal(data[name]) if data[name] is not None else None)
    invoice.currency, invoice.po_reference = data["currency"], data["po_reference"]
    invoice.supplier = Party(name=data["supplier"]["name"], vat=data["supplier"]["vat"])
    invoice.customer = Party(name=data["customer"]["name"], vat=data["customer"]["vat"])
    invoice.lines = [Line() for _ in data["lines"]]
    return invoice


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="corpus folder (repeatable)")
    parser.add_argument("--outside", type=Path, nargs="+", help="folders of outside e-invoice PDFs, one per source")
    parser.add_argument("--seen", type=Path, action="append", default=[], help="with --outside: another half's folder")
    parser.add_argument("--cli", action="store_true", help="run the invoice-import commands in child processes")
    parser.add_argument("--rules", choices=("both", "positions", "text"), default="both", help="learned rules kept")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and each learned rule")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    groups = outside_families(args.outside, args.seen) if args.outside else families(args.corpus or DEFAULT_CORPORA)
    if not groups:
        print("no layout family with two files or more", file=sys.stderr)
        return 2
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load:.1f}")
    totals = {mode: defaultdict(lambda: [0, 0]) for mode in ("learned", "free")}
    unprintable = {"learned": 0, "free": 0}
    family_rows = []
    misses = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for family, files in groups.items():
            (first, first_expected), others = files[0], files[1:]
            try:
                format_file, summary = learn(first, confirmed_values(first_expected), Path(tmp), args.cli)
            except Exception as exc:  # a family whose first file teaches nothing is reported, not fatal
                print(f"{family}: learning from {first.name} failed: {exc}")
                format_file, summary = None, {}
            if format_file is not None and args.rules != "both":
                keep_rules(format_file, args.rules)
            if args.verbose and summary:
                print(f"\n{family}: learned from {first.name}")
                for name, how in summary.get("fields", {}).items():
                    print(f"    {name}: {how}")
                if summary.get("not_found"):
                    print(f"    not printed: {', '.join(summary['not_found'])}")
            row = {mode: [0, 0] for mode in ("learned", "free")}
            for pdf, expected in others:
                page_text = "\n".join(page_texts(pdf.read_bytes()))
                for mode, fmt in (("learned", format_file), ("free", None)):
                    exp, got = comparable(read(pdf, fmt, args.cli), expected)
                    for name in SCORED_FIELDS:
                        kind = verdict(name, exp[name], got[name])
                        if kind not in ("right", "wrong"):
                            continue
                        right = kind == "right"
                        totals[mode][name][0] += right
                        totals[mode][name][1] += 1
                        row[mode][0] += right
                        row[mode][1] += 1
                        printed = right or printed_on_page(name, exp[name], page_text)
                        unprintable[mode] += not printed
                        if not right and mode == "learned":
                            note = "" if printed else " (not printed)"
                            misses.append(f"{pdf.name}: {name}: expected {exp[name]} got {got[name]}{note}")
            family_rows.append((family, len(others), row))
    elapsed = time.perf_counter() - started

    def cell(pair):
        right, scored = pair
        return f"{right}/{scored} {100.0 * right / scored:5.1f}%" if scored else "-"

    print(f"\n== per field, held-out files of {len(groups)} families ({sum(n for _, n, _ in family_rows)} files) ==")
    print(f"{'field':<16}{'learned':>18}{'template-free':>18}")
    for name in SCORED_FIELDS:
        print(f"{name:<16}{cell(totals['learned'][name]):>18}{cell(totals['free'][name]):>18}")
    overall = {mode: [sum(v[0] for v in t.values()), sum(v[1] for v in t.values())] for mode, t in totals.items()}
    print(f"{'overall':<16}{cell(overall['learned']):>18}{cell(overall['free']):>18}")
    printed = {mode: [pair[0], pair[1] - unprintable[mode]] for mode, pair in overall.items()}
    print(f"{'printed values':<16}{cell(printed['learned']):>18}{cell(printed['free']):>18}")
    print(f"  ({unprintable['learned']} expected values are not printed on their page: the XML and the page disagree)")
    print("\n== per family ==")
    print(f"{'family':<44}{'files':>6}{'learned':>18}{'template-free':>18}")
    for family, count, row in family_rows:
        print(f"{family:<44}{count:>6}{cell(row['learned']):>18}{cell(row['free']):>18}")
    if args.verbose and misses:
        print("\nmisses of the learned formats:")
        print("\n".join("    " + miss for miss in misses))
    print(f"\ntime: {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
