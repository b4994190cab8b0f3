#!/usr/bin/env python3
"""Accuracy of the template-free reader on outside text-PDF invoices whose truth someone wrote by hand.

The e-invoice bench (``embedded_truth.py``) only reaches documents that
carry their own XML; most bills do not.  Public repositories that test
invoice readers keep plain PDFs beside the values a person checked, each
in its own format.  One small adapter per format turns that truth into the
keys of ``extraction_accuracy``'s ``.expected.json``; the page is then read
through the product's entry point (embedded XML ignored) and scored
on the same fields::

    python3 bench/outside_truth.py DIR ... [--seen DIR ...] [--census] [--save F.json] [--compare F.json] [-v]

Each DIR is one source (one repository's files, copied outside any
checkout, e.g. ``/work/ext/outside-truth/<source>/``); its name is the
source's row.  Formats read (the first that fits a folder wins):

- ``X.expected.json`` beside ``X.pdf``: already in the corpus' keys (truth
  written by hand for this bench);
- invoice2data's ``tests/compare``: ``X.json`` (a list of one dict with
  ``issuer``, ``amount``, ``date``, ``invoice_number``, ``currency``, ...)
  beside ``X.pdf``;
- parsee-ai's invoice datasets: one ``truth.csv`` (``source_identifier``
  = the PDF's SHA-256, one row per question: total with its currency,
  issuer, date) for the PDFs of the folder.

Kept out, and counted, as in ``embedded_truth``: PDFs without truth, of
more than ``MAX_PAGES`` pages or whose first page has no text (the scan
benches read those; a later page of terms or a blank back page is read as
it is); copies, by content hash, of another file in the run, of
``--seen`` folders or of ``../shared/corpus``; documents printing the
same text as one already kept.  A truth value the page does not print in
any usual spelling (a template's short issuer name, say) is not scored; a
whole amount printed without its cents ("₹3,363") is printed.

``--census`` stops after the truth: how many documents each source keeps
(to split sources into a development half and a held-out half before
reading a single miss).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from embedded_truth import (  # noqa: E402
    MAX_PAGES,
    Census,
    Document,
    _page_count,
    census_table,
    printed_truth,
    producer_of,
    shared_hashes,
    sources_parser,
)
from extraction_accuracy import (  # noqa: E402
    Outcome,
    family_table,
    install_ocr_cache,
    overall,
    page_texts,
    report,
    score,
    tallies_by_family,
)

from invoice_import.engine.errors import ExtractionError  # noqa: E402
from invoice_import.engine.extract import MIN_TEXT_CHARS_PER_PAGE, extract_bytes  # noqa: E402

# invoice2data's field names -> the corpus' (``vat``/``static_vat``: the issuer's, as its templates state it)
INVOICE2DATA_FIELDS = {
    "invoice_number": "invoice_number",
    "date": "issue_date",
    "date_due": "due_date",
    "amount": "amount_total",
    "amount_untaxed": "amount_untaxed",
    "amount_tax": "amount_tax",
    "currency": "currency",
    "issuer": "seller_name",
    "vat": "seller_vat",
    "static_vat": "seller_vat",
}
PARSEE_QUESTIONS = {"general0": "amount_total", "general1": "seller_name", "general2": "issue_date"}


# ----------------------------------------------------------------------------- truth adapters


def truths_of(folder: Path) -> dict[Path, dict]:
    """{pdf: truth in the corpus' keys} for every PDF of ``folder`` whose truth one adapter can read."""
    truths: dict[Path, dict] = {}
    if (folder / "truth.csv").exists():
        truths.update(parsee_truths(folder))
    for pdf in sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file()):
        expected, invoice2data = pdf.with_suffix(".expected.json"), pdf.with_suffix(".json")
        if expected.exists():
            truths[pdf] = json.loads(expected.read_text())
        elif invoice2data.exists():
            truths[pdf] = invoice2data_truth(json.loads(invoice2data.read_text()))
    return truths


def invoice2data_truth(data) -> dict:
    """invoice2data's ``tests/compare`` JSON (a list of one result) in the corpus' keys.

    >>> invoice2data_truth([{"issuer": "Free", "amount": 29.99, "date": "2015-07-02", "vat": "FR6042", "desc": "x"}])
    {'issue_date': '2015-07-02', 'amount_total': '29.99', 'seller_name': 'Free', 'seller_vat': 'FR6042'}
    """
    record = data[0] if isinstance(data, list) else data
    truth = {}
    for key, name in INVOICE2DATA_FIELDS.items():
        value = record.get(key)
        if value is None or value == "":
            continue
        if name.startswith("amount_"):
            value = f"{value:.2f}" if isinstance(value, float) else str(value)
        elif name.endswith("_date"):
            value = str(value)[:10]
        truth[name] = value
    return truth


