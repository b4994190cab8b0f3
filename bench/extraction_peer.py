#!/usr/bin/env python3
"""Milliseconds per text-PDF page: this engine, invoice2data and ``pdftotext`` alone, side by side, one run.

    python3 bench/extraction_peer.py [--corpus DIR ...] [--runs N] [--profile]

Every PDF of the shared corpora (``../shared/corpus/facturx`` and
``invoices`` by default) is read by three readers in turn, file after file,
so that the machine's load falls on all three alike:

* **engine**: ``extract_bytes(data, ignore_embedded_xml=True)`` in this
  process: the template-free reader on the text layer, as an upload or a
  mail without a supplier format is read (the reader process of the
  product adds its fixed cost, see ``sandbox_cost.py``);
* **invoice2data**: its ``extract_data(path, templates, "pdftotext")`` with
  its own templates (loaded once), in a worker process of its own virtualenv;
  its pdftotext reader runs the ``pdftotext -layout`` command, then matches
  its templates' keywords and regexes (its memo of each file's text is
  cleared before each run: every run reads the file, as a new bill would be);
* **pdftotext**: the ``pdftotext -layout FILE -`` command alone, the floor
  (what any reader of a PDF's text layer pays to get the text).

Each is timed per file from inside a process that is already running (no
interpreter start-up counted), median of ``--runs`` runs after a warm-up;
the figure is the sum of the medians over the sum of the pages.

invoice2data is a bench-only dependency and never enters the product's:
the first run creates ``bench/.peer-venv`` (git-ignored) with
``python3 -m venv`` and installs ``invoice2data`` (``PEER_VERSION``) there
with that venv's pip; delete the folder to reinstall.  ``--profile``
prints where the engine's time goes (cProfile, the top functions by own
time over one pass of the corpus).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from invoice_import.engine.errors import ExtractionError  # noqa: E402
from invoice_import.engine.extract import extract_bytes  # noqa: E402

SHARED = REPO.parent / "shared" / "corpus"
DEFAULT_CORPORA = (SHARED / "facturx", SHARED / "invoices")
PEER_VENV = REPO / "bench" / ".peer-venv"
PEER_VERSION = "1.0.1"

# Runs inside the peer's virtualenv: times extract_data per file, prints {path: [seconds, ...], ...} as JSON.
_PEER_WORKER = r"""
import json, logging, sys, time
logging.disable(logging.CRITICAL)
from invoice2data import extract_data
from invoice2data import input as readers
from invoice2data.extract.loader import read_templates
from invoice2data.input import pdftotext
runs, paths = int(sys.argv[1]), sys.argv[2:]

def forget():
    # its text of a file is memoised per path: each run must read the file, as a new document would be
    for cached in (getattr(readers, "_cached_to_text", None), getattr(pdftotext, "_words", None)):
        if cached is not None:
            cached.cache_clear()

templates = read_templates()
out = {"templates": len(templates), "times": {}, "matched": []}
for path in paths:
    extract_data(path, templates, "pdftotext")  # warm-up: the file in the page cache, lazy imports done
    times = []
    for _ in range(runs):
        forget()
        started = time.perf_counter()
        result = extract_data(path, templates, "pdftotext")
        times.append(time.perf_counter() - started)
    out["times"][path] = times
    if result:
        out["matched"].append(path)
print(json.dumps(out))
"""


def peer_python() -> Path:
    """The peer venv's interpreter, created with invoice2data on first use."""
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PEER_VENV.relative_to(REPO)} with invoice2data {PEER_VERSION} (once)...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"invoice2data=={PEER_VERSION}"], check=True, cwd=REPO
        )
    return python


def pdf_pages(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def time_engine(data: bytes, name: str, runs: int) -> list[float]:
    def once():
        try:
            extract_bytes(data, filename=name, ignore_embedded_xml=True)
        except ExtractionError:
            pass  # a refused file costs what it cost

    once()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        once()
        times.append(time.perf_counter() - started)
    return times


def time_pdftotext(path: Path, runs: int) -> list[float]:
    command = ["pdftotext", "-layout", str(path), "-"]
    subprocess.run(command, capture_output=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def time_peer(paths: list[Path], runs: int) -> dict:
    run = subprocess.run(
        [str(peer_python()), "-c", _PEER_WORKER, str(runs), *map(str, paths)], capture_output=True, text=True
    )
    if run.returncode:
        raise SystemExit(f"invoice2data worker failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def profile(files: list[Path]) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for path in files:
        try:
            extract_bytes(path.read_bytes(), filename=path.name, ignore_embedded_xml=True)
        except ExtractionError:
            pass
    profiler.disable()
    print("\n== where the engine's time goes (one pass, own time) ==")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="folder of PDFs (repeatable)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per file and reader; the median is kept")
    parser.add_argument("--profile", action="store_true", help="profile the engine over one pass")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    files = sorted(path for corpus in args.corpus or DEFAULT_CORPORA for path in Path(corpus).glob("*.pdf"))
    if not files:
        print("no PDF found", file=sys.stderr)
        return 2
    peer = time_peer(files[:1], 1)  # creates the venv if needed, before the clock matters
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f}; {len(files)} PDFs; median of {args.runs} runs")
    engine, floor = {}, {}
    pages = {path: pdf_pages(path.read_bytes()) for path in files}
    for path in files:
        engine[path] = statistics.median(time_engine(path.read_bytes(), path.name, args.runs))
        floor[path] = statistics.median(time_pdftotext(path, args.runs))
    peer = time_peer(files, args.runs)
    peer_times = {Path(p): statistics.median(t) for p, t in peer["times"].items()}
    total_pages = sum(pages.values())

    def per_page(times: dict) -> float:
        return 1000.0 * sum(times.values()) / total_pages

    def median_page(times: dict) -> float:
        return 1000.0 * statistics.median(times[p] / pages[p] for p in files)

    rows = [
        ("this engine (template-free, text layer)", engine),
        (f"invoice2data {PEER_VERSION} ({peer['templates']} templates, pdftotext)", peer_times),
        ("pdftotext -layout alone (the floor)", floor),
    ]
    print(f"\n{'reader':<52}{'ms/page':>10}{'median file ms/page':>22}")
    for label, times in rows:
        print(f"{label:<52}{per_page(times):>10.1f}{median_page(times):>22.1f}")
    print(f"\n{total_pages} pages; invoice2data's templates read {len(peer['matched'])} of the {len(files)} files")
    print(f"engine / invoice2data: {per_page(engine) / per_page(peer_times):.2f}x")
    print(f"engine / pdftotext:    {per_page(engine) / per_page(floor):.2f}x")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if args.profile:
        profile(files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
