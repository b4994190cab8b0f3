"""The safe PDF reader on real Factur-X/ZUGFeRD files and generated ones."""

import json
import random
import time
import zlib

import pytest

from invoice_import.engine import pdf as pdf_module
from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.limits import Deadline, Limits
from invoice_import.engine.pdf import MAX_CONTENT_BYTES_PER_PAGE, MAX_LAYOUT_OBJECTS_PER_PAGE, open_pdf

from .hostile_files import (
    encrypted_pdf,
    invoice_pdf,
    many_pages_pdf,
    pdf_with_annotation_attachment,
    pdf_with_attachment,
    pdf_with_deflated_attachment,
    raw_pdf,
    stream_object,
    zeros_deflated,
)

LIMITS = Limits()


def opened(data: bytes, limits: Limits = LIMITS, seconds: float = 60):
    return open_pdf(data, limits, Deadline(seconds))


def error_code(data: bytes, action=lambda doc: doc.pages_text(), limits: Limits = LIMITS) -> str:
    with pytest.raises(ExtractionError) as error:
        with opened(data, limits) as doc:
            action(doc)
    return error.value.code


def test_corpus_text_layer_and_embedded_einvoice(corpus_dir):
    checked = 0
    for path in sorted(corpus_dir.glob("*.pdf")):
        expected = json.loads(path.with_suffix(".expected.json").read_text())
        with opened(path.read_bytes()) as doc:
            text = "\n".join(doc.pages_text())
            name, payload = doc.embedded_files()[0]
        assert expected["invoice_number"] in text, path.name
        assert name.lower() in pdf_module.EINVOICE_ATTACHMENT_NAMES, path.name
        assert expected["invoice_number"].encode() in payload, path.name
        checked += 1
    assert checked >= 20


def test_generated_invoice_text_every_page():
    with opened(invoice_pdf(number="INV-7", total="12.30", pages=3)) as doc:
        texts = doc.pages_text()
    assert len(texts) == 3
    for number, text in enumerate(texts, start=1):
        assert f"(page {number}/3)" in text
        assert "INV-7" in text and "Total due: 12.30 EUR" in text


def test_einvoice_attachment_comes_before_other_attachments():
    from io import BytesIO

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf_with_attachment("notes.xml", b"<notes/>"))))
    writer.add_attachment("factur-x.xml", b"<rsm:CrossIndustryInvoice/>")
    buffer = BytesIO()
    writer.write(buffer)
    with opened(buffer.getvalue()) as doc:
        files = doc.embedded_files()
    assert files == [("factur-x.xml", b"<rsm:CrossIndustryInvoice/>"), ("notes.xml", b"<notes/>")]


def test_file_attachment_annotation_is_an_embedded_file():
    with opened(pdf_with_annotation_attachment("xrechnung.xml", b"<ubl:Invoice/>")) as doc:
        assert doc.embedded_files() == [("xrechnung.xml", b"<ubl:Invoice/>")]


def test_attachment_is_inflated_against_the_cap():
    payload = b"<Invoice>" + b" " * 2_000_000 + b"</Invoice>"
    data = pdf_with_deflated_attachment("factur-x.xml", zlib.compress(payload))
    assert len(data) < 100_000
    with opened(data) as doc:
        assert doc.embedded_files() == [("factur-x.xml", payload)]
    assert error_code(data, lambda doc: doc.embedded_files(), Limits(max_inflated_bytes=1_000_000)) == "inflate_limit"


def test_empty_user_password_is_opened_and_read():
    with opened(encrypted_pdf(user_password="")) as doc:
        assert "INV-2024-0042" in doc.pages_text()[0]
        assert doc.render_page(0, 50).size == (414, 585)


def test_user_password_is_encrypted_pdf():
    assert error_code(encrypted_pdf(user_password="s3cret")) == "encrypted_pdf"


