"""Hostile and broken files through the real CLI, in a child process capped at 1.5 GB of address space.

Each case asserts the documented error code on stdout, exit status 2, no
traceback, and that the child stayed well inside the time and memory
bounds (its own peak RSS is read back with wait4).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

from . import hostile_files

ADDRESS_SPACE_CAP = 1536 * 1024 * 1024
KILL_AFTER_SECONDS = 90
MAX_SECONDS = 20  # a refusal on this 2-core machine takes about one second, most of it Python starting up
MAX_PEAK_MB = 400


@dataclass
class CliRun:
    status: int
    output: dict
    seconds: float
    peak_mb: float
    stderr: str


def run_cli(path) -> CliRun:
    """``invoice-import extract PATH --json`` in a child with RLIMIT_AS; killed if it hangs."""

    def cap_address_space():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))

    command = [sys.executable, "-m", "invoice_import.engine.cli", "extract", str(path), "--json"]
    started = time.monotonic()
    with tempfile.TemporaryFile() as stderr:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, preexec_fn=cap_address_space)
        killer = threading.Timer(KILL_AFTER_SECONDS, child.kill)
        killer.start()
        try:
            output = child.stdout.read()
            _pid, wait_status, usage = os.wait4(child.pid, 0)
        finally:
            killer.cancel()
            child.stdout.close()
        child.returncode = os.waitstatus_to_exitcode(wait_status)
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    return CliRun(
        status=child.returncode,
        output=json.loads(output) if output.strip() else {},
        seconds=time.monotonic() - started,
        peak_mb=usage.ru_maxrss / 1024,
        stderr=errors,
    )


def refused(tmp_path, name: str, data: bytes) -> CliRun:
    path = tmp_path / name
    path.write_bytes(data)
    run = run_cli(path)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.status == 2, (run.status, run.output, run.stderr[-2000:])
    assert set(run.output) == {"error"} and run.output["error"]["message"]
    assert run.seconds < MAX_SECONDS, run.seconds
    assert run.peak_mb < MAX_PEAK_MB, run.peak_mb
    return run


def code_of(run: CliRun) -> str:
    return run.output["error"]["code"]


def test_zero_byte_file(tmp_path):
    assert code_of(refused(tmp_path, "invoice.pdf", b"")) == "empty_file"


def test_truncated_pdf(tmp_path):
    assert code_of(refused(tmp_path, "invoice.pdf", hostile_files.truncated_pdf())) == "corrupt_pdf"


def test_encrypted_pdf(tmp_path):
    assert code_of(refused(tmp_path, "invoice.pdf", hostile_files.encrypted_pdf())) == "encrypted_pdf"


def test_text_file_named_pdf_is_not_read_as_a_pdf(tmp_path):
    run = refused(tmp_path, "invoice.pdf", hostile_files.PLAIN_TEXT_LETTER)
    assert code_of(run) in {"no_format", "csv_error", "unsupported_file"}


def test_html_page_named_invoice_pdf(tmp_path):
    assert code_of(refused(tmp_path, "invoice.pdf", hostile_files.HTML_ERROR_PAGE)) == "unsupported_file"


def test_flate_bomb_of_three_gigabytes(tmp_path):
    data = hostile_files.flate_bomb_pdf(3 << 30)
    assert len(data) < 4_000_000
    assert code_of(refused(tmp_path, "invoice.pdf", data)) == "inflate_limit"


def test_attachment_bomb(tmp_path):
    assert code_of(refused(tmp_path, "invoice.pdf", hostile_files.attachment_bomb_pdf(3 << 30))) == "inflate_limit"


def test_ten_thousand_pages(tmp_path):
    run = refused(tmp_path, "invoice.pdf", hostile_files.many_pages_pdf(10_000))
    assert code_of(run) == "too_many_pages"
    assert run.seconds < 8  # parsing the pages would take minutes; refusing takes Python start-up time


def test_huge_mediabox_on_an_image_only_page(tmp_path):
    assert code_of(refused(tmp_path, "invoice.pdf", hostile_files.huge_page_pdf(200_000))) == "page_too_large"


def test_glyph_flood_page(tmp_path):
    glyphs = b"(" + b"W" * 1000 + b") Tj\n"
    page = hostile_files.raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            hostile_files.stream_object(b"", b"BT /F1 1 Tf\n" + glyphs * 2000 + b"ET"),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    assert code_of(refused(tmp_path, "invoice.pdf", page)) == "inflate_limit"


def test_forms_drawing_forms_a_billion_times(tmp_path):
    depth = 30
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /X 5 0 R >> >> >>",
        hostile_files.stream_object(b"", b"/X Do"),
    ]
    for number in range(5, 5 + depth):
        inner = b"/Resources << /XObject << /X %d 0 R >> >>" % (number + 1) if number < 4 + depth else b""
        objects.append(
            hostile_files.stream_object(b"/Type /XObject /Subtype /Form /BBox [0 0 9 9] " + inner, b"/X Do /X Do")
        )
    assert code_of(refused(tmp_path, "invoice.pdf", hostile_files.raw_pdf(objects))) == "inflate_limit"


def test_png_decompression_bomb(tmp_path):
    data = hostile_files.png_bomb(50_000, 50_000)
    assert len(data) < 1_000_000
    assert code_of(refused(tmp_path, "scan.png", data)) == "image_too_large"


def test_png_just_over_the_pixel_cap(tmp_path):
    data = hostile_files.png_bomb(8_000, 8_000)  # 64 Mpx: under Pillow's own bomb guard, over our 60 Mpx cap
    assert code_of(refused(tmp_path, "scan.png", data)) == "image_too_large"


def test_corrupt_png(tmp_path):
    assert code_of(refused(tmp_path, "scan.png", hostile_files.corrupt_png())) == "corrupt_image"


def test_tiff_with_too_many_pages(tmp_path):
    assert code_of(refused(tmp_path, "scan.tif", hostile_files.many_pages_tiff(250))) == "too_many_pages"
