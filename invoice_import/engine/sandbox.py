"""Untrusted files are read in a child process under hard OS limits.

The engine's caps (``limits.py``) are cooperative: every reader checks them
before its expensive steps.  A loop inside a library the engine does not
control (a parser walking a structure 2^40 times, a decoder allocating
gigabytes, a template regex backtracking) escapes them.  Here each
extraction runs in a process of its own with an address-space limit
(``RLIMIT_AS``), a CPU-time limit (``RLIMIT_CPU``) and a wall-clock alarm,
all set from the ``Limits``; whatever the file does to that process, the
caller gets the pivot invoices or an ``ExtractionError`` (``timeout``,
``memory_limit``, ``parser_crash``) within ``max_seconds`` plus a grace of
``GRACE_SECONDS``.

Two ways to get the process:

- a fork server (the default), for a host with threads and open database
  connections such as Odoo: started once per host process as a fresh
  interpreter (fork and exec: nothing of the host is inherited), it imports
  the engine and its libraries once and forks one child per file.  Bytes and
  plain JSON go in, pivot dicts come out as JSON: nothing is unpickled on
  either side, so a child a file took over cannot hand the host an object.
- a plain fork of the caller (``fork=True``): for the single-threaded CLI.

The child puts itself in a process group of its own, so the tesseract or
pdftoppm it started die with it.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import os
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import traceback
from dataclasses import asdict
from pathlib import Path

from .errors import ExtractionError
from .extract import ExtractionResult
from .limits import Limits, check_file_size
from .pivot import Invoice, Party

_logger = logging.getLogger(__name__)
# Seconds the process may run past ``max_seconds``: the engine's own deadline answers first, with a better message.
GRACE_SECONDS = 5
# A reply larger than this is refused: 100,000 CSV lines are about 30 MB of JSON.
MAX_REPLY_BYTES = 256 << 20
_MAX_HEADER_BYTES = 16 << 20  # file name, limits and formats (each at most 1 MB)
_FRAME = struct.Struct(">Q")
_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the ``invoice_import`` package
# Imported once in the fork server, so that a child starts with them loaded.
_PRELOAD = (
    "invoice_import.engine.extract",
    "invoice_import.engine.pdf",
    "invoice_import.engine.pdf_template",
    "invoice_import.engine.csv_reader",
    "invoice_import.engine.einvoice",
    "invoice_import.engine.freeform",
    "invoice_import.engine.images",
    "invoice_import.engine.ocr",
    "invoice_import.engine.preview",
    "pdfplumber",
    "pdfminer.pdfinterp",
    "pypdf",
    "pypdfium2",
    "charset_normalizer",
    "lxml.etree",
)
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[2]); "
    "from invoice_import.engine.sandbox import serve; serve(int(sys.argv[1]))"
)
# One thread per process for the numeric libraries: the child reads one file, and the machine has other work.
_CHILD_ENVIRONMENT = {"OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
_TIMEOUT_SIGNALS = {signal.SIGALRM, signal.SIGXCPU}


def extract_isolated(
    data: bytes,
    filename: str | None = None,
    formats: list | None = None,
    ignore_embedded_xml: bool = False,
    limits: Limits | None = None,
    allow_ocr: bool = True,
    fork: bool = False,
    buyer: Party | None = None,
) -> ExtractionResult:
    """``extract.extract_bytes`` in a child process under OS limits; the same result, or ``ExtractionError``.

    ``formats`` are ``formats.SupplierFormat`` objects (sent as their JSON
    definitions).  ``fork=True`` forks the caller instead of asking the fork
    server: only for a single-threaded program.  ``buyer`` is the company
    the document is addressed to (never its supplier), as ``extract_bytes``
    takes it.  An unexpected error in the
    engine is raised as ``SandboxError`` carrying the child's traceback.
    """
    limits = limits or Limits()
    check_file_size(data, limits)
    header = {
        "filename": filename,
        "formats": [fmt.to_dict() for fmt in formats or []],
        "ignore_embedded_xml": ignore_embedded_xml,
        "limits": asdict(limits),
        "allow_ocr": allow_ocr,
        "buyer": asdict(buyer) if buyer else None,
    }
    request = json.dumps(header).encode()
    reply = _run_forked(request, data, limits) if fork else _server().run(request, data, limits)
    if "result" in reply:
        result = reply["result"]
        return ExtractionResult(invoices=[Invoice.from_dict(d) for d in result["invoices"]], kind=result["kind"])
    if "error" in reply:
        raise ExtractionError(reply["error"]["code"], reply["error"]["message"])
    details = str(reply.get("crash", ""))
    _logger.error("the extraction engine failed on %s in the reader process:\n%s", filename, details)
    last = details.strip().splitlines()[-1:] or ["no details"]
    raise SandboxError(f"the extraction engine failed: {last[0]}", details)


def render_isolated(data: bytes, filename: str | None = None, limits: Limits | None = None, fork: bool = False):
    """``preview.page_images`` in a child process under OS limits: the file's pages as PNG bytes.

    The images come back base64-encoded in the JSON reply (nothing is
    unpickled); a file that cannot be shown raises ``ExtractionError``.
    """
    import base64

    limits = limits or Limits()
    check_file_size(data, limits)
    request = json.dumps({"op": "render", "filename": filename, "limits": asdict(limits)}).encode()
    reply = _run_forked(request, data, limits) if fork else _server().run(request, data, limits)
    if "result" in reply:
        return [base64.b64decode(page) for page in reply["result"]["pages"]]
    if "error" in reply:
        raise ExtractionError(reply["error"]["code"], reply["error"]["message"])
    details = str(reply.get("crash", ""))
    _logger.error("rendering %s failed in the reader process:\n%s", filename, details)
    raise SandboxError("rendering the file's pages failed", details)


class SandboxError(RuntimeError):
    """The engine raised something else than ExtractionError in the child: a bug; ``details`` is its traceback."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details


