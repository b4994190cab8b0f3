#!/usr/bin/env python3
"""Accuracy of the product on photographed and scanned shop receipts, per field.

    python3 bench/receipt_accuracy.py [--corpus DIR] [--photos SEED] [--jobs N] [-v] [--save FILE]

Each image of the receipts corpus (``../shared/corpus/receipts``: SROIE shop
receipts, Malaysia, English) goes through the product's own path,
``extract.extract_bytes``: decoding, orientation, cleaning, OCR and the
extractor the engine chooses.  Its ``*.expected.json`` holds the truth;
every field the truth states (seller name, date, total; the others when a
corpus states them) is scored, and the table prints one row per field.

A seller name is right when it equals the truth once case, spaces and
punctuation are ignored, or when one holds the other and the shorter is at
least 70% of the longer ("SUPER SEVEN CASH & CARRY" for "SUPER SEVEN CASH &
CARRY SDN BHD"); "SDN BHD" alone is wrong.  ``--save`` keeps the values read
as JSON, so two runs (before and after a change) can be compared.

``--photos SEED`` reads simulated phone photos of the receipts instead
(``bench/receipt_photos.py``: on a table, at an angle, sideways or upside
down, unevenly lit, soft, JPEG), the same truth scored.  Tesseract's answers
are cached in ``bench/out/ocr-cache`` (as ``extraction_accuracy.py`` does):
a change to the reader after OCR reruns in seconds; ``--no-cache`` reads again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "receipts"
# truth key -> how to read the same value from the pivot invoice
FIELDS = {
    "seller_name": lambda inv: inv.supplier.name,
    "issue_date": lambda inv: inv.issue_date.isoformat() if inv.issue_date else None,
    "amount_total": lambda inv: inv.amount_total,
    "amount_tax": lambda inv: inv.amount_tax,
    "currency": lambda inv: inv.currency,
    "invoice_number": lambda inv: inv.invoice_number,
    "seller_vat": lambda inv: inv.supplier.vat,
}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".pdf")
NAME_MIN_OVERLAP = 0.7


def normalise(field_name: str, value):
    if value is None:
        return None
    if field_name == "seller_name":
        return "".join(ch for ch in str(value).upper() if ch.isalnum())
    if field_name.startswith("amount_"):
        return Decimal(str(value))
    if field_name in ("invoice_number", "seller_vat"):
        return "".join(str(value).split()).upper()
    return str(value)


def right(field_name: str, expected, got) -> bool:
    if got is None:
        return False
    if field_name == "seller_name" and expected != got:
        shorter, longer = sorted((expected, got), key=len)
        return bool(shorter) and shorter in longer and len(shorter) >= NAME_MIN_OVERLAP * len(longer)
    return expected == got


def read_one(path: str, photos: int | None = None) -> dict:
    """What the product reads from one file or its photo: {"values": {field: str|None}, "seconds", "error"}."""
    from invoice_import.engine.errors import ExtractionError
    from invoice_import.engine.extract import extract_bytes

    data, name = Path(path).read_bytes(), Path(path).name
    if photos is not None:
        from PIL import Image
        from receipt_photos import photo_seed, photograph

        with Image.open(path) as image:
            data, name = photograph(image, photo_seed(name, photos)), Path(path).stem + ".jpg"
    started = time.perf_counter()
    try:
        [invoice] = extract_bytes(data, filename=name).invoices
    except ExtractionError as exc:
        return {"values": {}, "seconds": time.perf_counter() - started, "error": exc.code}
    values = {name: getter(invoice) for name, getter in FIELDS.items()}
    return {
        "values": {k: (str(v) if v is not None else None) for k, v in values.items()},
        "seconds": time.perf_counter() - started,
        "error": None,
        "source": invoice.source,
    }


def _use_cache(enabled: bool) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from extraction_accuracy import install_ocr_cache

    install_ocr_cache(enabled)


def corpus_files(corpus: Path) -> list[tuple[Path, dict]]:
    files = []
    for path in sorted(corpus.iterdir()):
        if path.suffix.lower() in IMAGE_SUFFIXES:
            truth = path.with_name(path.stem + ".expected.json")
            if truth.exists():
                files.append((path, json.loads(truth.read_text())))
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="parallel processes")
    parser.add_argument("--save", type=Path, help="write the values read to this JSON file")
    parser.add_argument("--photos", type=int, metavar="SEED", help="read simulated phone photos made with this seed")
    parser.add_argument("--no-cache", action="store_true", help="OCR again instead of reusing bench/out/ocr-cache")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    files = corpus_files(args.corpus)
    if not files:
        print(f"no receipt images with *.expected.json in {args.corpus}", file=sys.stderr)
        return 2
    print(
        f"machine: {os.cpu_count()} CPUs, python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f} at the start; {len(files)} receipts, {args.jobs} processes"
        + (f"; simulated phone photos, seed {args.photos}" if args.photos is not None else "")
    )
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs, initializer=_use_cache, initargs=(not args.no_cache,)) as pool:
        paths = [str(path) for path, _truth in files]
        results = list(pool.map(read_one, paths, [args.photos] * len(paths)))
    elapsed = time.perf_counter() - started

    tallies: dict[str, list[int]] = {}
    misses = []
    for (path, truth), result in zip(files, results, strict=True):
        for name in FIELDS:
            expected = normalise(name, truth.get(name))
            if expected is None:
                continue
            got = normalise(name, result["values"].get(name))
            tally = tallies.setdefault(name, [0, 0])
            tally[1] += 1
            if right(name, expected, got):
                tally[0] += 1
            else:
                read = result["values"].get(name)
                misses.append(f"  {path.stem:14} {name:13} expected {truth.get(name)!r}, read {read!r}")
    total_right = sum(t[0] for t in tallies.values())
    total = sum(t[1] for t in tallies.values())
    print("\nfield          right / scored")
    for name, (ok, scored) in tallies.items():
        print(f"{name:14} {ok:5} / {scored:<5} {100 * ok / scored:5.1f}%")
    print(f"{'all':14} {total_right:5} / {total:<5} {100 * total_right / total:5.1f}%")
    errors = [f"{path.stem}: {r['error']}" for (path, _t), r in zip(files, results, strict=True) if r["error"]]
    seconds = [r["seconds"] for r in results]
    print(
        f"\nper receipt: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s "
        f"({args.jobs} processes; {elapsed:.0f} s in all); load average {os.getloadavg()[0]:.2f} at the end"
    )
    if errors:
        print("not read: " + ", ".join(errors))
    if args.verbose and misses:
        print("\nmisses:")
        print("\n".join(misses))
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        saved = {path.stem: result for (path, _t), result in zip(files, results, strict=True)}
        args.save.write_text(json.dumps(saved, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