def parsee_truths(folder: Path) -> dict[Path, dict]:
    """parsee-ai's ``truth.csv`` answers, keyed by the PDF of ``folder`` whose SHA-256 they name."""
    by_hash = {hashlib.sha256(pdf.read_bytes()).hexdigest(): pdf for pdf in folder.glob("*.pdf")}
    truths: dict[Path, dict] = {}
    with (folder / "truth.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            pdf, name = by_hash.get(row["source_identifier"]), PARSEE_QUESTIONS.get(row["element_identifier"])
            if pdf is None or name is None:
                continue
            truths.setdefault(pdf, {}).update(parsee_answer(name, row["TRUTH_answer"]))
    return truths


def parsee_answer(name: str, answer: str) -> dict:
    """One parsee answer block as corpus keys (the total brings its currency along).

    >>> parsee_answer("amount_total", "(main question): 119.0\\n(meta0): $ EUR $\\n(meta1): 19%\\nSources: [22]")
    {'amount_total': '119.00', 'currency': 'EUR'}
    >>> parsee_answer("seller_name", "Medienpilot GmbH & Co. KG\\nSources: [0]")
    {'seller_name': 'Medienpilot GmbH & Co. KG'}
    """
    lines = [line.strip() for line in answer.splitlines() if line.strip() and not line.startswith("Sources:")]
    if not lines:
        return {}
    if name != "amount_total":
        return {name: lines[0]}
    main = re.search(r"\(main question\):\s*(-?[\d.]+)", answer)
    currency = re.search(r"\(meta0\):\s*\$\s*([A-Z]{3})\s*\$", answer)
    truth = {"amount_total": f"{float(main.group(1)):.2f}"} if main else {}
    if currency:
        truth["currency"] = currency.group(1)
    return truth


# ----------------------------------------------------------------------------- the documents kept


def collect(folders: list[Path], seen: list[Path] = ()) -> Census:
    """Every PDF of ``folders`` with a truth, deduplicated; ``seen`` folders' documents count as kept."""
    seen_bytes, seen_prints = shared_hashes(), set()
    for folder in seen:
        for path, truth in truths_of(folder).items():
            _admit(path, truth, folder.name, seen_bytes, seen_prints)
    skipped: dict[str, dict[str, int]] = {}
    kept = []
    for folder in folders:
        counts = skipped.setdefault(folder.name, {})
        truths = truths_of(folder)
        for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file()):
            if path not in truths:
                counts["no truth"] = counts.get("no truth", 0) + 1
                continue
            reason, document = _admit(path, truths[path], folder.name, seen_bytes, seen_prints)
            if reason:
                counts[reason] = counts.get(reason, 0) + 1
            else:
                kept.append(document)
    return Census(skipped, kept)


def _admit(path: Path, truth: dict, source: str, seen_bytes: set, seen_prints: set):
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest in seen_bytes:
        return "copy of another file", None
    seen_bytes.add(digest)
    if _page_count(data) > MAX_PAGES:
        return f"over {MAX_PAGES} pages", None
    try:
        pages = page_texts(data)
    except Exception:  # noqa: BLE001 - a broken file is kept out, not fatal
        return "not a readable PDF", None
    if not pages or len("".join(pages[0].split())) < MIN_TEXT_CHARS_PER_PAGE:
        return "a first page without text", None  # a scan: the OCR benches read those
    printed = "\n".join(pages)
    print_digest = hashlib.sha256("".join(printed.split()).encode()).hexdigest()
    if print_digest in seen_prints:
        return "prints the same as another", None
    seen_prints.add(print_digest)
    expected, dropped = printed_truth(truth, printed)
    for name in [name for name in dropped if name.startswith("amount_") and _printed_whole(truth[name], printed)]:
        expected[name] = truth[name]
        dropped.remove(name)
    return None, Document(path, source, producer_of(data), expected, dropped)


def _printed_whole(value, page_text: str) -> bool:
    """Whether a whole amount is printed without its cents ("₹3,363", "550000 USD"): it is printed all the same.

    >>> _printed_whole("3363.00", "Total  ₹3,363"), _printed_whole("3363.50", "Total  ₹3,363")
    (True, False)
    """
    amount = Decimal(str(value))
    if amount != amount.to_integral_value():
        return False
    return str(abs(int(amount))) in re.sub(r"[\s.,'’]", "", page_text)


def read_all(documents: list[Document]) -> list[Outcome]:
    """Each document read template-free (embedded XML ignored), as an ``Outcome`` of its source.

    A later page without text (a blank back page) goes to OCR as the
    product sends it; tesseract's answers come from the benches' cache.
    """
    from invoice_import.engine.pivot import Invoice

    outcomes = []
    for document in documents:
        data = document.path.read_bytes()
        started = time.perf_counter()
        try:
            invoice = extract_bytes(data, filename=document.path.name, ignore_embedded_xml=True)
            invoice = invoice.invoices[0]
        except ExtractionError as exc:
            print(f"{document.path.name}: {exc.code}: {exc.message}", file=sys.stderr)
            invoice = Invoice()
        seconds = time.perf_counter() - started
        printed = "\n".join(page_texts(data))
        name = f"{document.source}/{document.path.name}"
        outcomes.append(Outcome(name, document.source, document.expected, {"invoice": invoice}, seconds, 0, printed))
    score(outcomes)
    return outcomes


def main(argv=None) -> int:
    parser = sources_parser(__doc__.splitlines()[0], "one folder of PDFs and their truth per source")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    census = collect(args.folders, args.seen)
    print(census_table(census))
    if args.census or not census.kept:
        return 0
    install_ocr_cache(True)
    started = time.perf_counter()
    outcomes = read_all(census.kept)
    elapsed = time.perf_counter() - started
    print(report("hand-made truth, page read template-free", outcomes, args.verbose, elapsed))
    before = json.loads(args.compare.read_text()) if args.compare else {}
    print(f"\n== per source (right/scored per field{'; before>after' if before else ''}) ==")
    print(family_table(outcomes, before.get("source")))
    right, scored, percent = overall(outcomes)
    print(f"all sources: {right}/{scored} fields right = {percent:.1f}%")
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps({"source": tallies_by_family(outcomes)}, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
