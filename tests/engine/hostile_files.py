"""Builders of well-formed and hostile sample files, generated at test time.

Nothing here is committed as a binary: each builder returns bytes in well
under a second, even the ones that claim gigabytes, because the hostile
payloads (runs of zeros) are assembled from one repeated deflate block
instead of being compressed for real.
"""

from __future__ import annotations

import io
import struct
import zlib

_MIB = 1 << 20


def invoice_pdf(
    number: str = "INV-2024-0042",
    total: str = "1,234.56",
    lines: int = 3,
    seller: str = "Acme Supplies Ltd",
    pages: int = 1,
    labels: tuple[str, str, str] = ("Invoice", "Invoice number", "Total due"),
) -> bytes:
    """A plain text-layer invoice, the ordinary case every hostile file is a variation of."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    title, number_label, total_label = labels
    for page in range(pages):
        y = 780
        pdf.setFont("Helvetica-Bold", 20)
        pdf.drawString(60, y, f"{title}" + (f" (page {page + 1}/{pages})" if pages > 1 else ""))
        pdf.setFont("Helvetica", 12)
        for text in (seller, "12 High Street, London", f"{number_label}: {number}", "Date: 2024-03-05"):
            y -= 24
            pdf.drawString(60, y, text)
        y -= 36
        for index in range(lines):
            pdf.drawString(60, y, f"{index + 1}. Widget model {index + 1:03d}")
            pdf.drawRightString(500, y, f"{(index + 1) * 10:.2f}")
            y -= 18
            if y < 120:
                break
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(60, y - 24, f"{total_label}: {total} EUR")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """Serialise numbered objects (object i+1 is ``objects[i]``) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref_at)
    return bytes(out)


def stream_object(dictionary: bytes, payload: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream"


def zeros_deflated(size: int) -> bytes:
    """A zlib stream that inflates to ``size`` zero bytes, built in milliseconds.

    After a full flush deflate restarts from an empty window, so the block
    for one MiB of zeros is the same every time and can simply be repeated.
    The Adler-32 of n zeros is (n mod 65521) << 16 | 1.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(_MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    whole, rest = divmod(size, _MIB)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = tail.compress(bytes(rest)) + tail.flush(zlib.Z_FINISH)
    adler = ((size % 65521) << 16) | 1
    return b"\x78\xda" + block * whole + last + struct.pack(">I", adler)


def flate_bomb_pdf(inflated_size: int = 3 << 30) -> bytes:
    """One page whose content stream inflates to ``inflated_size`` bytes (3 GiB from ~3 MB by default)."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            stream_object(b"/Filter /FlateDecode", zeros_deflated(inflated_size)),
        ]
    )


def many_pages_pdf(pages: int = 10_000) -> bytes:
    """``pages`` pages sharing one tiny content stream: a few hundred KB for ten thousand pages."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d /MediaBox [0 0 595 842] >>" % pages,
        stream_object(b"", b"BT /F1 12 Tf 72 720 Td (Page) Tj ET"),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"] * pages
    return raw_pdf(objects)


def huge_page_pdf(side_points: int = 200_000) -> bytes:
    """An image-only page (so it has to be OCRed) with a MediaBox ``side_points`` wide and high."""
    image = stream_object(
        b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8",
        b"\x00",
    )
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>" % (side_points, side_points),
            stream_object(b"", b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (side_points, side_points)),
            image,
        ]
    )


def truncated_pdf() -> bytes:
    """The first half of a valid invoice PDF, as a broken download leaves it."""
    whole = invoice_pdf(lines=30)
    return whole[: len(whole) // 2]


def encrypted_pdf(user_password: str = "secret", owner_password: str = "owner") -> bytes:
    """An invoice PDF encrypted with pypdf (AES-256); an empty user password opens without asking."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(invoice_pdf())))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_attachment(name: str, payload: bytes) -> bytes:
    """An invoice PDF carrying ``payload`` in its EmbeddedFiles name tree, as pypdf writes it."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(invoice_pdf())))
    writer.add_attachment(name, payload)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_annotation_attachment(name: str, payload: bytes) -> bytes:
    """A one-page PDF whose only attachment hangs off a FileAttachment annotation (no name tree)."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [10 10 30 30] /FS 5 0 R >>",
            b"<< /Type /Filespec /F (%s) /EF << /F 6 0 R >> >>" % name.encode("ascii"),
            stream_object(b"/Type /EmbeddedFile /Filter /FlateDecode", zlib.compress(payload)),
        ]
    )