# ----------------------------------------------------------------------
# The child: one file, then exit
# ----------------------------------------------------------------------


def _child(channel: socket.socket, request: bytes | None = None, data: bytes | None = None) -> None:
    """Extract one file under the OS limits, write the reply to ``channel``, exit; never returns.

    The request and the file's bytes are read from ``channel``, unless
    given (a plain fork already holds them).
    """
    reply = None
    try:
        os.setpgid(0, 0)
        for number in (signal.SIGCHLD, signal.SIGALRM, signal.SIGTERM, signal.SIGINT, signal.SIGXCPU):
            signal.signal(number, signal.SIG_DFL)
        header = json.loads(request if request is not None else _recv_frame(channel, _MAX_HEADER_BYTES))
        limits = Limits(**header["limits"])
        _limit_process(limits)
        if data is None:
            data = _recv_frame(channel, limits.max_file_bytes)
        reply = _render(header, data, limits) if header.get("op") == "render" else _extract(header, data, limits)
    except MemoryError:
        reply = {"error": _memory_error(None)}
    except BaseException:
        reply = {"crash": traceback.format_exc(limit=30)}
    try:
        _send_frame(channel, json.dumps(reply, ensure_ascii=False).encode())
    except BaseException:
        pass
    finally:
        os._exit(0)


def _preload() -> None:
    """Import the engine's modules and their libraries (a no-op in the fork server's children: it did)."""
    for name in _PRELOAD:
        try:
            __import__(name)
        except Exception:  # an optional library missing: the engine says so when it needs it, as in-process
            pass


def _limit_process(limits: Limits) -> None:
    """The hard limits: address space, CPU seconds, a wall-clock alarm, no core file."""
    seconds = math.ceil(limits.max_seconds) + GRACE_SECONDS
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 2))
    memory = limits.max_memory_bytes
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory = min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.alarm(seconds)


def _extract(header: dict, data: bytes, limits: Limits) -> dict:
    from .extract import extract_bytes
    from .formats import load_format

    try:
        formats = [load_format(definition) for definition in header["formats"]]
        result = extract_bytes(
            data,
            filename=header["filename"],
            formats=formats,
            ignore_embedded_xml=header["ignore_embedded_xml"],
            limits=limits,
            allow_ocr=header["allow_ocr"],
            buyer=Party(**header["buyer"]) if header.get("buyer") else None,
        )
        return {"result": {"kind": result.kind, "invoices": [invoice.to_dict() for invoice in result.invoices]}}
    except ExtractionError as exc:
        return {"error": _memory_error(limits)} if exc.code == "memory_limit" else exc.to_dict()
    except MemoryError:
        return {"error": _memory_error(limits)}
    except ImportError as exc:
        # a plain fork imports the libraries it needs under the limit: a shared library that cannot be mapped
        if "map" in str(exc) or "memory" in str(exc).lower():
            return {"error": _memory_error(limits)}
        raise


def _render(header: dict, data: bytes, limits: Limits) -> dict:
    import base64

    from .preview import page_images

    try:
        pages = page_images(data, header.get("filename"), limits)
        return {"result": {"pages": [base64.b64encode(page).decode() for page in pages]}}
    except ExtractionError as exc:
        return {"error": _memory_error(limits)} if exc.code == "memory_limit" else exc.to_dict()
    except MemoryError:
        return {"error": _memory_error(limits)}


