"""The reader process: the same pivots as in-process, and OS limits that hold where the engine's caps cannot.

These run the fork server the Odoo layer uses (``extract_isolated`` without
``fork``); the CLI's plain fork is exercised by ``test_hostile.py``.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from PIL import Image

from invoice_import.engine import sandbox
from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.formats import load_format
from invoice_import.engine.images import MAX_ASPECT_RATIO, clean_page, rotated_size
from invoice_import.engine.limits import Deadline, Limits

from . import hostile_files

CSV_FORMAT = {
    "name": "acme",
    "kind": "csv",
    "delimiter": ";",
    "decimal_separator": ",",
    "columns": {"invoice_number": "No", "currency": "Currency", "amount_total": "Total"},
    "line_columns": {"description": "Item", "quantity": "Qty", "unit_price": "Price", "amount": "Amount"},
}
CSV = (
    b"No;Currency;Item;Qty;Price;Amount;Total\n"
    b'R-1;EUR;=HYPERLINK("http://x.example");2;10,00;20,00;20,00\n'
    b"R-2;EUR;Bolts;1;5,00;5,00;5,00\n"
)


def test_the_reader_process_gives_what_the_engine_gives():
    pdf = hostile_files.invoice_pdf(lines=5)
    fmt = load_format(CSV_FORMAT)
    for data, formats in ((pdf, []), (CSV, [fmt])):
        isolated = sandbox.extract_isolated(data, formats=formats)
        direct = extract_bytes(data, formats=formats)
        assert isolated.kind == direct.kind
        assert [i.to_dict() for i in isolated.invoices] == [i.to_dict() for i in direct.invoices]
    assert isolated.invoices[0].lines[0].description == '\'=HYPERLINK("http://x.example")'


def test_refusals_come_back_as_the_same_errors():
    for data, code in ((hostile_files.name_tree_loop_pdf()[:200], "corrupt_pdf"), (b"", "empty_file")):
        with pytest.raises(ExtractionError) as info:
            sandbox.extract_isolated(data)
        assert info.value.code == code


def test_threads_share_the_fork_server():
    data = hostile_files.invoice_pdf(number="T-7")
    numbers, errors = [], []

    def read():
        try:
            numbers.append(sandbox.extract_isolated(data).invoices[0].invoice_number)
        except Exception as exc:  # reported below: a thread's exception would vanish
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and numbers == ["T-7"] * 4


def test_a_loop_no_cap_sees_is_stopped_by_the_clock():
    # Python's re cannot be interrupted: only the process's alarm ends this
    trap = load_format({"name": "trap", "kind": "pdf", "keywords": ["Invoice"], "fields": {"invoice_number": "(a+)+X"}})
    data = hostile_files.invoice_pdf(seller="a" * 60)
    started = time.monotonic()
    with pytest.raises(ExtractionError) as info:
        sandbox.extract_isolated(data, formats=[trap], limits=Limits(max_seconds=1))
    assert info.value.code == "timeout"
    assert time.monotonic() - started < 1 + sandbox.GRACE_SECONDS + 3
    # and the server is still there for the next file
    assert sandbox.extract_isolated(hostile_files.invoice_pdf()).invoices


def test_memory_past_the_limit_is_a_clean_error():
    with pytest.raises(ExtractionError) as info:
        sandbox.extract_isolated(hostile_files.png_bomb(7_000, 7_000), limits=Limits(max_memory_bytes=250 << 20))
    assert info.value.code == "memory_limit" and "250 MB" in info.value.message


def test_a_dead_fork_server_is_started_again():
    sandbox.extract_isolated(hostile_files.invoice_pdf())
    process = sandbox._server()._process
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert sandbox.extract_isolated(hostile_files.invoice_pdf(number="R-9")).invoices[0].invoice_number == "R-9"


def test_how_a_child_ended_names_the_error():
    limits = Limits(max_seconds=3, max_memory_bytes=100 << 20)
    assert sandbox._status_error(signal.SIGALRM, limits).code == "timeout"
    assert sandbox._status_error(signal.SIGXCPU, limits).code == "timeout"
    assert sandbox._status_error(signal.SIGKILL, limits).code == "memory_limit"
    crash = sandbox._status_error(signal.SIGSEGV, limits)
    assert crash.code == "parser_crash" and "SIGSEGV" in crash.message and "100 MB" in crash.message
    assert sandbox._status_error(1 << 8, limits).code == "parser_crash"  # exit status 1 without an answer


# Images: every transform within the caps (issue 12, failure 4).


def test_deskew_that_would_grow_a_page_past_the_pixel_cap_is_skipped():
    page = Image.new("L", (400, 4000), 255)
    for y in range(100, 3900, 40):  # text lines tilted by 3 degrees
        for x in range(40, 360):
            page.putpixel((x, min(3999, y + int(x * 0.05))), 0)
    turned = rotated_size(page.size, 3.0)
    assert turned[0] * turned[1] > 400 * 4000
    assert clean_page(page, threshold=False, max_pixels=400 * 4000).size == page.size
    assert clean_page(page, threshold=False).size != page.size  # with room, the page is straightened


def test_absurd_shapes_are_refused_before_any_transform():
    for size in ((MAX_ASPECT_RATIO * 10 + 1, 10), (1, 1_000_000)):
        with pytest.raises(ExtractionError) as info:
            clean_page(Image.new("L", size, 255))
        assert info.value.code == "image_too_large" and "shape" in info.value.message


def test_tesseract_image_too_large_is_reported_as_such():
    from invoice_import.engine.ocr import recognise

    with pytest.raises(ExtractionError) as info:
        recognise(Image.new("L", (33_000, 40), 255), "eng", Deadline(60))
    assert info.value.code == "image_too_large"