def pdf_with_deflated_attachment(name: str, deflated_payload: bytes) -> bytes:
    """A one-page PDF whose EmbeddedFiles name tree holds one FlateDecode attachment, given compressed."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(%s) 4 0 R] >> >> >>"
            % name.encode("ascii"),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Type /Filespec /F (%s) /UF (%s) /EF << /F 5 0 R >> >>" % ((name.encode("ascii"),) * 2),
            stream_object(b"/Type /EmbeddedFile /Filter /FlateDecode", deflated_payload),
        ]
    )


def attachment_bomb_pdf(inflated_size: int = 3 << 30) -> bytes:
    """A PDF whose 'factur-x.xml' attachment inflates to ``inflated_size`` bytes."""
    return pdf_with_deflated_attachment("factur-x.xml", zeros_deflated(inflated_size))


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A 1-bit PNG declaring ``width`` x ``height`` pixels, all black, in a few hundred KB."""
    row_bytes = 1 + (width + 7) // 8
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zeros_deflated(row_bytes * height))
        + png_chunk(b"IEND", b"")
    )


def corrupt_png() -> bytes:
    """A real PNG whose compressed pixels were overwritten with noise (CRC fixed, so only decoding fails)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8 : start - 4])[0]
    data[start + 20 : start + length] = bytes((i * 7919) % 251 for i in range(length - 20))
    data[start + length : start + length + 4] = struct.pack(">I", zlib.crc32(data[start - 4 : start + length]))
    return bytes(data)


HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    b"<body><h1>Bad Gateway</h1><p>The download link has expired.</p></body></html>\n"
)

PLAIN_TEXT_LETTER = (
    b"Dear customer,\n\nthank you for your order. Your invoice will follow by post\n"
    b"within the next days. Kind regards\nThe accounts team\n"
)


def many_pages_tiff(pages: int = 250) -> bytes:
    """A multi-page TIFF of ``pages`` tiny blank pages: cheap to store, costly if each page were OCRed."""
    from PIL import Image

    blank = Image.new("1", (8, 8), 1)
    buffer = io.BytesIO()
    blank.save(buffer, format="TIFF", save_all=True, append_images=[blank] * (pages - 1))
    return buffer.getvalue()


def scanned_page(page, degrees: float = 2.0, noise: float = 35.0, seed: int = 7, dust: float = 0.005):
    """What a cheap office scanner makes of a rendered page: a little crooked, gray noise and dust specks."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    crooked = page.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    pixels = np.asarray(crooked, dtype=np.float64) + rng.normal(0, noise, crooked.size[::-1])
    specks = rng.random(pixels.shape)
    pixels[specks < dust] = 0
    pixels[specks > 1 - dust] = 255
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def image_only_pdf(image) -> bytes:
    """A one-page A4 PDF with ``image`` as its only content: a scan, without any text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _catalog_page_objects(catalog_extra: bytes = b"") -> list[bytes]:
    """Objects 1-3 of a one-page PDF with text (catalog, pages, page) and 4-5 (content, font)."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream_object(b"", b"BT /F1 12 Tf 72 720 Td (Invoice INV-1 Total due 10.00 EUR) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def name_tree_loop_pdf() -> bytes:
    """An attachment name tree whose one node lists itself twice as a kid (a few hundred bytes).

    A walker without a visited set descends 2^depth times before any depth cap stops it.
    """
    objects = _catalog_page_objects(b"/Names << /EmbeddedFiles 6 0 R >>")
    objects.append(b"<< /Kids [6 0 R 6 0 R] >>")
    return raw_pdf(objects)


def name_tree_dag_pdf(levels: int = 40) -> bytes:
    """An attachment name tree of ``levels`` nodes, each listing the next one twice: 2^levels paths, no loop."""
    first = 6
    objects = _catalog_page_objects(b"/Names << /EmbeddedFiles %d 0 R >>" % first)
    for level in range(levels):
        number = first + level
        objects.append(b"<< /Kids [%d 0 R %d 0 R] >>" % (number + 1, number + 1))
    objects.append(b"<< /Names [(factur-x.xml) null] >>")
    return raw_pdf(objects)


def page_label_dag_pdf(levels: int = 40) -> bytes:
    """A /PageLabels number tree built like ``name_tree_dag_pdf``: pdfminer walks it before the first page."""
    first = 6
    objects = _catalog_page_objects(b"/PageLabels %d 0 R" % first)
    for level in range(levels):
        number = first + level
        objects.append(b"<< /Kids [%d 0 R %d 0 R] >>" % (number + 1, number + 1))
    objects.append(b"<< /Nums [0 << /S /D >>] >>")
    return raw_pdf(objects)


def info_dag_pdf(levels: int = 40) -> bytes:
    """A document information dictionary whose values nest ``levels`` deep, each level twice."""
    first = 6
    objects = _catalog_page_objects()
    for level in range(levels):
        number = first + level
        objects.append(b"<< /A %d 0 R /B %d 0 R >>" % (number + 1, number + 1))
    objects.append(b"(leaf)")
    data = raw_pdf(objects)
    return data.replace(b"/Root 1 0 R", b"/Root 1 0 R /Info %d 0 R" % first)


