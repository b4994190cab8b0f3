"""Caps that keep a hostile or absurd file within bounded time and memory.

Every reader receives a ``Limits`` and must check the cap that concerns it
before doing the expensive thing (rendering, inflating, parsing), not after.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from .errors import ExtractionError


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024
    max_pages: int = 200
    max_inflated_bytes: int = 200 * 1024 * 1024
    max_pixels: int = 60_000_000  # ~ an A3 page at 600 dpi
    max_page_points: float = 14_400.0  # PDF's own ceiling for a page side (200 inches)
    max_csv_rows: int = 100_000
    max_ocr_pages: int = 20  # pages read by OCR (~2 s each): a scan of more is refused before the first
    max_seconds: float = 120.0
    max_memory_bytes: int = 1536 * 1024 * 1024  # address space of the reader process (sandbox.py)
    ocr_dpi: int = 200
    ocr_languages: str = "eng+deu+fra+nld"

    def with_overrides(self, **kwargs) -> Limits:
        return replace(self, **{k: v for k, v in kwargs.items() if v is not None})


class Deadline:
    """A wall-clock budget shared by all steps of one extraction."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.expires_at - time.monotonic()

    def check(self, what: str = "extraction") -> None:
        if self.remaining() <= 0:
            raise ExtractionError("timeout", f"{what} exceeded the {self.seconds:g} s time cap")


def check_file_size(data: bytes, limits: Limits) -> None:
    """Refuses an empty file (``empty_file``) or one over ``limits.max_file_bytes`` (``file_too_large``)."""
    if not data:
        raise ExtractionError("empty_file", "the file is empty (0 bytes)")
    if len(data) > limits.max_file_bytes:
        raise ExtractionError(
            "file_too_large", f"the file has {len(data)} bytes, over the cap of {limits.max_file_bytes}"
        )


def read_capped(path: str, max_bytes: int) -> bytes:
    """The bytes of ``path``, reading at most one byte past ``max_bytes``; OS errors as ``ExtractionError``.

    The size is never taken from ``stat``: ``/dev/zero`` or a pipe has
    none, and would be read until memory runs out.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        shown = path if len(path) <= 200 else f"{path[:200]}... ({len(path)} characters)"
        reason = exc.strerror or type(exc).__name__
        raise ExtractionError("file_unreadable", f"cannot read {shown}: {reason}") from None
    if len(data) > max_bytes:
        raise ExtractionError("file_too_large", f"the file has more than {max_bytes} bytes, over the cap")
    return data
