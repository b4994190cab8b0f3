"""Decide what a file is from its bytes, never from its name.

A supplier's ``invoice.pdf`` may be an HTML error page; a ``.csv`` may be
UTF-16.  The name is only a tie-breaker between text kinds.
"""

from __future__ import annotations

PDF, XML, CSV, IMAGE, UNKNOWN = "pdf", "xml", "csv", "image", "unknown"

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"II*\x00",
    b"MM\x00*",
    b"GIF87a",
    b"GIF89a",
    b"BM",
)
# HEIC/HEIF (phone photos): an ISO media file whose brand says HEIF
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff(data: bytes, filename: str | None = None) -> str:
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP") or is_heif(head):
        return IMAGE
    text_head = head
    for bom in _BOMS:
        if text_head.startswith(bom):
            text_head = text_head[len(bom) :]
            break
    stripped = text_head.lstrip()
    if stripped.startswith(b"<?xml") or (stripped.startswith(b"<") and not _looks_like_html(stripped)):
        return XML
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 text: decode enough to tell XML from CSV
        try:
            decoded = head.decode("utf-16").lstrip("\ufeff").lstrip()
        except UnicodeDecodeError:
            return UNKNOWN
        return XML if decoded.startswith("<") else CSV
    if _looks_like_html(stripped):
        return UNKNOWN
    if _is_text(head):
        return CSV
    return UNKNOWN


def _looks_like_html(head: bytes) -> bool:
    lowered = head[:200].lower()
    return lowered.startswith((b"<!doctype html", b"<html"))


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls / len(head) < 0.01


def is_heif(data: bytes) -> bool:
    """An ISO base media file whose brand is HEIF (what iPhones save photos as)."""
    return data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS
