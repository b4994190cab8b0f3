#!/usr/bin/env python3
"""Accuracy of the template-free reader on outside e-invoice PDFs, their embedded XML being the truth.

Any folder of Factur-X / ZUGFeRD / XRechnung PDFs becomes a scored set
without hand labelling: each PDF is read twice through the product's entry
point, ``extract_bytes(data)`` (the embedded CII/UBL XML: the truth) and
``extract_bytes(data, ignore_embedded_xml=True)`` (the page, as the
template-free reader sees it), and the two are compared on the fields of
``bench/extraction_accuracy.py``::

    python3 bench/embedded_truth.py DIR ... [--seen DIR ...] [--save F.json] [--compare F.json] [--census] [-v]

Each DIR is one source (a public repository's PDFs, copied outside any
checkout, e.g. ``/work/ext/<owner+name>/``); its name is the source's row.
A second table groups the same documents by the PDF's producer (the
generator that drew the page), which crosses sources.

Kept out, and counted: files that are not PDFs with an embedded e-invoice;
PDFs of more than ``MAX_PAGES`` pages;
pages without a text layer (scans: ``--scans`` of extraction_accuracy is
the OCR bench); copies, by content hash, of another file in the run or in
``../shared/corpus``; and documents printing the same text as one already
kept (a test suite writes one invoice many times: it is one document for
the reader), or the same invoice (number, date, total, seller) as one
already kept (the FeRD examples, reissued for each version of the
standard, are copied into many repositories).  A truth value the page does not print (an XML-only buyer
reference, a seller name the letterhead spells otherwise) cannot be read
by any reader: it is not scored, and the census says how often each field
was dropped so.

``--census`` stops after the truth: how many documents each source keeps,
without reading a single page template-free (to split sources into a
development half and a held-out half before looking at any miss).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from extraction_accuracy import (  # noqa: E402
    CREDIT_NOTE_CODES,
    SCORED_FIELDS,
    SHARED_CORPORA,
    Outcome,
    family_table,
    overall,
    page_texts,
    printed_on_page,
    report,
    score,
    tallies_by_family,
)

from invoice_import.engine.errors import ExtractionError  # noqa: E402
from invoice_import.engine.extract import MIN_TEXT_CHARS_PER_PAGE, extract_bytes  # noqa: E402

CREDIT_NOTE = sorted(CREDIT_NOTE_CODES)[0]
MAX_PAGES = 10  # longer PDFs in these repositories are specifications and manuals, not invoices
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "JPY": "¥"}


@dataclass
class Document:
    path: Path
    source: str
    producer: str
    expected: dict
    unprinted: list[str]  # truth fields dropped: the XML states them, the page does not print them


@dataclass
class Census:
    """Why files were kept out, per source: {source: {reason: count}}, and the documents kept."""

    skipped: dict
    kept: list[Document]


def truth_of(invoice) -> dict:
    """The XML's values in the keys of ``extraction_accuracy``'s ``.expected.json`` files."""
    return {
        "invoice_number": invoice.invoice_number,
        "type_code": CREDIT_NOTE if invoice.document_type == "credit_note" else "380",
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "seller_name": invoice.supplier.name,
        "seller_vat": invoice.supplier.vat,
        "buyer_name": invoice.customer.name,
        "currency": invoice.currency,
        "amount_total": _text(invoice.amount_total),
        "amount_untaxed": _text(invoice.amount_untaxed),
        "amount_tax": _text(invoice.amount_tax),
        "po_reference": invoice.po_reference,
        "line_count": len(invoice.lines) or None,
    }


def _text(amount) -> str | None:
    return None if amount is None else str(amount)  # a correction may state negative amounts on an invoice


def printed_truth(expected: dict, page_text: str) -> tuple[dict, list[str]]:
    """The truth without the values the page does not print: (expected, names of the fields dropped)."""
    from extraction_accuracy import normalise

    kept, dropped = dict(expected), []
    for name in SCORED_FIELDS + ("buyer_name",):
        value = normalise(name, expected.get(name))
        if name == "currency" and value and CURRENCY_SYMBOLS.get(value, value) in page_text:
            continue  # a euro sign states the currency as well as "EUR" does
        if value is not None and not printed_on_page(name, value, page_text):
            kept[name] = None
            dropped.append(name)
    return kept, dropped


def _page_count(data: bytes) -> int:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return 0
    try:
        return len(document)
    finally:
        document.close()


def producer_of(data: bytes) -> str:
    """The PDF's Producer (else Creator) metadata, first word(s) only: the generator that drew the page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        meta = document.get_metadata_dict()
    finally:
        document.close()
    name = (meta.get("Producer") or meta.get("Creator") or "?").strip() or "?"
    return " ".join(name.replace(";", " ").split()[:2])[:33]


def shared_hashes() -> set[str]:
    return {_sha(path.read_bytes()) for path in SHARED_CORPORA.glob("*/*.pdf")}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def collect(folders: list[Path], seen: list[Path] = ()) -> Census:
    """Every PDF of ``folders`` whose embedded e-invoice is the truth, deduplicated (see the module's doc).

    The documents of ``seen`` (another half of a split) count as already
    kept: a held-out half read alone keeps none of the development half's.
    """
    seen_bytes, seen_prints = shared_hashes(), set()
    for folder in seen:
        for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file()):
            _admit(path, folder.name, seen_bytes, seen_prints)
    skipped: dict[str, dict[str, int]] = {}
    kept = []
    for folder in folders:
        counts = skipped.setdefault(folder.name, {})
        for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file()):
            reason, document = _admit(path, folder.name, seen_bytes, seen_prints)
            if reason:
                counts[reason] = counts.get(reason, 0) + 1
            else:
                kept.append(document)
    return Census(skipped, kept)


def _admit(path: Path, source: str, seen_bytes: set, seen_prints: set) -> tuple[str | None, Document | None]:
    """(None, the document) when ``path`` is kept, else (the reason it is not, None)."""
    data = path.read_bytes()
    digest = _sha(data)
    if digest in seen_bytes:
        return "copy of another file", None
    seen_bytes.add(digest)
    if _page_count(data) > MAX_PAGES:
        return f"over {MAX_PAGES} pages (a manual)", None
    try:
        invoice = extract_bytes(data, allow_ocr=False).invoices[0]
        pages = page_texts(data)
    except (ExtractionError, Exception):  # noqa: BLE001 - a broken test file is kept out, not fatal
        return "no embedded e-invoice", None
    if invoice.source != "embedded-xml":
        return "no embedded e-invoice", None
    if any(len("".join(page.split())) < MIN_TEXT_CHARS_PER_PAGE for page in pages):
        return "a page without text", None
    printed = "\n".join(pages)
    print_digest = _sha("".join(printed.split()).encode())
    if print_digest in seen_prints:
        return "prints the same as another", None
    seen_prints.add(print_digest)
    truth = truth_of(invoice)
    key = tuple(truth[name] for name in ("invoice_number", "issue_date", "amount_total", "seller_name"))
    if key in seen_prints:
        return "same invoice as another", None
    seen_prints.add(key)
    expected, dropped = printed_truth(truth, printed)
    return None, Document(path, source, producer_of(data), expected, dropped)


def read_all(documents: list[Document], by: str) -> list[Outcome]:
    """Each document read template-free (embedded XML ignored, no OCR), as an ``Outcome`` grouped ``by``."""
    outcomes = []
    for document in documents:
        data = document.path.read_bytes()
        started = time.perf_counter()
        try:
            invoice = extract_bytes(data, filename=document.path.name, ignore_embedded_xml=True, allow_ocr=False)
            invoice = invoice.invoices[0]
        except ExtractionError as exc:
            print(f"{document.path.name}: {exc.code}: {exc.message}", file=sys.stderr)
            from invoice_import.engine.pivot import Invoice

            invoice = Invoice()
        seconds = time.perf_counter() - started
        family = document.source if by == "source" else document.producer
        printed = "\n".join(page_texts(data))
        name = f"{document.source}/{document.path.name}"
        outcomes.append(Outcome(name, family, document.expected, {"invoice": invoice}, seconds, 0, printed))
    score(outcomes)
    return outcomes


def census_table(census: Census) -> str:
    """Documents kept and kept out per source, and how often each truth field was dropped as unprinted."""
    lines = [f"{'source':<40}{'kept':>6}  kept out"]
    for source, reasons in census.skipped.items():
        kept = sum(1 for d in census.kept if d.source == source)
        why = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
        lines.append(f"{source[:39]:<40}{kept:>6}  {why}")
    dropped: dict[str, int] = {}
    for document in census.kept:
        for name in document.unprinted:
            dropped[name] = dropped.get(name, 0) + 1
    lines.append(f"total kept: {len(census.kept)}")
    lines.append(
        "truth values not printed on the page (not scored): "
        + (", ".join(f"{name} {count}" for name, count in sorted(dropped.items())) or "none")
    )
    return "\n".join(lines)


def sources_parser(description: str, folders_help: str) -> argparse.ArgumentParser:
    """The arguments of a bench over folders of outside documents, one per source (here and in outside_truth)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("folders", type=Path, nargs="+", help=folders_help)
    parser.add_argument(
        "--seen", type=Path, action="append", default=[], help="a folder of another half: its documents are not kept"
    )
    parser.add_argument("--census", action="store_true", help="count the documents kept, read none")
    parser.add_argument("--save", type=Path, help="write the per-source, per-field tallies to this JSON file")
    parser.add_argument("--compare", type=Path, help="show an earlier --save file's tallies as before>after")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    return parser


def main(argv=None) -> int:
    args = sources_parser(__doc__.splitlines()[0], "one folder of PDFs per source").parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    census = collect(args.folders, args.seen)
    print(census_table(census))
    if args.census or not census.kept:
        return 0
    started = time.perf_counter()
    outcomes = read_all(census.kept, "source")
    elapsed = time.perf_counter() - started
    print(report("embedded XML as truth, page read template-free", outcomes, args.verbose, elapsed))
    before = json.loads(args.compare.read_text()) if args.compare else {}
    print(f"\n== per source (right/scored per field{'; before>after' if before else ''}) ==")
    print(family_table(outcomes, before.get("source")))
    for outcome, document in zip(outcomes, census.kept, strict=True):
        outcome.family = document.producer
    print(f"\n== per producer (right/scored per field{'; before>after' if before else ''}) ==")
    print(family_table(outcomes, before.get("producer")))
    right, scored, percent = overall(outcomes)
    print(f"all sources: {right}/{scored} fields right = {percent:.1f}%")
    if args.save:
        saved = {"producer": tallies_by_family(outcomes)}
        for outcome, document in zip(outcomes, census.kept, strict=True):
            outcome.family = document.source
        saved["source"] = tallies_by_family(outcomes)
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(saved, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
