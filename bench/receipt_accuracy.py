#!/usr/bin/env python3
"""Accuracy of the product on photographed and scanned shop receipts, per field.

    python3 bench/receipt_accuracy.py [--corpus DIR] [--photos SEED] [--jobs N] [-v] [--save FILE]
    python3 bench/receipt_accuracy.py --sroie DIR --part dev|held-out [--dev-size N] [--held-out-size N]
    python3 bench/receipt_accuracy.py --named DIR --part dev|held-out [--dev-size N]
    python3 bench/receipt_accuracy.py --filed DIR --part dev|held-out [--dev-size N] [--held-out-size N]

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

``--sroie DIR`` reads receipts the corpus does not hold, in the SROIE
(ICDAR 2019) layout: ``DIR/img/NNN.jpg`` with ``DIR/key/NNN.json`` (or
``.txt``) holding ``company``, ``date`` and ``total`` (the public set's 626
training receipts, kept outside git, e.g. under ``/work/ext``).  Their truth
is turned into the corpus' names (seller_name, issue_date as ISO, day first
as Malaysia prints it; amount_total without "RM"/"$"); a date the key does
not state unambiguously is not scored.  Images identical to one of the
``--corpus`` receipts are left out, so the figure is on receipts nobody
tuned on.  The rest is split once, by the SHA-256 of each image (not by what
it shows): the first ``--dev-size`` are ``--part dev`` (look at them, fix
from them), the next ``--held-out-size`` are ``--part held-out`` (measure
untouched before a change and again at the end, never read the misses), and
the ones after those are ``--part rest``: more development data once the
dev part is worn (SROIE's 236, first read for totals and dates on
2026-12-05; they are no check of generality any more).

``--named DIR`` reads receipts whose file names carry their truth,
``MERCHANT_DDMMYYYY[_ITEMS]_AMOUNT.jpg`` (``aldi_02032020_19_02423.jpg``:
ALDI, 2 March 2020, 24.23; the German receipts of softmatic/vision-data,
scanned at 300 dpi), in any sub-folder.  The merchant is a brand, not the
registered name, so it is scored as ``seller_brand``: right when the name
read contains it; a kind of shop ("apotheke", "tanke") is not scored.  The
same split by hash (of the truth, so one receipt scanned twice stays in one
part), ``--dev-size`` of them dev.

``--filed DIR`` reads receipts someone filed under their merchant's name,
``merchant_anything.pdf`` or ``merchant-anything.pdf`` in any sub-folder
(JensWalter/my-receipts: some 1,200 receipts, tickets and hotel bills from
twenty-odd countries, 2017-2024, mostly scans with the scanner's own text
layer; CC0).  Only ``seller_brand`` is scored, as for ``--named``: the number
after the merchant is sometimes a date, but the date the receipt was filed,
not the one it prints, so dates and totals are not scored.  A name that does
not start with a lower-case word of three letters or more (ticket codes,
scanner file names) or whose word is a kind of shop or ticket is left out.
Split by the SHA-256 of each file, as ``--sroie``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
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
    "seller_brand": lambda inv: inv.supplier.name,
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
    if field_name in ("seller_name", "seller_brand"):
        return "".join(ch for ch in str(value).upper() if ch.isalnum())
    if field_name.startswith("amount_"):
        return Decimal(str(value))
    if field_name in ("invoice_number", "seller_vat"):
        return "".join(str(value).split()).upper()
    return str(value)


def right(field_name: str, expected, got) -> bool:
    if got is None:
        return False
    if field_name == "seller_brand":
        return expected in got
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


MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}


def sroie_date(text: str) -> str | None:
    """A SROIE key's date as ISO, day first (Malaysian receipts; month first only when the
    second number cannot be a month), or None when it is not one clear date.

    >>> [sroie_date(t) for t in ("25/12/2018", "12-01-19", "02 JAN 2018", "2018-01-02", "20180102", "12/13/2016")]
    ['2018-12-25', '2019-01-12', '2018-01-02', '2018-01-02', '2018-01-02', '2016-12-13']
    >>> sroie_date("31/02/18") is None
    True
    """
    import datetime

    text = text.strip().strip("()").upper()
    if re.fullmatch(r"\d{8}", text):  # 20180102 or 02012018
        cut = (4, 6) if text[:2] in ("19", "20") else (2, 4)
        text = f"{text[: cut[0]]}-{text[cut[0] : cut[1]]}-{text[cut[1] :]}"
    parts = re.findall(r"\d+|[A-Z]+", text)
    if len(parts) != 3:
        return None
    if parts[0].isdigit() and len(parts[0]) == 4:
        year, month, day = parts
    elif not parts[0].isdigit():
        month, day, year = parts
    else:
        day, month, year = parts
    if month.isdigit() and int(month) > 12 >= int(day):
        day, month = month, day
    month = MONTHS.get(month[:3], 0) if not month.isdigit() else int(month)
    year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return datetime.date(year, month, int(day)).isoformat()
    except (ValueError, TypeError):
        return None


def sroie_truth(key: dict) -> dict:
    """A SROIE key ({company, date, address, total}) in the corpus' expected.json names."""
    total = re.sub(r"^(RM|\$)\s*", "", (key.get("total") or "").strip()).replace(",", "")
    return {
        "seller_name": (key.get("company") or "").strip() or None,
        "issue_date": sroie_date(key.get("date") or ""),
        "amount_total": total if re.fullmatch(r"-?\d+(\.\d+)?", total) else None,
    }


