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


def run_cli(path, *options: str) -> CliRun:
    """``invoice-import extract PATH --json [OPTIONS]`` in a child with RLIMIT_AS; killed if it hangs."""

    def cap_address_space():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))

    command = [sys.executable, "-m", "invoice_import.engine.cli", "extract", str(path), "--json", *options]
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
    assert run.seconds < MAX_SECONDS  # parsing the pages would take minutes; refusing takes Python start-up time


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


def read_within_bounds(tmp_path, name: str, data: bytes) -> CliRun:
    """The CLI reads the file (exit 0) inside the same time and memory bounds as a refusal."""
    path = tmp_path / name
    path.write_bytes(data)
    run = run_cli(path)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.status == 0, (run.status, run.output, run.stderr[-2000:])
    assert run.seconds < MAX_SECONDS, run.seconds
    assert run.peak_mb < MAX_PEAK_MB, run.peak_mb
    return run


# Structures a parser walks: each node once, within the deadline (issue 12, failure 1).


def test_attachment_name_tree_listing_itself_twice(tmp_path):
    data = hostile_files.name_tree_loop_pdf()
    assert len(data) < 1024
    run = read_within_bounds(tmp_path, "invoice.pdf", data)
    assert run.output["invoice_number"] == "INV-1"


def test_attachment_name_tree_of_forty_levels_each_listed_twice(tmp_path):
    run = read_within_bounds(tmp_path, "invoice.pdf", hostile_files.name_tree_dag_pdf(40))
    assert run.output["invoice_number"] == "INV-1"


def test_page_label_tree_of_forty_levels_each_listed_twice(tmp_path):
    # pdfminer walks /PageLabels by plain recursion before the first page: refused before it can
    assert code_of(refused(tmp_path, "invoice.pdf", hostile_files.page_label_dag_pdf(40))) == "corrupt_pdf"


def test_document_information_nesting_forty_levels_twice(tmp_path):
    # pdfplumber resolves every value of /Info recursively on opening
    assert code_of(refused(tmp_path, "invoice.pdf", hostile_files.info_dag_pdf(40))) == "corrupt_pdf"


def test_page_tree_outline_and_form_fields_listing_nodes_twice_are_read(tmp_path):
    for name, data in (
        ("pages.pdf", hostile_files.page_tree_dag_pdf(40)),
        ("outline.pdf", hostile_files.outline_loop_pdf()),
        ("fields.pdf", hostile_files.form_field_dag_pdf(40)),
    ):
        assert read_within_bounds(tmp_path, name, data).output["invoice_number"] == "INV-1", name


def test_font_in_an_object_stream_followed_by_twenty_megabytes_of_tokens(tmp_path):
    data = hostile_files.object_stream_flood_pdf(20 << 20)
    assert len(data) < 100_000
    assert code_of(refused(tmp_path, "invoice.pdf", data)) == "inflate_limit"


# Bounded but slow: each answered within the bounds (issue 12, weaknesses).


def test_fifty_thousand_content_streams_on_one_page(tmp_path):
    assert code_of(refused(tmp_path, "invoice.pdf", hostile_files.many_content_streams_pdf(50_000))) == "inflate_limit"


def test_jbig2_image_declaring_sixty_thousand_pixels_square(tmp_path):
    data = hostile_files.jbig2_giant_image_pdf(60_000)
    assert len(data) < 2048
    assert code_of(refused(tmp_path, "invoice.pdf", data)) == "image_too_large"


def test_tiff_of_two_hundred_frames(tmp_path):
    assert code_of(refused(tmp_path, "scan.tif", hostile_files.many_pages_tiff(200))) == "too_many_pages"


def test_csv_just_under_the_file_cap(tmp_path):
    data = hostile_files.big_csv(49 << 20)
    assert len(data) > 48 << 20
    run = refused(tmp_path, "invoices.csv", data)
    assert code_of(run) == "csv_error" and "rows" in run.output["error"]["message"]


def test_one_million_by_one_png(tmp_path):
    # deskewing it asked for 995,562 x 94,109 pixels
    run = refused(tmp_path, "scan.png", hostile_files.extreme_aspect_png(1_000_000, 1))
    assert code_of(run) == "image_too_large"


# The CLI's own file handling.


def test_directory_nonexistent_and_overlong_names(tmp_path):
    for path in (tmp_path, tmp_path / "missing.pdf", tmp_path / ("x" * 10_000)):
        run = run_cli(path)
        assert run.status == 2 and "Traceback" not in run.stderr, run.stderr
        assert code_of(run) == "file_unreadable"
        assert len(run.output["error"]["message"]) < 500


def test_dev_zero_is_read_up_to_the_size_cap_only():
    run = run_cli("/dev/zero")
    assert run.status == 2 and code_of(run) == "file_too_large"
    assert run.peak_mb < MAX_PEAK_MB and run.seconds < MAX_SECONDS


# The reader process's OS limits (issue 12, failure 3): what no cap of the engine catches.


def test_a_template_regex_that_backtracks_for_ever_is_stopped_at_the_time_cap(tmp_path):
    template = tmp_path / "format.json"
    template.write_text(
        json.dumps({"name": "trap", "kind": "pdf", "keywords": ["Invoice"], "fields": {"invoice_number": "(a+)+X"}})
    )
    path = tmp_path / "invoice.pdf"
    path.write_bytes(hostile_files.invoice_pdf(seller="a" * 60))
    run = run_cli(path, "--format", str(template), "--max-seconds", "2")
    assert run.status == 2 and code_of(run) == "timeout", (run.output, run.stderr[-2000:])
    assert run.seconds < 2 + 5 + 5  # the cap, the grace, Python's start


def test_memory_past_the_process_limit_is_a_clean_error(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(hostile_files.png_bomb(7_000, 7_000))  # 49 Mpx, within the pixel cap: 49 MB once decoded
    run = run_cli(path, "--max-memory-bytes", str(250 << 20))
    assert run.status == 2 and code_of(run) == "memory_limit", (run.output, run.stderr[-2000:])
    assert "Traceback" not in run.stderr