def _memory_error(limits: Limits | None) -> dict:
    cap = f"the {(limits or Limits()).max_memory_bytes >> 20} MB" if limits else "the"
    return {"code": "memory_limit", "message": f"reading the file needed more than {cap} memory limit"}


def _status_error(status: int, limits: Limits) -> ExtractionError:
    """The error for a child that ended without a reply, from its wait status."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in _TIMEOUT_SIGNALS:
            return ExtractionError(
                "timeout", f"reading the file exceeded the {limits.max_seconds:g} s time cap: the reader was stopped"
            )
        if number == signal.SIGKILL:
            return ExtractionError(
                "memory_limit", "the reader was killed (the system ran out of memory, or a hard limit was reached)"
            )
        name = signal.Signals(number).name
        return ExtractionError(
            "parser_crash",
            f"a file parser crashed on this file ({name}), possibly for want of memory within the "
            f"{limits.max_memory_bytes >> 20} MB limit",
        )
    return ExtractionError("parser_crash", f"the reader process ended without an answer (status {status})")


# ----------------------------------------------------------------------
# Frames: an 8-byte length, then the bytes
# ----------------------------------------------------------------------


def _send_frame(channel: socket.socket, payload: bytes) -> None:
    channel.sendall(_FRAME.pack(len(payload)))
    channel.sendall(payload)


def _recv_frame(channel: socket.socket, limit: int) -> bytes | None:
    """One frame, or None at the end of the stream; a frame over ``limit`` bytes is refused."""
    head = _recv_exactly(channel, _FRAME.size)
    if head is None:
        return None
    (length,) = _FRAME.unpack(head)
    if length > limit:
        raise ValueError(f"a frame of {length} bytes, over {limit}")
    payload = _recv_exactly(channel, length)
    if payload is None:
        return None
    return payload


def _recv_exactly(channel: socket.socket, size: int) -> bytes | None:
    buffer = bytearray(size)
    view, received = memoryview(buffer), 0
    while received < size:
        count = channel.recv_into(view[received:])
        if not count:
            return None
        received += count
    return bytes(buffer)


def _exchange(channel: socket.socket, request: bytes | None, data: bytes | None, limits: Limits) -> dict | None:
    """Send the request (unless None), wait for the child's reply (or the server's word on it).

    Returns the reply, or None when the line went dead without one.
    """
    channel.settimeout(limits.max_seconds + GRACE_SECONDS + 10)
    try:
        if request is not None:
            _send_frame(channel, request)
            _send_frame(channel, data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the child died before reading it all: its status follows
    try:
        payload = _recv_frame(channel, MAX_REPLY_BYTES)
    except TimeoutError:
        raise ExtractionError(
            "timeout", f"reading the file exceeded the {limits.max_seconds:g} s time cap: the reader did not answer"
        ) from None
    except ValueError as exc:
        raise ExtractionError("inflate_limit", f"the extraction's result is too large: {exc}") from None
    except ConnectionResetError:
        return None
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except ValueError:  # a child killed half-way through its reply
        return None


# ----------------------------------------------------------------------
# Plain fork (the CLI)
# ----------------------------------------------------------------------


def _run_forked(request: bytes, data: bytes, limits: Limits) -> dict:
    parent_end, child_end = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        parent_end.close()
        _child(child_end, request, data)
    child_end.close()
    try:
        reply = _exchange(parent_end, None, None, limits)
    except ExtractionError:
        _kill_group(pid)
        raise
    finally:
        parent_end.close()
    _pid, status = os.waitpid(pid, 0)
    _kill_group(pid)
    if reply is None:
        raise _status_error(status, limits)
    return reply


def _kill_group(pid: int) -> None:
    """Kill what is left of a child's process group (a tesseract it started); quiet when nothing is."""
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


# ----------------------------------------------------------------------
# The fork server
# ----------------------------------------------------------------------


