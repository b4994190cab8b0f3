"""A page of a supplier file as a PNG image a browser shows: the picture ``locations`` boxes are drawn on.

The boxes are fractions of the page (``provenance``), so any resolution
will do: PDF pages are rendered at ``PREVIEW_DPI`` (the crop box, as the
reader's words), an image file's frame is shown as decoded, scaled down
to at most ``MAX_SIDE`` pixels.  The file is untrusted: the Odoo layer
calls this through ``sandbox.render_isolated``, under the same caps as an
extraction.
"""

from __future__ import annotations

import io

from . import sniff as sniffing
from .errors import ExtractionError
from .limits import Deadline, Limits

PREVIEW_DPI = 100
MAX_SIDE = 1600  # pixels: enough to read an invoice on a screen, small enough to send quickly
MAX_PREVIEW_PAGES = 10  # a reviewer checks the first pages; the fields are read there


def page_images(data: bytes, filename: str | None = None, limits: Limits | None = None) -> list[bytes]:
    """PNG bytes of the file's first ``MAX_PREVIEW_PAGES`` pages; ``[]`` for a file without pages (CSV, XML)."""
    limits = limits or Limits()
    deadline = Deadline(limits.max_seconds)
    kind = sniffing.sniff(data, filename)
    if kind == sniffing.PDF:
        return _pdf_pages(data, limits, deadline)
    if kind == sniffing.IMAGE:
        from .images import open_image_frames

        images = []
        for number, (frame, _dpi) in enumerate(open_image_frames(data, limits, deadline)):
            if number >= MAX_PREVIEW_PAGES:
                break
            images.append(_png(frame))
        return images
    return []


def _pdf_pages(data: bytes, limits: Limits, deadline: Deadline) -> list[bytes]:
    from .pdf import open_pdf

    with open_pdf(data, limits=limits, deadline=deadline) as doc:
        return [
            _png(doc.render_page(index, PREVIEW_DPI, gray=False))
            for index in range(min(doc.page_count, MAX_PREVIEW_PAGES))
        ]


def _png(image) -> bytes:
    image = image.convert("L" if image.mode in ("1", "L", "I;16", "I") else "RGB")
    if max(image.size) > MAX_SIDE:
        factor = MAX_SIDE / max(image.size)
        image = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))))
    buffer = io.BytesIO()
    try:
        image.save(buffer, format="PNG", optimize=False)
    except OSError as exc:
        raise ExtractionError("corrupt_image", f"the page cannot be shown: {exc}") from exc
    return buffer.getvalue()