def test_not_a_pdf_and_damaged_pdfs_are_corrupt():
    whole = invoice_pdf()
    assert error_code(b"PK\x03\x04 a zip archive, not a PDF" + bytes(2000) + whole) == "corrupt_pdf"
    assert error_code(whole[: len(whole) * 2 // 3]) == "corrupt_pdf"
    assert error_code(b"%PDF-1.7\n" + b"garbage " * 100 + b"\n%%EOF\n") == "corrupt_pdf"


def test_render_size_follows_dpi_and_crop_box():
    with opened(invoice_pdf()) as doc:
        assert doc.page_size(0) == pytest.approx((595.2756, 841.8898))
        image = doc.render_page(0, 100)
    assert image.size == (827, 1170)
    assert image.mode == "L"
    cropped = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 720 720] >>",
            b"<< /Type /Page /Parent 2 0 R /CropBox [0 0 360 144] /UserUnit 2 >>",
        ]
    )
    with opened(cropped) as doc:
        assert doc.page_size(0) == (720, 288)


def test_pixel_cap_is_checked_before_rendering():
    small_cap = Limits(max_pixels=1_000_000)
    started = time.monotonic()
    assert error_code(invoice_pdf(), lambda doc: doc.render_page(0, 200), small_cap) == "page_too_large"
    assert time.monotonic() - started < 1
    with opened(invoice_pdf(), small_cap) as doc:
        assert doc.render_page(0, 100).size == (827, 1170)


def test_pdfium_fallback_renders_the_same_page():
    image = pdf_module._render_with_pdfium(invoice_pdf(), 0, 100, gray=True)
    assert image.size == (827, 1170)
    assert image.mode == "L"


def test_declared_and_real_page_counts_are_capped():
    assert error_code(many_pages_pdf(250)) == "too_many_pages"
    lying = many_pages_pdf(250).replace(b"/Count 250", b"/Count 1  ")
    assert error_code(lying) == "too_many_pages"
    with opened(many_pages_pdf(250), Limits(max_pages=250)) as doc:
        assert doc.page_count == 250


def test_page_tree_loop_is_cut():
    looped = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream_object(b"", b"BT ET"),
        ]
    )
    with opened(looped) as doc:
        assert doc.page_count == 1


def test_inflate_cap_counts_all_streams_together():
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % (5 + i) for i in range(2)]
    streams = [stream_object(b"/Filter /FlateDecode", zeros_deflated(600_000)) for _ in range(2)]
    tree = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>"]
    data = raw_pdf(tree + pages + streams)
    with opened(data, Limits(max_inflated_bytes=1_500_000)) as doc:
        assert doc.pages_text() == ["", ""]
    with pytest.raises(ExtractionError) as error:
        opened(data, Limits(max_inflated_bytes=1_000_000))
    assert error.value.code == "inflate_limit"


def test_layout_work_per_page_is_capped():
    glyphs = b"(" + b"W" * 1000 + b") Tj\n"
    content = b"BT /F1 1 Tf\n" + glyphs * (MAX_LAYOUT_OBJECTS_PER_PAGE // 1000 + 5) + b"ET"
    data = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream_object(b"", content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    assert error_code(data) == "inflate_limit"


def one_page_pdf(content_deflated: bytes) -> bytes:
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream_object(b"/Filter /FlateDecode", content_deflated),
        ]
    )


def test_drawing_instructions_per_page_are_capped():
    heavy = one_page_pdf(zeros_deflated(MAX_CONTENT_BYTES_PER_PAGE + 1))
    started = time.monotonic()
    assert error_code(heavy) == "inflate_limit"
    assert time.monotonic() - started < 2


def test_deadline_is_checked_inside_a_page():
    endless_saves = one_page_pdf(zlib.compress(b"q " * 3_000_000))
    started = time.monotonic()
    with pytest.raises(ExtractionError) as error:
        with opened(endless_saves, seconds=1) as doc:
            doc.pages_text()
    assert error.value.code == "timeout"
    assert time.monotonic() - started < 3


def test_expired_deadline_is_a_timeout():
    with pytest.raises(ExtractionError) as error:
        open_pdf(invoice_pdf(), LIMITS, Deadline(0))
    assert error.value.code == "timeout"


def test_mutated_pdfs_only_ever_raise_extraction_errors():
    """Random byte damage to real PDFs: read, refused with a code, never a traceback."""
    seeds = [invoice_pdf(pages=2), encrypted_pdf(user_password=""), pdf_with_attachment("factur-x.xml", b"<a/>" * 99)]
    rng = random.Random(20240305)
    outcomes = set()
    for _ in range(150):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 12)):
            position = rng.randrange(len(data))
            if rng.random() < 0.7:
                data[position] = rng.randrange(256)
            else:
                del data[position : position + rng.randint(1, 80)]
        try:
            with opened(bytes(data), seconds=20) as doc:
                doc.embedded_files()
                doc.pages_text()
            outcomes.add("read")
        except ExtractionError as exc:
            outcomes.add(exc.code)
    assert "read" in outcomes and "corrupt_pdf" in outcomes
    assert outcomes <= {"read", "corrupt_pdf", "encrypted_pdf", "inflate_limit"}


