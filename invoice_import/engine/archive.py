"""The invoices inside a zip attachment, read within caps: a zip bomb gets an answer, not a worker.

Suppliers often send their invoices zipped. The files inside that the engine reads (PDF, XML, CSV,
images, decided from their bytes) come out one by one; a nested zip is opened up to ``max_depth``
levels. Every cap is checked before the expensive step and while inflating, against the bytes really
produced (a zip's header may lie about sizes): entries, bytes per entry, bytes in all, the compression
ratio of each entry. What cannot be read is said, never dropped: ``unpack`` returns the files and the
notes on what was left out, or raises ``ArchiveError`` when nothing can be trusted.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from .sniff import CSV, IMAGE, PDF, XML, sniff

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty archive's end record
READ_KINDS = (PDF, XML, CSV, IMAGE)
CHUNK = 64 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 100  # listed in the archive, nested archives included
    max_entry_bytes: int = 50 * 1024 * 1024  # one file inside, as the engine caps a file
    max_total_bytes: int = 100 * 1024 * 1024  # everything inflated from one attachment
    max_ratio: int = 200  # inflated / compressed, per entry (text PDFs reach ~10, CSVs ~30)
    max_depth: int = 2  # a zip inside a zip inside the attachment


class ArchiveError(Exception):
    """An archive refused as a whole: ``code`` (``zip_bomb``, ``corrupt_zip``, ``encrypted_zip``,
    ``empty_zip``) and a message for the person who reviews it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# why a file inside was left out, as the sentence about it says it (``describe_left_out``)
EMPTY, NOT_INVOICE = "empty", "not_invoice"
LEFT_OUT_REASONS = {
    EMPTY: "is empty (0 bytes)",
    NOT_INVOICE: "is not an invoice file (a PDF, an XML, a CSV or an image)",
}


@dataclass
class Unpacked:
    """``files``: ``(name, bytes)`` of each readable file, in archive order; ``notes``: what was skipped;
    ``left_out``: the same as ``(path inside the archive, reason code of LEFT_OUT_REASONS)``."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)

    def leave_out(self, archive_name: str, entry: str, reason: str) -> None:
        self.left_out.append(
            (entry[len(archive_name) + 1 :] if entry.startswith(archive_name + "/") else entry, reason)
        )
        self.notes.append(f"{entry}: {LEFT_OUT_REASONS[reason].removeprefix('is ')}: left out")


def is_zip(data: bytes) -> bool:
    """A zip archive by its bytes (never by its name).

    >>> is_zip(b"PK\\x03\\x04rest"), is_zip(b"%PDF-1.7")
    (True, False)
    """
    return data[:4] in ZIP_MAGIC


def is_archive(data: bytes) -> bool:
    """A zip that is an archive of files, not an office document (docx, xlsx, odt are zips too).

    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("[Content_Types].xml", b"<Types/>")
    >>> is_archive(buffer.getvalue()), is_archive(b"%PDF-1.4")
    (False, False)
    """
    if not is_zip(data):
        return False
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()[:50]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return True  # a broken archive is still one: refused with its reason, not taken for a document
    return not ("[Content_Types].xml" in names or (names and names[0] == "mimetype"))


def unpack(data: bytes, name: str = "archive.zip", limits: ArchiveLimits | None = None) -> Unpacked:
    """The readable files inside the zip ``data`` (``Unpacked``); ``ArchiveError`` if it is refused.

    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("inv.pdf", b"%PDF-1.4 ...")
    ...     z.writestr("logo.bin", bytes(range(16)))
    >>> result = unpack(buffer.getvalue(), "invoices.zip")
    >>> [n for n, _ in result.files], result.left_out
    (['invoices.zip/inv.pdf'], [('logo.bin', 'not_invoice')])
    >>> result.notes
    ['invoices.zip/logo.bin: not an invoice file (a PDF, an XML, a CSV or an image): left out']
    """
    limits = limits or ArchiveLimits()
    result = Unpacked()
    state = {"entries": 0, "bytes": 0, "top": name}
    _unpack(data, name, limits, 1, result, state)
    if not result.files:
        why = _reasons(result.left_out) or "it holds no file"
        raise ArchiveError("empty_zip", f"{name}: no invoice file inside ({why})")
    return result


def describe_left_out(name: str, left_out: list[tuple[str, str]]) -> str:
    """What was left out of the archive ``name``, in words, for the bill's chatter; "" when nothing was.

    The person reading it knows the zip by its name and the files by their names inside it, so the
    sentence names them so, not by the engine's paths or reason codes.

    >>> describe_left_out("invoices.zip", [("logo.bin", NOT_INVOICE)])
    'One file of invoices.zip was not read: logo.bin is not an invoice file (a PDF, an XML, a CSV or an image).'
    >>> describe_left_out("mail.zip", [("empty.pdf", EMPTY), ("inner.zip/notes.txt", NOT_INVOICE)])
    '2 files of mail.zip were not read: empty.pdf is empty (0 bytes); inner.zip/notes.txt is not an invoice \
file (a PDF, an XML, a CSV or an image).'
    """
    if not left_out:
        return ""
    head = "One file of {} was not read" if len(left_out) == 1 else f"{len(left_out)} files of {{}} were not read"
    return f"{head.format(name)}: {_reasons(left_out)}."


def _reasons(left_out):
    return "; ".join(f"{entry} {LEFT_OUT_REASONS.get(reason, reason)}" for entry, reason in left_out)


def _unpack(data, name, limits, depth, result, state):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ArchiveError("corrupt_zip", f"{name}: the zip archive cannot be read ({exc})") from exc
    for info in infos:
        if info.is_dir():
            continue
        state["entries"] += 1
        if state["entries"] > limits.max_entries:
            raise ArchiveError("zip_bomb", f"{name}: more than {limits.max_entries} files in the archive")
        entry = f"{name}/{info.filename}"
        if info.flag_bits & 0x1:
            raise ArchiveError("encrypted_zip", f"{entry}: the archive is password protected")
        content = _inflate(archive, info, entry, limits, state)
        if is_archive(content):
            if depth >= limits.max_depth:
                raise ArchiveError("zip_bomb", f"{entry}: archives nested more than {limits.max_depth} deep")
            _unpack(content, entry, limits, depth + 1, result, state)
        elif not content:
            result.leave_out(state["top"], entry, EMPTY)
        elif sniff(content, info.filename) in READ_KINDS:
            result.files.append((entry, content))
        else:
            result.leave_out(state["top"], entry, NOT_INVOICE)


def _inflate(archive, info, entry, limits, state):
    """The entry's bytes, counting what is really inflated against every cap (headers can lie)."""
    if info.file_size > limits.max_entry_bytes:
        raise ArchiveError("zip_bomb", f"{entry}: declares {info.file_size} bytes, over the cap of one file")
    budget = min(limits.max_entry_bytes, limits.max_total_bytes - state["bytes"])
    ratio_cap = max(info.compress_size, 1) * limits.max_ratio
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > budget:
                    raise ArchiveError("zip_bomb", f"{entry}: inflates past the cap on unpacked bytes")
                if size > ratio_cap and size > CHUNK:
                    raise ArchiveError(
                        "zip_bomb", f"{entry}: compressed more than {limits.max_ratio} to 1 (a zip bomb?)"
                    )
                chunks.append(chunk)
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as exc:
        raise ArchiveError("corrupt_zip", f"{entry}: cannot be unpacked ({exc})") from exc
    state["bytes"] += size
    return b"".join(chunks)