def outline_loop_pdf() -> bytes:
    """An outline whose item is its own next sibling and its own first child."""
    objects = _catalog_page_objects(b"/Outlines 6 0 R")
    objects.append(b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>")
    objects.append(b"<< /Title (Loop) /Parent 6 0 R /First 7 0 R /Next 7 0 R /Dest [3 0 R /Fit] >>")
    return raw_pdf(objects)


def form_field_dag_pdf(levels: int = 40) -> bytes:
    """An AcroForm whose field tree lists each node's kid twice."""
    first = 6
    objects = _catalog_page_objects(b"/AcroForm << /Fields [%d 0 R] >>" % first)
    for level in range(levels):
        number = first + level
        objects.append(b"<< /T (f%d) /Kids [%d 0 R %d 0 R] >>" % (level, number + 1, number + 1))
    objects.append(b"<< /T (leaf) /FT /Tx /V (x) >>")
    return raw_pdf(objects)


def page_tree_dag_pdf(levels: int = 40) -> bytes:
    """A page tree of ``levels`` /Pages nodes each listing the next twice, one page at the bottom."""
    first = 2
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        number = first + level
        objects.append(b"<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count 1 >>" % (number + 1, number + 1))
    page = first + levels
    objects.append(
        b"<< /Type /Page /MediaBox [0 0 595 842] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>"
        % (page + 1, page + 2)
    )
    objects.append(stream_object(b"", b"BT /F1 12 Tf 72 720 Td (Invoice INV-1 Total due 10.00 EUR) Tj ET"))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return raw_pdf(objects)


def object_stream_flood_pdf(filler_bytes: int = 20 * _MIB) -> bytes:
    """The page's font sits in an object stream followed by ``filler_bytes`` of tokens (tens of KB on disk).

    pdfminer parses a whole object stream when it first resolves one object
    in it; pypdf reads only the object asked for.
    """
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    header = b"5 0 "
    filler = b"1 " * (filler_bytes // 2)
    objstm_body = header + font + b"\n" + filler
    objstm = zlib.compress(objstm_body, 9)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    plain = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: stream_object(b"", b"BT /F1 12 Tf 72 720 Td (Invoice INV-1 Total due 10.00 EUR) Tj ET"),
        6: stream_object(b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(header), objstm),
    }
    for number, body in plain.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_number = 7
    offsets[xref_number] = len(out)
    rows = b"\x00" + b"\x00\x00\x00\x00" + b"\xff\xff"  # object 0: free
    for number in range(1, xref_number + 1):
        if number == 5:
            rows += b"\x02" + struct.pack(">I", 6) + struct.pack(">H", 0)
        else:
            rows += b"\x01" + struct.pack(">I", offsets[number]) + b"\x00\x00"
    xref = stream_object(b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % (xref_number + 1), rows)
    out += b"%d 0 obj\n" % xref_number + xref + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def many_content_streams_pdf(streams: int = 50_000) -> bytes:
    """One page drawing its text through ``streams`` tiny content streams (an array of references)."""
    first = 6
    objects = _catalog_page_objects()
    objects[2] = objects[2].replace(
        b"/Contents 4 0 R", b"/Contents [%s]" % b" ".join(b"%d 0 R" % (first + i) for i in range(streams))
    )
    objects += [stream_object(b"", b"BT /F1 12 Tf 72 720 Td (x) Tj ET")] * streams
    return raw_pdf(objects)


def jbig2_giant_image_pdf(side: int = 60_000) -> bytes:
    """An image-only page whose JBIG2 image declares ``side`` x ``side`` pixels in a few hundred bytes."""
    # JBIG2 embedded stream: a page information segment declaring the page, then an immediate generic region.
    page_info = struct.pack(">IIIIBH", side, side, 0, 0, 0, 0)
    segment = struct.pack(">IBBB", 0, 0x30, 0, 1) + struct.pack(">I", len(page_info)) + page_info
    region = struct.pack(">IIIIB", side, side, 0, 0, 0) + struct.pack(">BBbbbbbbbb", 0, 3, -1, -2, 2, -1, -2, -2, 0, 0)
    region += zeros_deflated(0)[:0] + b"\x00" * 64
    segment += struct.pack(">IBBB", 1, 0x26, 0, 1) + struct.pack(">I", len(region)) + region
    image = stream_object(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
        b"/Filter /JBIG2Decode" % (side, side),
        segment,
    )
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            stream_object(b"", b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
            image,
        ]
    )


def extreme_aspect_png(width: int = 1_000_000, height: int = 1) -> bytes:
    """A gray PNG of ``width`` x ``height`` with a few dark pixels: within the pixel cap, absurd in shape."""
    row = bytearray(width)
    for x in range(0, width, 97):
        row[x] = 0xFF
    raw = b"".join(b"\x00" + bytes(row) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(raw, 9))
        + png_chunk(b"IEND", b"")
    )


def big_csv(target_bytes: int = 49 * _MIB) -> bytes:
    """A CSV just under the 50 MB file cap: one invoice of ~900,000 lines with a formula-looking description each."""
    header = b"Invoice No;Date;Description;Qty;Unit Price;Amount\n"
    row = b"INV-1;2024-03-05;=1+1 widget;1;1.00;1.00\n"
    return header + row * ((target_bytes - len(header)) // len(row))
