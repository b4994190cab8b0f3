#!/usr/bin/env python3
"""How often the template-free reader finds the seller's postal address, checked against the embedded XML.

Every PDF of the text corpora (``facturx/``, ``invoices/``) is read twice through the product's entry
point: with its embedded e-invoice (the truth: ``supplier.address`` from the XML) and with
``ignore_embedded_xml=True`` (the page as the template-free reader sees it). An address counts as right
when its postcode, city (case aside) and street equal the XML's; files whose XML states no postcode are
reported apart (a MINIMUM profile states the country only)::

    python3 bench/address_accuracy.py [--corpus DIR ...] [-v]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from invoice_import.engine.errors import ExtractionError  # noqa: E402
from invoice_import.engine.extract import extract_bytes  # noqa: E402

DEFAULT_CORPORA = [REPO.parent / "shared" / "corpus" / name for name in ("facturx", "invoices")]


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", type=Path, help="a folder of PDFs (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every file not read right")
    args = parser.parse_args()
    scored = found = right = street = unstated = unstated_found = 0
    for corpus in args.corpus or DEFAULT_CORPORA:
        for pdf in sorted(corpus.glob("*.pdf")):
            data = pdf.read_bytes()
            try:
                truth = extract_bytes(data, allow_ocr=False).invoices[0].supplier.address or {}
                read = extract_bytes(data, ignore_embedded_xml=True, allow_ocr=False).invoices[0].supplier.address
            except ExtractionError:
                continue
            if "zip" not in truth:
                unstated += 1
                unstated_found += bool(read)
                continue
            scored += 1
            found += bool(read)
            ok = bool(read) and _same(read.get("zip"), truth["zip"]) and _same(read.get("city"), truth.get("city"))
            right += ok
            street += ok and _same(read.get("street"), truth.get("street"))
            if args.verbose and not ok:
                print(f"{pdf.name}: expected {truth}, read {read}")
    print(f"seller address, XML states a postcode: {scored} files, {found} read, {right} right (postcode and city),")
    print(f"  {street} with the street too, {found - right} wrong")
    print(f"XML states no postcode: {unstated} files, an address read on the page in {unstated_found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
