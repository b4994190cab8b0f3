#!/usr/bin/env python3
"""Accuracy of the template-free extractor on the shared Factur-X corpus, without its XML.

Each PDF of the corpus carries an embedded e-invoice; ``*.expected.json``
holds what that XML states.  This bench ignores the XML, reads the visible
page, runs ``freeform.extract_from_text`` and compares field by field::

    python3 bench/extraction_accuracy.py [--corpus DIR] [--scans] [--text-layer] [--no-cache] [-v]

Text path: the product's own ``extract.extract_bytes(data,
ignore_embedded_xml=True)`` (pdfplumber, pdfium for pages whose fonts have no
Unicode map, OCR for pages without text).  ``--text-layer`` instead feeds
the text layer straight to ``freeform.extract_from_text``, to tell the
extractor's misses from the reader's.

Scan path (``--scans``): each page rendered at 150 dpi by pdftoppm, turned
by 0.5 to 1.5 degrees, given sensor noise and dust specks (seeded: the same
scan every run; ``--blur R`` adds optical blur), then resampled to ``Limits.ocr_dpi`` as the
product renders a scanned PDF, and read by the product's OCR
(``images.prepare_for_ocr`` + ``ocr.recognise``, tesseract eng+deu+fra+nld).
OCR text is cached in ``bench/out/ocr-cache`` while ocr.py and images.py
are unchanged (``--no-cache`` to time it).

A field is scored only where the XML states a value; where it states none,
the table says separately whether we also gave none (the XML of the simpler
Factur-X profiles omits fields the page does print, so a value there is not
an error).  Misses are marked when the expected value is not printed on the
page at all (the XML and the page disagree), or, for scans, when it is
printed but not in the OCR text: no extractor can find those.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import logging
import os
import random
import re
import subprocess
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from invoice_import.engine.freeform import extract_from_text  # noqa: E402
from invoice_import.engine.freeform.labels import fold  # noqa: E402
from invoice_import.engine.limits import Limits  # noqa: E402
from invoice_import.engine.pdf import UNMAPPED_GLYPH_RATIO, unmapped_glyph_ratio  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared/corpus/facturx"
CACHE_DIR = REPO / "bench" / "out" / "ocr-cache"
SCORED_FIELDS = ("invoice_number", "issue_date", "due_date", "amount_total", "currency", "seller_vat", "po_reference")
INFORMATIVE_FIELDS = ("amount_untaxed", "amount_tax", "document_type", "seller_name", "buyer_name", "line_count")
CREDIT_NOTE_CODES = {"381", "261", "262", "296", "308", "396", "420", "458", "532"}
MIN_TEXT_CHARS = 20  # as extract.MIN_TEXT_CHARS_PER_PAGE
SCAN_DPI = 150
OCR_LANGUAGES = "eng+deu+fra+nld"


# ----------------------------------------------------------------------------- reading the page


def pdf_page_texts(data: bytes) -> list[str]:
    """The text layer of each page (switch point: the product's ``pdf.PdfDocument.pages_text``).

    pdfplumber first; a page it returns as unmapped glyphs ("(cid:12)") is
    read again with pdfium (a pdfplumber dependency), whose text extraction
    uses the embedded fonts' own character maps.
    """
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    unreadable = [i for i, text in enumerate(texts) if unmapped_glyph_ratio(text) > UNMAPPED_GLYPH_RATIO]
    if unreadable:
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            for index in unreadable:
                texts[index] = document[index].get_textpage().get_text_range()
        finally:
            document.close()
    return texts


def render_page(pdf_path: Path, page_number: int, dpi: int = SCAN_DPI):
    """Page ``page_number`` (1-based) as a grayscale PIL image, rendered by poppler's pdftoppm."""
    from PIL import Image

    args = ["pdftoppm", "-r", str(dpi), "-f", str(page_number), "-l", str(page_number), "-png", "-gray", str(pdf_path)]
    png = subprocess.run(args, capture_output=True, check=True, timeout=120).stdout
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def garbled_rendering(pdf_path: Path) -> bool:
    """Whether poppler draws the page with substitute glyphs (an embedded font it cannot load).

    The printed page of such a PDF shows garbage where the text should be, so
    its scan cannot be read by any OCR.  Checked for the three oca-edi
    ``Facture_FR_*`` files (poppler 22.12: "could not create truetype face"
    for their subset ArialMT): pdfium draws the same text as garbage too, and
    stripping the font program does not help (the content stream uses the
    subset's own codes, mapped to Unicode only for text extraction), so there
    is no legible rendering to scan.  The table gives the figure without them.
    """
    args = ["pdftoppm", "-r", "10", "-f", "1", "-l", "1", "-png", str(pdf_path)]
    result = subprocess.run(args, capture_output=True, timeout=120)
    return b"Couldn't create a font" in result.stderr


@dataclass(frozen=True)
class ScanSettings:
    blur: float = 0.0  # Gaussian radius in pixels; 0: none
    seed: int = 0  # added to each page's own seed

    def __str__(self) -> str:
        return f"blur={self.blur:g},seed={self.seed}"


def simulate_scan(image, seed: int, blur: float = 0.0):
    """A flatbed scan of the printed page: slight rotation, sensor noise, dust specks (and optical blur)."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    angle = rng.choice((-1, 1)) * rng.uniform(0.5, 1.5)
    page = image.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    generator = np.random.default_rng(seed)
    pixels = np.asarray(page, dtype=np.float32)
    pixels = pixels + generator.normal(0.0, 10.0, pixels.shape)
    specks = generator.random(pixels.shape)
    pixels[specks < 0.0007] = 0.0
    pixels[specks > 0.9993] = 255.0
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "L"), angle


def ocr_image(image, dpi: int, ocr_dpi: int) -> str:
    """Text of one page image (switch point: the product's ``images``/``ocr`` modules, used when importable).

    A scanned PDF is rendered by the product at ``Limits.ocr_dpi``: the scan
    is resampled to that resolution first, as the renderer would.
    """
    from PIL import Image

    if ocr_dpi != dpi:
        size = (round(image.width * ocr_dpi / dpi), round(image.height * ocr_dpi / dpi))
        image, dpi = image.resize(size, Image.Resampling.LANCZOS), ocr_dpi
    try:
        from invoice_import.engine.images import prepare_for_ocr
        from invoice_import.engine.limits import Deadline
        from invoice_import.engine.ocr import available_languages, recognise
    except ImportError:
        import pytesseract

        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        return pytesseract.image_to_string(image, lang=OCR_LANGUAGES, config=f"--psm 3 --dpi {dpi}")
    page, page_dpi = prepare_for_ocr(image, dpi)
    return recognise(page, available_languages(OCR_LANGUAGES), Deadline(300), page_dpi)


def ocr_page(pdf_path: Path, page_number: int, simulate: bool, dpi: int, ocr_dpi: int, cache: bool, scan=None) -> str:
    """OCR text of one page, of its clean rendering or (``simulate``) of a scan made as ``scan`` says."""
    scan = scan or ScanSettings()
    key = f"{pdf_path.name}:{page_number}:{simulate}:{dpi}:{ocr_dpi}:{scan}:{_ocr_version()}"
    cache_file = CACHE_DIR / (hashlib.sha1(key.encode()).hexdigest() + ".txt")
    if cache and cache_file.exists():
        return cache_file.read_text()
    image = render_page(pdf_path, page_number, dpi)
    if simulate:
        seed = zlib.crc32(f"{pdf_path.name}:{page_number}".encode()) + scan.seed
        image, _angle = simulate_scan(image, seed, scan.blur)
    text = ocr_image(image, dpi, ocr_dpi)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(text)
    return text


def _ocr_version() -> str:
    """Cached OCR text is reused only while the OCR code that produced it is unchanged."""
    digest = hashlib.sha1()
    for name in ("ocr.py", "images.py"):
        path = REPO / "invoice_import" / "engine" / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def page_count(pdf_path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf_path)).pages)


# ----------------------------------------------------------------------------- comparing


@dataclass
class Outcome:
    name: str
    expected: dict
    got: dict
    seconds: float
    ocr_pages: int = 0
    page_text: str = ""  # what the page prints (its text layer)
    ocr_text: str | None = None  # what OCR read from the simulated scan
    garbled: bool = False  # the page renders with substitute glyphs
    verdicts: dict = field(default_factory=dict)  # field -> "right" | "wrong" | "null-agree" | "null-extra"


def normalise(field_name: str, value):
    if value is None:
        return None
    if field_name in ("invoice_number", "po_reference", "seller_vat"):
        return "".join(str(value).split()).upper() if field_name == "seller_vat" else "".join(str(value).split())
    if field_name in ("amount_total", "amount_untaxed", "amount_tax"):
        return Decimal(str(value))
    if field_name in ("seller_name", "buyer_name"):
        return "".join(ch for ch in fold(str(value)) if ch.isalnum())
    return str(value)


def signed(amount, credit_note: bool):
    """Credit notes compare as negative amounts: an invoice of -8.79 is the credit note of 8.79."""
    return None if amount is None else (-amount if credit_note else amount)


def comparable(invoice, expected: dict) -> tuple[dict, dict]:
    """(expected, got) as plain normalised values keyed by field name."""
    credit_expected = expected.get("type_code") in CREDIT_NOTE_CODES
    credit_got = invoice.document_type == "credit_note"
    exp = {name: normalise(name, expected.get(name)) for name in SCORED_FIELDS + INFORMATIVE_FIELDS}
    for name in ("amount_total", "amount_untaxed", "amount_tax"):
        exp[name] = signed(exp[name], credit_expected)
    exp["document_type"] = "credit_note" if credit_expected else "invoice"
    exp["line_count"] = expected.get("line_count") or None
    got = {
        "invoice_number": normalise("invoice_number", invoice.invoice_number),
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "amount_total": signed(invoice.amount_total, credit_got),
        "amount_untaxed": signed(invoice.amount_untaxed, credit_got),
        "amount_tax": signed(invoice.amount_tax, credit_got),
        "currency": invoice.currency,
        "seller_vat": normalise("seller_vat", invoice.supplier.vat),
        "po_reference": normalise("po_reference", invoice.po_reference),
        "document_type": invoice.document_type,
        "seller_name": normalise("seller_name", invoice.supplier.name),
        "buyer_name": normalise("buyer_name", invoice.customer.name),
        "line_count": len(invoice.lines) or None,
    }
    return exp, got


def verdict(field_name: str, expected, got) -> str:
    if expected is None:
        return "null-agree" if got is None else "null-extra"
    if field_name in ("seller_name", "buyer_name") and got:
        return "right" if expected in got or got in expected else "wrong"
    return "right" if expected == got else "wrong"


def printed_on_page(field_name: str, expected, page_text: str) -> bool:
    """Whether the expected value appears on the page in any usual spelling (else no reader can find it)."""
    if expected is None or field_name in ("document_type", "line_count"):
        return True
    if field_name in ("seller_name", "buyer_name"):
        return expected in "".join(ch for ch in fold(page_text) if ch.isalnum())
    squeezed = "".join(page_text.split())
    if field_name in ("issue_date", "due_date"):
        y, m, d = expected.split("-")
        spellings = {f"{d}.{m}.{y}", f"{d}/{m}/{y}", f"{m}/{d}/{y}", f"{y}-{m}-{d}", f"{d}.{m}.{y[2:]}", f"{y}{m}{d}"}
        return any(s in squeezed for s in spellings) or _month_name_date(expected, page_text)
    if field_name.startswith("amount_"):
        digits = f"{abs(expected):.2f}".replace(".", "")
        return digits in re.sub(r"[\s.,'’]", "", page_text)
    if field_name == "seller_vat":
        return str(expected) in squeezed.upper()
    return str(expected) in squeezed


def _month_name_date(iso: str, text: str) -> bool:
    from invoice_import.engine.values import find_dates

    return any(found.isoformat() == iso for _s, _e, found in find_dates(text))


def score(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        exp, got = comparable(outcome.got["invoice"], outcome.expected)
        outcome.verdicts = {name: verdict(name, exp[name], got[name]) for name in SCORED_FIELDS + INFORMATIVE_FIELDS}
        outcome.got["values"] = got
        outcome.got["expected"] = exp


# ----------------------------------------------------------------------------- running


def corpus_files(corpus: Path) -> list[tuple[Path, dict]]:
    files = []
    for pdf in sorted(corpus.glob("*.pdf")):
        expected_file = pdf.with_suffix(".expected.json")
        if expected_file.exists():
            files.append((pdf, json.loads(expected_file.read_text())))
    return files


def text_pages(pdf_path: Path, cache: bool, ocr_unreadable: bool = True) -> tuple[list[str], int]:
    """The page texts a reader gets from a text PDF; pages still without text are OCRed (a clean render)."""
    pages = pdf_page_texts(pdf_path.read_bytes())
    ocred = 0
    for index, text in enumerate(pages):
        unreadable = len(text.strip()) < MIN_TEXT_CHARS or unmapped_glyph_ratio(text) > UNMAPPED_GLYPH_RATIO
        if unreadable and ocr_unreadable:
            pages[index] = ocr_page(pdf_path, index + 1, simulate=False, dpi=300, ocr_dpi=300, cache=cache)
            ocred += 1
    return pages, ocred


def run_text(files, cache: bool, pipeline: bool, ocr_unreadable: bool = True) -> list[Outcome]:
    outcomes = []
    for pdf, expected in files:
        started = time.perf_counter()
        if pipeline:
            from invoice_import.engine.extract import extract_bytes

            invoice = extract_bytes(pdf.read_bytes(), filename=pdf.name, ignore_embedded_xml=True).invoices[0]
            pages, ocred = pdf_page_texts(pdf.read_bytes()), 0
        else:
            pages, ocred = text_pages(pdf, cache, ocr_unreadable)
            invoice = extract_from_text(pages)
            invoice.source = "ocr" if ocred == len(pages) else "pdf-text"
        seconds = time.perf_counter() - started
        outcomes.append(Outcome(pdf.name, expected, {"invoice": invoice}, seconds, ocred, "\n".join(pages)))
    score(outcomes)
    return outcomes


def run_scans(files, cache: bool, jobs: int, ocr_dpi: int, scan=None) -> list[Outcome]:
    tasks = [(pdf, number) for pdf, _ in files for number in range(1, page_count(pdf) + 1)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        timed = list(pool.map(lambda task: _timed_ocr(task, cache, ocr_dpi, scan), tasks))
    texts = {task: text for task, (text, _seconds) in zip(tasks, timed, strict=True)}
    page_seconds = {task: seconds for task, (_text, seconds) in zip(tasks, timed, strict=True)}
    outcomes = []
    for pdf, expected in files:
        numbers = [n for p, n in tasks if p == pdf]
        pages = [texts[(pdf, n)] for n in numbers]
        started = time.perf_counter()
        invoice = extract_from_text(pages)
        invoice.source = "ocr"
        seconds = time.perf_counter() - started + sum(page_seconds[(pdf, n)] for n in numbers)
        layer = "\n".join(pdf_page_texts(pdf.read_bytes()))
        outcome = Outcome(pdf.name, expected, {"invoice": invoice}, seconds, len(pages), layer, "\n".join(pages))
        outcome.garbled = garbled_rendering(pdf)
        outcomes.append(outcome)
    score(outcomes)
    return outcomes


def _timed_ocr(task, cache: bool, ocr_dpi: int, scan) -> tuple[str, float]:
    pdf, number = task
    started = time.perf_counter()
    text = ocr_page(pdf, number, simulate=True, dpi=SCAN_DPI, ocr_dpi=ocr_dpi, cache=cache, scan=scan)
    return text, time.perf_counter() - started


# ----------------------------------------------------------------------------- reporting


@dataclass
class FieldTally:
    right: int = 0
    wrong: int = 0
    not_printed: int = 0  # wrong, and the expected value is not on the page
    misread: int = 0  # wrong, printed on the page, but not in the OCR text
    null_agree: int = 0
    null_extra: int = 0

    @property
    def scored(self) -> int:
        return self.right + self.wrong


def tally(outcomes: list[Outcome], fields) -> dict[str, FieldTally]:
    tallies = {name: FieldTally() for name in fields}
    for outcome in outcomes:
        for name in fields:
            kind = outcome.verdicts[name]
            t = tallies[name]
            if kind == "right":
                t.right += 1
            elif kind == "wrong":
                t.wrong += 1
                expected = outcome.got["expected"][name]
                if not printed_on_page(name, expected, outcome.page_text):
                    t.not_printed += 1
                elif outcome.ocr_text is not None and not printed_on_page(name, expected, outcome.ocr_text):
                    t.misread += 1
            elif kind == "null-agree":
                t.null_agree += 1
            else:
                t.null_extra += 1
    return tallies


def overall(outcomes: list[Outcome]) -> tuple[int, int, float]:
    tallies = tally(outcomes, SCORED_FIELDS)
    right = sum(t.right for t in tallies.values())
    scored = sum(t.scored for t in tallies.values())
    return right, scored, (100.0 * right / scored if scored else 0.0)


def report(title: str, outcomes: list[Outcome], verbose: bool, elapsed: float) -> str:
    scans = any(o.ocr_text is not None for o in outcomes)
    columns = [("right", 7), ("scored", 8), ("accuracy", 10), ("not printed", 13)]
    columns += [("OCR misread", 13)] if scans else []
    columns += [("null: agree", 13), ("null: extra", 13)]
    header = f"{'field':<16}" + "".join(f"{name:>{width}}" for name, width in columns)
    out = [f"\n== {title}: {len(outcomes)} documents, {elapsed:.1f} s ==", header, "-" * len(header)]
    for group, fields in (("scored", SCORED_FIELDS), ("informative", INFORMATIVE_FIELDS)):
        if group == "informative":
            out.append("-- informative (not in the overall figure) --")
        for name, t in tally(outcomes, fields).items():
            accuracy = f"{100.0 * t.right / t.scored:.1f}%" if t.scored else "-"
            cells = [t.right, t.scored, accuracy, t.not_printed] + ([t.misread] if scans else [])
            cells += [t.null_agree, t.null_extra]
            row = "".join(f"{cell!s:>{width}}" for cell, (_, width) in zip(cells, columns, strict=True))
            out.append(f"{name:<16}{row}")
    out.append("-" * len(header))
    out.extend(_summary(outcomes, scans))
    if verbose:
        out.append("")
        out.extend(_misses(outcomes))
    return "\n".join(out)


def _summary(outcomes: list[Outcome], scans: bool) -> list[str]:
    right, scored, percent = overall(outcomes)
    tallies = tally(outcomes, SCORED_FIELDS).values()
    not_printed = sum(t.not_printed for t in tallies)
    misread = sum(t.misread for t in tallies)
    lines = [f"overall: {right}/{scored} fields right = {percent:.1f}%"]
    if not_printed:
        printed = scored - not_printed
        lines.append(
            f"         {not_printed} misses expect a value the page does not print; "
            f"on printed values: {right}/{printed} = {100.0 * right / printed:.1f}%"
        )
    if misread:
        read = scored - not_printed - misread
        lines.append(
            f"         {misread} misses are values OCR did not read; on values in the OCR text: "
            f"{right}/{read} = {100.0 * right / read:.1f}%"
        )
    garbled = [o for o in outcomes if o.garbled]
    if garbled:
        legible = [o for o in outcomes if not o.garbled]
        g_right, g_scored, g_percent = overall(legible)
        lines.append(
            f"         {len(garbled)} documents render with substitute glyphs (a font poppler cannot load): "
            f"without them {g_right}/{g_scored} = {g_percent:.1f}%"
        )
    ocred = sum(1 for o in outcomes if o.ocr_pages)
    if ocred and not scans:
        lines.append(f"         {ocred} documents had pages without readable text: those pages were OCRed")
    per_doc = sum(o.seconds for o in outcomes) / max(1, len(outcomes))
    lines.append(f"time: {per_doc:.2f} s per document on average (OCR pages run {'in parallel' if scans else '-'})")
    return lines


def _misses(outcomes: list[Outcome]) -> list[str]:
    lines = []
    for outcome in outcomes:
        misses = []
        for name in SCORED_FIELDS + INFORMATIVE_FIELDS:
            if outcome.verdicts[name] != "wrong":
                continue
            expected = outcome.got["expected"][name]
            note = ""
            if not printed_on_page(name, expected, outcome.page_text):
                note = " (not printed)"
            elif outcome.ocr_text is not None and not printed_on_page(name, expected, outcome.ocr_text):
                note = " (OCR misread)"
            misses.append(f"    {name}: expected {expected!s} got {outcome.got['values'][name]!s}{note}")
        if misses:
            lines.append(f"{outcome.name}:")
            lines.extend(misses)
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--scans", action="store_true", help="also measure the OCR path on simulated scans")
    parser.add_argument(
        "--text-layer", action="store_true", help="feed the text layer to the extractor directly, not extract_bytes"
    )
    parser.add_argument("--no-cache", action="store_true", help=f"OCR again instead of reusing {CACHE_DIR}")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel OCR processes")
    parser.add_argument(
        "--ocr-dpi", type=int, default=Limits().ocr_dpi, help="resolution the scan is rendered at for OCR (%(default)s)"
    )
    parser.add_argument("--blur", type=float, default=0.0, help="also blur the scans (Gaussian radius in pixels)")
    parser.add_argument("--seed", type=int, default=0, help="another seed gives other rotations and noise")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # "Could not get FontBBox...": noise, not a result
    files = corpus_files(args.corpus)
    if not files:
        print(f"no *.pdf with *.expected.json in {args.corpus}", file=sys.stderr)
        return 2
    cache = not args.no_cache
    started = time.perf_counter()
    outcomes = run_text(files, cache, pipeline=not args.text_layer)
    title = "text PDFs (extract_bytes, embedded XML ignored)" if not args.text_layer else "text PDFs (text layer)"
    print(report(title, outcomes, args.verbose, time.perf_counter() - started))
    if args.scans:
        started = time.perf_counter()
        outcomes = run_scans(files, cache, args.jobs, args.ocr_dpi, ScanSettings(args.blur, args.seed))
        blurred = (f", blurred {args.blur:g} px" if args.blur else "") + (f", seed {args.seed}" if args.seed else "")
        title = f"simulated scans ({SCAN_DPI} dpi, rotated, noisy{blurred}; OCR at {args.ocr_dpi} dpi, {OCR_LANGUAGES})"
        print(report(title, outcomes, args.verbose, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