def sroie_key(path: Path) -> dict | None:
    """The key file next to (or in ../key/ of) an image: JSON, or the same keys in a .txt holding JSON."""
    for folder in (path.parent, path.parent.parent / "key"):
        for suffix in (".json", ".txt"):
            candidate = folder / (path.stem + suffix)
            if candidate.exists() and candidate != path:
                return json.loads(candidate.read_text(encoding="utf-8", errors="replace"))
    return None


def sroie_files(folder: Path, exclude: Path, part: str, dev_size: int, held_out_size: int) -> list[tuple[Path, dict]]:
    """One part of a SROIE folder's receipts with their truth, split by image hash; corpus duplicates dropped."""
    images = folder / "img" if (folder / "img").is_dir() else folder
    known = {hashlib.sha256(p.read_bytes()).digest() for p in exclude.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES}
    ranked = []
    for path in sorted(images.iterdir()):
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        digest = hashlib.sha256(path.read_bytes()).digest()
        key = sroie_key(path)
        if digest not in known and key is not None:
            ranked.append((digest, path, sroie_truth(key)))
    return hash_split(ranked, part, dev_size, held_out_size)


def hash_split(ranked: list, part: str, dev_size: int, held_out_size: int) -> list[tuple[Path, dict]]:
    """The first ``dev_size`` of (digest, path, truth) triples by digest, the next ``held_out_size``, or the rest."""
    ranked = sorted(ranked, key=lambda triple: (triple[0], str(triple[1])))
    bounds = {"dev": (0, dev_size), "held-out": (dev_size, dev_size + held_out_size)}
    start, end = bounds.get(part, (dev_size + held_out_size, len(ranked)))
    chosen = ranked[start:end]
    return [(path, truth) for _digest, path, truth in chosen]


# merchants in file names that say what kind of shop or ticket it was, not which
_KINDS_OF_SHOP = {"apotheke", "tanke", "ticket", "taxi", "train", "snacks", "hotel", "restaurant", "cafe", "parking"}
_FILED = re.compile(r"([a-z]{3,})[-_].*")


def filed_files(folder: Path, part: str, dev_size: int, held_out_size: int) -> list[tuple[Path, dict]]:
    """Receipts filed under their merchant's name (see the module's doc), one part of them, split by file hash."""
    ranked = []
    for path in sorted(folder.rglob("*")):
        match = _FILED.fullmatch(path.stem)
        if path.suffix.lower() in IMAGE_SUFFIXES and match and match.group(1) not in _KINDS_OF_SHOP:
            ranked.append((hashlib.sha256(path.read_bytes()).digest(), path, {"seller_brand": match.group(1)}))
    return hash_split(ranked, part, dev_size, held_out_size)


_NAMED = re.compile(r"([a-z]+)_(\d{2})(\d{2})(\d{4})(?:_\d{1,3})?_(\d{3,})(?:_[A-Za-z])?")


def named_files(folder: Path, part: str, dev_size: int) -> list[tuple[Path, dict]]:
    """Receipts whose names carry the truth (see the module's doc), one part of them, split by truth hash."""
    ranked = []
    for path in sorted(folder.rglob("*")):
        match = _NAMED.fullmatch(path.stem)
        if path.suffix.lower() not in IMAGE_SUFFIXES or not match:
            continue
        merchant, day, month, year, cents = match.groups()
        truth = {
            "seller_brand": None if merchant in _KINDS_OF_SHOP else merchant,
            "issue_date": f"{year}-{month}-{day}",
            "amount_total": f"{int(cents[:-2])}.{cents[-2:]}",
        }
        digest = hashlib.sha256(json.dumps(truth, sort_keys=True).encode()).digest()
        ranked.append((digest, path, truth))
    ranked.sort()
    dev = {digest for digest in sorted({d for d, _p, _t in ranked})[:dev_size]}
    return [(path, truth) for digest, path, truth in ranked if (digest in dev) == (part == "dev")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="parallel processes")
    parser.add_argument("--save", type=Path, help="write the values read to this JSON file")
    parser.add_argument("--photos", type=int, metavar="SEED", help="read simulated phone photos made with this seed")
    parser.add_argument("--no-cache", action="store_true", help="OCR again instead of reusing bench/out/ocr-cache")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--sroie", type=Path, help="a SROIE folder (img/ + key/) instead of the corpus")
    parser.add_argument(
        "--part",
        choices=("dev", "held-out", "rest"),
        default="dev",
        help="which part of --sroie/--named/--filed (rest: more dev data, --sroie and --filed only)",
    )
    parser.add_argument("--dev-size", type=int, default=150)
    parser.add_argument("--held-out-size", type=int, default=200)
    parser.add_argument("--named", type=Path, help="a folder of receipts whose file names carry their truth")
    parser.add_argument("--filed", type=Path, help="a folder of receipts filed under their merchant's name")
    args = parser.parse_args(argv)
    if args.filed:
        files = filed_files(args.filed, args.part, args.dev_size, args.held_out_size)
        print(f"{args.filed}: part {args.part}, seller brand only")
    elif args.named and args.part == "rest":
        parser.error("--named has two parts only: dev and held-out")
    elif args.named:
        files = named_files(args.named, args.part, args.dev_size)
        print(f"{args.named}: part {args.part}")
    elif args.sroie:
        files = sroie_files(args.sroie, args.corpus, args.part, args.dev_size, args.held_out_size)
        print(f"{args.sroie}: part {args.part}, corpus receipts left out")
    else:
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
