#!/usr/bin/env python3
"""Accuracy of the template-free reader on the shared corpora, per field and per layout family.

Three corpora (``../shared/README.md``): ``facturx/`` and ``invoices/``
(text PDFs whose embedded e-invoice states the truth: the bench ignores
the XML and reads the visible page) and ``receipts/`` (photographed shop
receipts).  Each file ``X.pdf``/``X.jpg`` has an ``X.expected.json``::

    python3 bench/extraction_accuracy.py [--corpus DIR ...] [--scans] [--family F] [--save F.json]
                                         [--compare F.json] [--no-cache] [-v]

Every document goes through the product's own entry point,
``extract.extract_bytes(data, ignore_embedded_xml=True)``: text layer, or
OCR for images and pages without text.  The layout family of a file is the
part of its name before ``__`` (the software or stylesheet that made it),
else its folder: one family must not hide another, so each gets its row.

Scan path (``--scans``, the PDFs only): each page rendered at 150 dpi by
pdftoppm, turned by 0.5 to 1.5 degrees, given sensor noise and dust specks
(seeded: the same scan every run; ``--blur R`` adds optical blur), resampled
to ``Limits.ocr_dpi`` as the product renders a scanned PDF, and handed to
``extract_bytes`` as a multi-page TIFF, the way a scanner sends it.

Tesseract's answers are cached in ``bench/out/ocr-cache`` keyed by the
exact pixels, languages and options it was given (``--no-cache`` to time
OCR): a change to the image preparation is a new key, a change to the
reader is not.

A field is scored only where the truth states a value; where it states none,
the table says separately whether we also gave none.  Misses are marked when
the expected value is not printed on the page at all, or, for scans, when it
is printed but not in the OCR text: no reader can find those.
``--save`` keeps the per-family, per-field tallies; ``--compare`` prints
them next to an earlier run's (before -> after).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import io
import json
import logging
import os
import random
import re
import subprocess
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from invoice_import.engine.errors import ExtractionError  # noqa: E402
from invoice_import.engine.extract import extract_bytes  # noqa: E402
from invoice_import.engine.freeform.labels import fold  # noqa: E402
from invoice_import.engine.limits import Limits  # noqa: E402
from invoice_import.engine.pivot import Invoice  # noqa: E402

SHARED_CORPORA = REPO.parent / "shared" / "corpus"
DEFAULT_CORPORA = [SHARED_CORPORA / name for name in ("facturx", "invoices", "receipts")]
CACHE_DIR = REPO / "bench" / "out" / "ocr-cache"
SCORED_FIELDS = (
    "invoice_number",
    "issue_date",
    "due_date",
    "amount_total",
    "amount_untaxed",
    "amount_tax",
    "currency",
    "seller_name",
    "seller_vat",
    "po_reference",
)
INFORMATIVE_FIELDS = ("document_type", "buyer_name", "line_count")
CREDIT_NOTE_CODES = {"381", "261", "262", "296", "308", "396", "420", "458", "532"}
DOCUMENT_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
SCAN_DPI = 150
BENCH_LIMITS = Limits(max_seconds=1800.0)


# ----------------------------------------------------------------------------- reading the page


_OCR_READ = threading.local()  # what tesseract returned in this thread since the last ``ocr_read()``


def install_ocr_cache(enabled: bool) -> None:
    """Answer tesseract calls from ``CACHE_DIR`` when the same pixels were read with the same options before.

    The key is the image itself (mode, size, pixels) with the languages,
    options and the pytesseract function: whatever changes what tesseract
    sees misses the cache, a change to the reader after it does not.  Every
    answer is also noted for ``ocr_read`` (to tell OCR misreads from reader
    misses), cached or not.
    """
    import pytesseract

    for name in ("image_to_string", "image_to_data", "image_to_osd"):
        original = getattr(pytesseract, name, None)
        if original is not None:
            setattr(pytesseract, name, _cached(name, original, enabled))


def ocr_read() -> str:
    """The text tesseract returned in this thread since the last call (words of ``image_to_data`` joined)."""
    texts, _OCR_READ.texts = getattr(_OCR_READ, "texts", []), []
    return "\n".join(texts)


def _note(result) -> None:
    if not hasattr(_OCR_READ, "texts"):
        _OCR_READ.texts = []
    if isinstance(result, str):
        _OCR_READ.texts.append(result)
    elif isinstance(result, dict) and "text" in result:
        _OCR_READ.texts.append(" ".join(str(word) for word in result["text"] if str(word).strip()))


def _cached(name, function, enabled: bool):
    @functools.wraps(function)
    def wrapper(image, *args, **kwargs):
        digest = hashlib.sha1(name.encode())
        for each in _images_of(image):
            digest.update(f"{each.mode}{each.size}".encode())
            digest.update(each.tobytes())
        options = {key: value for key, value in kwargs.items() if key != "timeout"}
        digest.update(repr((args, sorted(options.items(), key=lambda item: item[0]))).encode())
        path = CACHE_DIR / (digest.hexdigest() + ".json")
        if enabled and path.exists():
            result = json.loads(path.read_text())
        else:
            result = function(image, *args, **kwargs)
            if enabled and isinstance(result, (str, dict)):
                CACHE_DIR.mkdir(parents=True, exist_ok=True)
                # written aside and renamed: a bench running beside this one never reads half a file
                partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
                partial.write_text(json.dumps(result))
                os.replace(partial, path)
        _note(result)
        return result

    return wrapper


def _images_of(image) -> list:
    """The images tesseract is given: one image, or those a list file names (the engine's ``ocr._read_lines``)."""
    if not isinstance(image, str):
        return [image]
    from PIL import Image

    with open(image, encoding="utf-8") as listing:
        return [Image.open(name) for name in listing.read().split()]


def page_texts(data: bytes) -> list[str]:
    """What each page of a PDF prints (its text layer), to tell a reader's misses from absent values."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [document[index].get_textpage().get_text_range() for index in range(len(document))]
    finally:
        document.close()


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


def scanned_tiff(pdf_path: Path, ocr_dpi: int, scan: ScanSettings) -> bytes:
    """The PDF as a scanner would send it: every page a simulated scan, resampled to ``ocr_dpi``, in one TIFF."""
    from PIL import Image

    frames = []
    for number in range(1, page_count(pdf_path) + 1):
        image = render_page(pdf_path, number, SCAN_DPI)
        seed = zlib.crc32(f"{pdf_path.name}:{number}".encode()) + scan.seed
        image, _angle = simulate_scan(image, seed, scan.blur)
        if ocr_dpi != SCAN_DPI:
            size = (round(image.width * ocr_dpi / SCAN_DPI), round(image.height * ocr_dpi / SCAN_DPI))
            image = image.resize(size, Image.Resampling.LANCZOS)
        frames.append(image)
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(ocr_dpi, ocr_dpi))
    return out.getvalue()


def page_count(pdf_path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf_path)).pages)


# ----------------------------------------------------------------------------- comparing


@dataclass
class Outcome:
    name: str
    family: str
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


def family_of(path: Path) -> str:
    """The layout family: the file name's part before ``__``, else the folder's name."""
    return path.name.split("__", 1)[0] if "__" in path.name else path.parent.name


def corpus_files(corpus: Path) -> list[tuple[Path, dict]]:
    files = []
    for document in sorted(corpus.iterdir()):
        if document.suffix.lower() not in DOCUMENT_SUFFIXES:
            continue
        expected_file = document.with_suffix(".expected.json")
        if expected_file.exists():
            files.append((document, json.loads(expected_file.read_text())))
    return files


def run_text(files) -> list[Outcome]:
    """Each file as a user uploads it: PDFs by their text layer (embedded XML ignored), images by OCR."""
    outcomes = []
    for path, expected in files:
        data = path.read_bytes()
        ocr_read()
        started = time.perf_counter()
        invoice = _extract(data, path.name, ignore_embedded_xml=True)
        seconds = time.perf_counter() - started
        read = ocr_read()
        # a photo prints what OCR read of it: "not printed" then means "not in the OCR text"
        printed = "\n".join(page_texts(data)) if path.suffix.lower() == ".pdf" else read
        ocr_pages = 0 if invoice.source == "pdf-text" else 1
        got = {"invoice": invoice}
        outcomes.append(Outcome(path.name, family_of(path), expected, got, seconds, ocr_pages, printed))
    score(outcomes)
    return outcomes


def _extract(data: bytes, filename: str, **kwargs):
    """``extract_bytes``' first invoice; a file it refuses scores as read with nothing (the error is printed).

    The time cap is raised: on a loaded machine OCR of a long scan can
    exceed the product's 120 s, and a timeout measures the load, not the
    reader.
    """
    try:
        return extract_bytes(data, filename=filename, limits=BENCH_LIMITS, **kwargs).invoices[0]
    except ExtractionError as exc:
        print(f"{filename}: {exc.code}: {exc.message}", file=sys.stderr)
        invoice = Invoice()
        invoice.warnings.append(f"{exc.code}: {exc.message}")
        return invoice


def run_scans(files, jobs: int, ocr_dpi: int, scan: ScanSettings) -> list[Outcome]:
    """The PDFs printed and scanned (see ``scanned_tiff``), read through ``extract_bytes`` in ``jobs`` threads."""
    pdfs = [(path, expected) for path, expected in files if path.suffix.lower() == ".pdf"]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda item: _read_scan(item[0], ocr_dpi, scan), pdfs))
    outcomes = []
    for (path, expected), (invoice, seconds, text) in zip(pdfs, results, strict=True):
        printed = "\n".join(page_texts(path.read_bytes()))
        outcome = Outcome(path.name, family_of(path), expected, {"invoice": invoice}, seconds, 1, printed)
        outcome.ocr_text = text
        outcome.garbled = garbled_rendering(path)
        outcomes.append(outcome)
    score(outcomes)
    return outcomes


def _read_scan(path: Path, ocr_dpi: int, scan: ScanSettings):
    tiff = scanned_tiff(path, ocr_dpi, scan)
    ocr_read()
    started = time.perf_counter()
    invoice = _extract(tiff, path.stem + ".tif")
    return invoice, time.perf_counter() - started, ocr_read()


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


_SHORT = {
    "invoice_number": "number",
    "issue_date": "issued",
    "due_date": "due",
    "amount_total": "total",
    "amount_untaxed": "untaxed",
    "amount_tax": "tax",
    "currency": "curr",
    "seller_name": "seller",
    "seller_vat": "s.vat",
    "po_reference": "po",
}


def tallies_by_family(outcomes: list[Outcome]) -> dict[str, dict[str, list[int]]]:
    """{family: {field: [right, scored]}}, the scored fields only."""
    families: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        families.setdefault(outcome.family, []).append(outcome)
    return {
        family: {name: [t.right, t.scored] for name, t in tally(members, SCORED_FIELDS).items()}
        for family, members in sorted(families.items())
    }


def family_table(outcomes: list[Outcome], before: dict | None = None) -> str:
    """One row per layout family, one column per field: right/scored (and the earlier run's, ``before``)."""
    counts = {}
    for outcome in outcomes:
        counts[outcome.family] = counts.get(outcome.family, 0) + 1
    width = max(9, *(len(_SHORT[n]) + 1 for n in SCORED_FIELDS)) + (6 if before else 0)
    header = f"{'family':<34}{'docs':>5}" + "".join(f"{_SHORT[n]:>{width}}" for n in SCORED_FIELDS)
    header += f"{'all':>{width + 6}}"
    out = [header, "-" * len(header)]
    for family, fields in tallies_by_family(outcomes).items():
        cells = []
        for name in SCORED_FIELDS:
            right, scored = fields[name]
            cell = f"{right}/{scored}" if scored else "-"
            if before and family in before and before[family][name][1]:
                cell = f"{before[family][name][0]}>{cell}"
            cells.append(f"{cell:>{width}}")
        right = sum(r for r, _ in fields.values())
        scored = sum(s for _, s in fields.values())
        total = f"{right}/{scored} {100.0 * right / scored:.0f}%" if scored else "-"
        if before and family in before:
            b_right = sum(r for r, _ in before[family].values())
            b_scored = sum(s for _, s in before[family].values())
            if b_scored:
                total = f"{100.0 * b_right / b_scored:.0f}%>{total}"
        out.append(f"{family[:33]:<34}{counts[family]:>5}" + "".join(cells) + f"{total:>{width + 6}}")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, action="append", help="a corpus folder (repeatable; default: the three shared ones)"
    )
    parser.add_argument("--family", action="append", help="only these layout families (repeatable)")
    parser.add_argument("--scans", action="store_true", help="also measure the OCR path on simulated scans of the PDFs")
    parser.add_argument("--no-cache", action="store_true", help=f"OCR again instead of reusing {CACHE_DIR}")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="documents scanned in parallel")
    parser.add_argument(
        "--ocr-dpi", type=int, default=Limits().ocr_dpi, help="resolution the scan is rendered at for OCR (%(default)s)"
    )
    parser.add_argument("--blur", type=float, default=0.0, help="also blur the scans (Gaussian radius in pixels)")
    parser.add_argument("--seed", type=int, default=0, help="another seed gives other rotations and noise")
    parser.add_argument("--save", type=Path, help="write the per-family, per-field tallies to this JSON file")
    parser.add_argument("--compare", type=Path, help="show an earlier --save file's tallies as before>after")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # "Could not get FontBBox...": noise, not a result
    install_ocr_cache(not args.no_cache)
    corpora = args.corpus or DEFAULT_CORPORA
    files = [item for corpus in corpora if corpus.is_dir() for item in corpus_files(corpus)]
    if args.family:
        files = [(path, expected) for path, expected in files if family_of(path) in args.family]
    if not files:
        print(f"no document with an .expected.json in {', '.join(str(c) for c in corpora)}", file=sys.stderr)
        return 2
    before = json.loads(args.compare.read_text()) if args.compare else {}
    saved = {}
    runs = [("template-free", "text PDFs and photos (extract_bytes, embedded XML ignored)", None)]
    if args.scans:
        blurred = (f", blurred {args.blur:g} px" if args.blur else "") + (f", seed {args.seed}" if args.seed else "")
        title = f"simulated scans of the PDFs ({SCAN_DPI} dpi, rotated, noisy{blurred}; OCR at {args.ocr_dpi} dpi)"
        runs.append(("scans", title, ScanSettings(args.blur, args.seed)))
    for mode, title, scan in runs:
        started = time.perf_counter()
        outcomes = run_text(files) if scan is None else run_scans(files, args.jobs, args.ocr_dpi, scan)
        elapsed = time.perf_counter() - started
        by_corpus: dict[str, list[Outcome]] = {}
        read = [f for f in files if scan is None or f[0].suffix.lower() == ".pdf"]
        for (path, _expected), outcome in zip(read, outcomes, strict=True):
            by_corpus.setdefault(path.parent.name, []).append(outcome)
        for corpus, members in by_corpus.items():
            print(report(f"{title}, {corpus}/", members, args.verbose, elapsed))
        print(f"\n== {mode}: per layout family (right/scored per field{'; before>after' if before else ''}) ==")
        print(family_table(outcomes, before.get(mode)))
        right, scored, percent = overall(outcomes)
        print(f"all families: {right}/{scored} fields right = {percent:.1f}%")
        saved[mode] = tallies_by_family(outcomes)
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(saved, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
