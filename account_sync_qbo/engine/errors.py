"""QBO faults translated into the shared error classes, plus the few a caller must tell apart.

python-quickbooks raises ``QuickbooksException`` with the Fault's ``error_code``; everything outside the
codes handled in place (5010 stale object, 6240 duplicate name) becomes a shared ``SyncError`` whose
message names the QBO code, message and detail, so a log line is enough to act on.  610 becomes
``RemoteNotFound``: the link must be cleared, not retried.
"""

from __future__ import annotations

from quickbooks.exceptions import QuickbooksException

from account_sync.engine.errors import RemoteNotFound, RemoteValidationError, SyncError, TransientError

STALE_OBJECT = 5010
DUPLICATE_NAME = 6240
DUPLICATE_NUMBER = 6140  # a DocNumber QuickBooks already has (its duplicate-number check is on by default)
OBJECT_NOT_FOUND = 610


class ConcurrentModification(TransientError):
    """The object kept changing under us (stale SyncToken) for every allowed re-read; try again later."""


class RemoteStateConflict(RemoteValidationError):
    """The object changed remotely into a state our change no longer fits (voided, deleted, paid)."""


def code_of(exc: BaseException) -> int | None:
    if isinstance(exc, QuickbooksException):
        try:
            return int(exc.error_code)
        except (TypeError, ValueError):
            return None
    return None


def describe(exc: QuickbooksException) -> str:
    detail = f" ({exc.detail})" if exc.detail else ""
    return f"QBO {exc.error_code}: {exc.message}{detail}"


def translate(exc: QuickbooksException, what: str) -> SyncError:
    """The shared error for a QBO fault raised while doing ``what``."""
    text = f"{what}: {describe(exc)}"
    code = code_of(exc)
    if code == OBJECT_NOT_FOUND:
        return RemoteNotFound(text)
    if code == STALE_OBJECT:
        return ConcurrentModification(text)
    if code is not None and code >= 10000:
        return TransientError(text)
    return RemoteValidationError(text, (describe(exc),))