def test_pages_whose_fonts_lack_a_unicode_map_are_read_with_pdfium(corpus_dir):
    # Some corpus PDFs embed fonts without a ToUnicode map: pdfminer prints "(cid:N)" for every glyph.
    reread = 0
    for path in sorted(corpus_dir.glob("*.pdf")):
        with opened(path.read_bytes()) as doc:
            pages = doc.pages_text()
            reread += any("read with pdfium" in warning for warning in doc.warnings)
        for number, text in enumerate(pages, start=1):
            ratio = pdf_module.unmapped_glyph_ratio(text)
            assert ratio <= pdf_module.UNMAPPED_GLYPH_RATIO, f"{path.name} page {number}: {ratio:.0%} unmapped glyphs"
    assert reread >= 1


def test_fast_text_reads_pdfium_where_its_text_can_be_trusted():
    """The template-free path takes pdfium's text; pdfminer's layout analysis is not run on a plain page."""
    with opened(invoice_pdf(number="INV-7", total="12.30", pages=3)) as doc:
        texts = doc.pages_text_fast()
        assert doc.fast_pages == [0, 1, 2]
        assert doc._texts is None  # pdfminer's text was never made
    for number, text in enumerate(texts, start=1):
        assert f"(page {number}/3)" in text and "INV-7" in text and "Total due: 12.30 EUR" in text


def _font_page(font: bytes, content: bytes, forms: list[bytes] = ()) -> bytes:
    """One page drawing ``content`` with font /F1 ``font``; ``forms`` are form XObjects /X1, /X2... in a chain."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >>" + (b" /XObject << /X1 6 0 R >>" if forms else b"") + b" >> >>",
        stream_object(b"", content),
        font,
    ]
    for number, form in enumerate(forms, start=6):
        inner = b" /XObject << /X%d %d 0 R >>" % (number - 4, number + 1) if number < 5 + len(forms) else b""
        objects.append(
            stream_object(
                b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >>"
                + inner
                + b" >>",
                form,
            )  # fmt: skip
        )
    return raw_pdf(objects)


def test_fast_text_leaves_fonts_without_a_unicode_map_and_nested_forms_to_pdfminer():
    """pdfium guesses a simple font's characters without ToUnicode or Encoding, and forms drawing forms are work."""
    text = b"BT /F1 12 Tf 72 720 Td (Invoice RE-2024-0117 Total 99.50) Tj ET"
    bare = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    encoded = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    for font, fast in ((bare, []), (encoded, [0])):
        with opened(_font_page(font, text)) as doc:
            assert "RE-2024-0117" in doc.pages_text_fast()[0]
            assert doc.fast_pages == fast
    nested = _font_page(encoded, b"/X1 Do", forms=[b"/X2 Do", text])
    with opened(nested) as doc:
        assert "RE-2024-0117" in doc.pages_text_fast()[0]
        assert doc.fast_pages == []


def test_a_stream_hiding_the_next_objects_header_is_still_inflated_first():
    """Objects that plainly hold no stream are not parsed when the file is opened; a stream must not pass for one.

    Object 4, a flate bomb, carries in its dictionary the header the xref
    table gives object 5: up to that offset its bytes hold no ``stream``
    keyword, yet pypdf reads it as a stream.  The keyword nobody accounts
    for sends the check back over every object.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        stream_object(b"/Filter /FlateDecode /Pad 5 0 obj", zeros_deflated(LIMITS.max_inflated_bytes + 1)),
        b"<< >>",
    ]
    data = raw_pdf(objects)
    hidden = data.index(b"5 0 obj", data.index(b"4 0 obj"))
    xref_entry = b"%010d 00000 n \n" % data.index(b"5 0 obj", hidden + 1)
    data = data.replace(xref_entry, b"%010d 00000 n \n" % hidden)
    assert error_code(data, action=lambda doc: None) == "inflate_limit"