class _ForkServerClient:
    """The host side: starts the server on first use (again if it died), asks it for one child per file."""

    def __init__(self):
        self._lock = threading.Lock()
        self._control = None
        self._process = None
        self._owner = None

    def run(self, request: bytes, data: bytes, limits: Limits) -> dict:
        for attempt in range(2):
            parent_end, child_end = socket.socketpair()
            try:
                try:
                    self._hand_over(child_end)
                except OSError:
                    if attempt:
                        raise
                    self._stop()
                    continue
                finally:
                    child_end.close()
                reply = _exchange(parent_end, request, data, limits)
            finally:
                parent_end.close()
            if reply is None:
                raise ExtractionError("parser_crash", "the reader process stopped without an answer")
            if "status" in reply:
                raise _status_error(reply["status"], limits)
            return reply
        raise AssertionError("unreachable")

    def _hand_over(self, channel: socket.socket) -> None:
        with self._lock:
            if self._owner != os.getpid() or self._process is None or self._process.poll() is not None:
                self._start()
            socket.send_fds(self._control, [b"x"], [channel.fileno()])

    def _start(self) -> None:
        self._stop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        environment = {**os.environ, **_CHILD_ENVIRONMENT}
        self._process = subprocess.Popen(
            [sys.executable, "-c", _BOOT, str(theirs.fileno()), _ROOT],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,
        )
        theirs.close()
        self._control, self._owner = ours, os.getpid()

    def _stop(self) -> None:
        if self._control is not None and self._owner == os.getpid():
            self._control.close()
            if self._process is not None and self._process.poll() is None:
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
        self._control = self._process = None


_client = None
_client_lock = threading.Lock()


def _server() -> _ForkServerClient:
    global _client
    with _client_lock:
        if _client is None:
            _client = _ForkServerClient()
        return _client


def serve(control_fd: int) -> None:
    """The fork server's loop: a child per channel received on ``control_fd``; its status back when it ends.

    Runs until the host closes its end (the host process exited).  A child
    that answered has its status sent to a closed channel, which is fine.
    """
    _limit_server()
    _preload()
    _warm_caches()
    control = socket.socket(fileno=control_fd)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)
    children: dict[int, socket.socket] = {}
    try:
        while True:
            try:
                ready, _, _ = select.select([control, wake_read], [], [])
            except InterruptedError:
                continue
            if wake_read in ready:
                os.read(wake_read, 4096)
                _reap(children)
            if control in ready:
                _message, fds, _flags, _address = socket.recv_fds(control, 16, 4)
                if not fds:
                    break  # the host is gone
                channel = socket.socket(fileno=fds[0])
                for extra in fds[1:]:
                    os.close(extra)
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child never returns
                    signal.set_wakeup_fd(-1)
                    control.close()
                    os.close(wake_read)
                    os.close(wake_write)
                    for other in children.values():
                        other.close()
                    _child(channel)
                children[pid] = channel
                _reap(children)
    finally:
        for pid in list(children):
            _kill_group(pid)


def _limit_server() -> None:
    """The server itself does little; a CPU limit inherited from the host (Odoo's workers set one) must not end it."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
    except (ValueError, OSError):
        pass


def _warm_caches() -> None:
    """Fill the engine's and libraries' lazy caches once, before forking, so that no child pays for them.

    A text PDF and a CSV are read in the server itself: pdfminer's font
    metrics, compiled patterns, imports done inside functions.  Then the
    objects are frozen out of the garbage collector, whose passes would
    otherwise touch (and copy) every page a child shares with the server.
    """
    from .extract import extract_bytes
    from .ocr import _installed_languages

    for sample in (_WARM_UP_PDF, _WARM_UP_CSV):
        try:
            extract_bytes(sample, limits=Limits(max_seconds=30))
        except Exception:
            pass
    try:
        _installed_languages()
    except Exception:
        pass
    gc.collect()
    gc.freeze()


def _warm_up_pdf() -> bytes:
    """A one-page text PDF with an invoice's usual words, written by hand (the engine has no PDF writer)."""
    text = (
        b"BT /F1 11 Tf 60 780 Td (Invoice) Tj 0 -16 Td (Invoice number: WARM-1) Tj 0 -16 Td "
        b"(Invoice date: 05.03.2024  Due date: 2024-04-04) Tj 0 -16 Td (VAT ID: DE123456789) Tj 0 -16 Td "
        b"(1 Widget 2 x 10,00 EUR 20.00) Tj 0 -16 Td (Subtotal 20.00 VAT 19% 3.80 Total due 23.80 EUR) Tj ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_WARM_UP_PDF = _warm_up_pdf()
_WARM_UP_CSV = (
    b"Invoice No;Invoice Date;Currency;Description;Qty;Unit Price;Amount;Total\n"
    b"WARM-1;05.03.2024;EUR;Widget;2;10,00;20,00;23,80\n"
)


def _reap(children: dict[int, socket.socket]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        channel = children.pop(pid, None)
        _kill_group(pid)
        if channel is None:
            continue
        try:
            channel.setblocking(False)
            _send_frame(channel, json.dumps({"status": status}).encode())
        except OSError:
            pass  # the host already has the child's answer and hung up
        finally:
            channel.close()
