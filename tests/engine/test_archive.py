"""Zip attachments: the invoices inside come out, a zip bomb gets an answer within its caps."""

import io
import time
import tracemalloc
import zipfile

import pytest

from invoice_import.engine import archive
from invoice_import.engine.archive import ArchiveError, ArchiveLimits

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def zipped(files, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, content in files:
            z.writestr(name, content)
    return buffer.getvalue()


def test_the_invoice_files_inside_come_out_in_order_with_notes_for_the_rest():
    data = zipped(
        [
            ("a/inv-1.pdf", PDF),
            ("inv-2.csv", b"number;total\nA1;10.00\n"),
            ("empty.pdf", b""),
            ("logo.bin", bytes(range(32))),
            ("inner.zip", zipped([("inv-3.xml", b"<?xml version='1.0'?><Invoice/>")])),
        ]
    )
    result = archive.unpack(data, "mail.zip")
    assert [name for name, _ in result.files] == [
        "mail.zip/a/inv-1.pdf",
        "mail.zip/inv-2.csv",
        "mail.zip/inner.zip/inv-3.xml",
    ]
    assert result.files[0][1] == PDF
    assert any("empty.pdf" in note for note in result.notes) and any("logo.bin" in note for note in result.notes)


def test_office_documents_are_not_archives():
    docx = zipped([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")])
    odt = zipped([("mimetype", b"application/vnd.oasis.opendocument.text")])
    assert not archive.is_archive(docx) and not archive.is_archive(odt)
    assert archive.is_archive(zipped([("inv.pdf", PDF)]))


def test_a_compression_bomb_is_refused_quickly_and_in_little_memory():
    bomb = zipped([("invoice.pdf", b"%PDF-1.4\n" + b"\0" * (60 * 1024 * 1024))])
    assert len(bomb) < 1_000_000
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(ArchiveError) as caught:
        archive.unpack(bomb, "bomb.zip")
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert caught.value.code == "zip_bomb"
    assert elapsed < 5, elapsed
    assert peak < 60 * 1024 * 1024, peak  # stops at the ratio cap, before the 60 MB it holds


def test_too_many_entries_too_deep_and_too_much_in_all_are_refused():
    many = zipped([(f"{i}.pdf", PDF) for i in range(11)])
    with pytest.raises(ArchiveError, match="more than 10 files"):
        archive.unpack(many, limits=ArchiveLimits(max_entries=10))
    deep = zipped([("1.zip", zipped([("2.zip", zipped([("inv.pdf", PDF)]))]))])
    with pytest.raises(ArchiveError, match="nested more than 2 deep") as caught:
        archive.unpack(deep)
    assert caught.value.code == "zip_bomb"
    stored = zipped([(f"{i}.pdf", PDF + bytes(2000)) for i in range(5)], zipfile.ZIP_STORED)
    with pytest.raises(ArchiveError, match="cap on unpacked bytes"):
        archive.unpack(stored, limits=ArchiveLimits(max_total_bytes=5000))


def test_a_header_that_understates_the_size_does_not_get_past_the_caps():
    data = bytearray(zipped([("inv.pdf", PDF + bytes(300_000))]))
    # the central directory's and the local header's uncompressed size say 100 bytes
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
    with pytest.raises(ArchiveError) as caught:
        archive.unpack(bytes(data), limits=ArchiveLimits(max_entry_bytes=50_000))
    assert caught.value.code in ("zip_bomb", "corrupt_zip")


def test_encrypted_corrupt_and_empty_archives_say_why():
    data = bytearray(zipped([("inv.pdf", PDF)]))
    for signature, offset in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):  # the general purpose flag: encrypted
        at = data.find(signature)
        data[at + offset] |= 0x1
    with pytest.raises(ArchiveError) as caught:
        archive.unpack(bytes(data))
    assert caught.value.code == "encrypted_zip"
    with pytest.raises(ArchiveError) as caught:
        archive.unpack(b"PK\x03\x04 truncated")
    assert caught.value.code == "corrupt_zip"
    with pytest.raises(ArchiveError) as caught:
        archive.unpack(zipped([("readme.bin", bytes(range(10)))]))
    assert caught.value.code == "empty_zip" and "readme.bin" in caught.value.message
    assert "/readme.bin" not in caught.value.message, "the file as named inside the zip"


def test_what_was_left_out_is_said_in_words_naming_the_files_as_inside_the_zip():
    data = zipped(
        [
            ("inv-1.pdf", PDF),
            ("empty.pdf", b""),
            ("inner.zip", zipped([("readme.txt", bytes(range(40))), ("inv-2.pdf", PDF)])),
        ]
    )
    result = archive.unpack(data, "mail.zip")
    assert result.left_out == [("empty.pdf", archive.EMPTY), ("inner.zip/readme.txt", archive.NOT_INVOICE)]
    sentence = archive.describe_left_out("mail.zip", result.left_out)
    assert sentence.startswith("2 files of mail.zip were not read: empty.pdf is empty (0 bytes); inner.zip/readme.txt")
    assert "mail.zip/" not in sentence and "not_invoice" not in sentence and "left out" not in sentence
    assert archive.describe_left_out("mail.zip", []) == ""
