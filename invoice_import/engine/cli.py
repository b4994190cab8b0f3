"""``invoice-import``: the engine from a shell, for suppliers' sample files and CI.

Exit status: 0 extracted, 2 the file (or format) could not be read, with
``{"error": {...}}`` on stdout when ``--json`` is given, 1 an internal
error.  No traceback ever reaches the user for a bad file: the file is
read (at most ``--max-file-bytes`` of it, whatever it claims to be) in a
forked process under OS limits (``sandbox.py``), and a file the OS cannot
open is ``file_unreadable``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from .errors import ExtractionError
from .limits import Limits, read_capped


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="invoice-import", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ext = sub.add_parser("extract", help="extract one file into the pivot structure")
    ext.add_argument("file")
    ext.add_argument(
        "--format",
        action="append",
        default=[],
        metavar="FORMAT.json",
        help="supplier format (CSV column map or PDF template); repeatable",
    )
    ext.add_argument(
        "--ignore-embedded-xml",
        action="store_true",
        help="read the visible PDF, not its Factur-X/ZUGFeRD/UBL attachment",
    )
    ext.add_argument("--json", action="store_true", help="print JSON (the default is a short summary)")
    ext.add_argument("--max-pages", type=int)
    ext.add_argument("--max-seconds", type=float)
    ext.add_argument("--max-pixels", type=int)
    ext.add_argument("--max-file-bytes", type=int)
    ext.add_argument("--max-inflated-bytes", type=int)
    learn = sub.add_parser(
        "learn",
        help="learn a supplier's PDF layout from one document and the values a person confirmed for it",
    )
    learn.add_argument("file")
    learn.add_argument(
        "--values",
        required=True,
        metavar="VALUES.json",
        help="the confirmed values: invoice_number, issue_date, due_date, currency, amount_total, "
        "po_reference, supplier {name, vat} (null where unknown)",
    )
    learn.add_argument("--out", required=True, metavar="FORMAT.json", help="where to write the learned format")
    learn.add_argument("--name", help="the format's name (default: the supplier's name)")
    learn.add_argument(
        "--update", metavar="FORMAT.json", help="a format learned before for this supplier, to refine with this file"
    )
    ext.add_argument("--max-memory-bytes", type=int, help="address space of the process reading the file")
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "learn":
        return _learn(args)
    limits = Limits().with_overrides(
        max_pages=args.max_pages,
        max_seconds=args.max_seconds,
        max_pixels=args.max_pixels,
        max_file_bytes=args.max_file_bytes,
        max_inflated_bytes=args.max_inflated_bytes,
        max_memory_bytes=args.max_memory_bytes,
    )
    try:
        from .formats import load_format
        from .sandbox import SandboxError, extract_isolated

        formats = [load_format(path) for path in args.format]
        data = read_capped(args.file, limits.max_file_bytes)
        result = extract_isolated(
            data,
            filename=os.path.basename(args.file),
            formats=formats,
            ignore_embedded_xml=args.ignore_embedded_xml,
            limits=limits,
            fork=True,
        )
    except ExtractionError as exc:
        return _fail(args, exc)
    except MemoryError:
        return _fail(args, ExtractionError("memory_limit", "the file needs more memory than is allowed"))
    except SandboxError as exc:
        sys.stderr.write(f"invoice-import: internal error, please report it: {exc}\n")
        return 1
    invoices = [inv.to_dict() for inv in result.invoices]
    if args.json:
        payload = invoices[0] if len(invoices) == 1 else {"invoices": invoices}
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for inv in invoices:
            sys.stdout.write(
                f"{inv['document_type']} {inv['invoice_number']} {inv['issue_date']} "
                f"{inv['supplier']['name']} total {inv['amount_total']} {inv['currency']} "
                f"({len(inv['lines'])} lines, source {inv['source']})\n"
            )
            for warning in inv["warnings"]:
                sys.stdout.write(f"  warning: {warning}\n")
    return 0


def _learn(args) -> int:
    """``learn``: always JSON on stdout, the written format's summary or ``{"error": ...}`` with status 2."""
    from pathlib import Path

    from .learn import learn_file

    try:
        summary = learn_file(args.file, args.values, args.out, name=args.name, update=args.update)
    except ExtractionError as exc:
        json.dump(exc.to_dict(), sys.stdout)
        sys.stdout.write("\n")
        return 2
    summary["format"] = str(Path(args.out))
    json.dump(summary, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _fail(args, exc: ExtractionError) -> int:
    if args.json:
        json.dump(exc.to_dict(), sys.stdout)
        sys.stdout.write("\n")
    else:
        sys.stderr.write(f"invoice-import: {exc.code}: {exc.message}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
