#!/usr/bin/env python3
"""Instructions per text-PDF page: this engine, invoice2data and ``pdftotext`` alone, counted by valgrind.

    python3 bench/peer_instructions.py [--corpus DIR ...]

``extraction_peer.py`` times the three readers side by side, but on a
loaded machine (the two cores shared with test runs) its ratios swing with
the load, invoice2data's most.  Instructions executed do not: callgrind
counts the same total for the same program and input whatever else runs.
This bench counts them for the same pass ``extraction_peer.py`` times:

* **engine**: ``extract_bytes(data, ignore_embedded_xml=True)`` on every
  PDF, in one Python process;
* **invoice2data**: its ``extract_data(path, templates, "pdftotext")`` on
  every PDF, in its own virtualenv (``bench/.peer-venv``, made by
  ``extraction_peer.py``), the ``pdftotext`` processes it starts counted too;
* **pdftotext**: ``pdftotext -layout FILE -`` alone per PDF (the floor).

A reader's cost is the count of a process that sets up (imports, templates,
one warm-up file) and then reads every PDF, minus the count of the same
process that only sets up: start-up is not counted, as the timing bench
does not count it.  Instructions are not seconds (cache misses and system
calls weigh differently), so this bench stands beside the timings, not
instead of them.  Under valgrind each pass runs about 50 times slower:
a few minutes per reader.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.extraction_peer import DEFAULT_CORPORA, PEER_VERSION, pdf_pages, peer_python  # noqa: E402

_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)", re.MULTILINE)

_ENGINE = r"""
import logging, sys
logging.disable(logging.CRITICAL)
from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.extract import extract_bytes
work, paths = sys.argv[1] == "work", sys.argv[2:]

def read(path):
    try:
        extract_bytes(open(path, "rb").read(), filename=path, ignore_embedded_xml=True)
    except ExtractionError:
        pass

read(paths[0])  # warm-up: lazy imports, compiled patterns
if work:
    for path in paths:
        read(path)
"""

_PEER = r"""
import logging, sys
logging.disable(logging.CRITICAL)
from invoice2data import extract_data
from invoice2data import input as readers
from invoice2data.extract.loader import read_templates
from invoice2data.input import pdftotext
work, paths = sys.argv[1] == "work", sys.argv[2:]

def forget():
    for cached in (getattr(readers, "_cached_to_text", None), getattr(pdftotext, "_words", None)):
        if cached is not None:
            cached.cache_clear()

templates = read_templates()
extract_data(paths[0], templates, "pdftotext")  # warm-up
if work:
    for path in paths:
        forget()
        extract_data(path, templates, "pdftotext")
"""


def instructions(command: list[str], env: dict | None = None) -> int:
    """Instructions callgrind counted for ``command`` and every process it started."""
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--trace-children=yes",
                f"--callgrind-out-file={out}/callgrind.%p",
                *command,
            ],
            capture_output=True,
            text=True,
            env=env,
        )
    counts = [int(found) for found in _COLLECTED.findall(run.stderr)]
    if run.returncode or not counts:
        raise SystemExit(f"{command[0]} failed under valgrind:\n{run.stderr[-2000:]}")
    return sum(counts)


def pass_cost(command: list[str], paths: list[str], env: dict | None = None) -> int:
    """Instructions of reading ``paths`` after set-up: a working run minus a set-up-only run."""
    return instructions([*command, "work", *paths], env) - instructions([*command, "setup", *paths], env)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="folder of PDFs (repeatable)")
    args = parser.parse_args(argv)
    files = sorted(path for corpus in args.corpus or DEFAULT_CORPORA for path in Path(corpus).glob("*.pdf"))
    if not files:
        print("no PDF found", file=sys.stderr)
        return 2
    paths = [str(path) for path in files]
    pages = sum(pdf_pages(path.read_bytes()) for path in files)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    engine = pass_cost([sys.executable, "-c", _ENGINE], paths, env)
    peer = pass_cost([str(peer_python()), "-c", _PEER], paths)
    floor = sum(instructions(["pdftotext", "-layout", path, "-"]) for path in paths)
    print(f"{len(files)} PDFs, {pages} pages; instructions per page (millions), counted by callgrind\n")
    rows = [
        ("this engine (template-free, text layer)", engine),
        (f"invoice2data {PEER_VERSION} (its templates, pdftotext)", peer),
        ("pdftotext -layout alone (the floor)", floor),
    ]
    for label, count in rows:
        print(f"{label:<52}{count / pages / 1e6:>10.1f}")
    print(f"\nengine / invoice2data: {engine / peer:.2f}x   engine / pdftotext: {engine / floor:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
