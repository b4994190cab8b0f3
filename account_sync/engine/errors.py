"""Failures the sync layer must tell apart, because each calls for a different reaction.

The ORM layer decides from the class alone: retry later (``TransientError``), ask a human to reconnect
(``ReconnectRequired``), fix the data (``RemoteValidationError``) or wait for tomorrow (``DailyLimitReached``).
"""

from __future__ import annotations


class SyncError(Exception):
    """Base of every error the engines raise on purpose."""


class ConfigurationError(SyncError):
    """Something the administrator set up is missing or inconsistent (no mapping, no tenant)."""


class MappingError(ConfigurationError):
    """A local account or tax code has no counterpart in the remote ledger."""


class ReconnectRequired(SyncError):
    """The stored grant is gone (revoked, refresh token rotated or expired): a user must authorise again."""


class TransientError(SyncError):
    """The remote side failed in a way that may pass (5xx, timeout); retrying later is safe."""


class RemoteTimeout(TransientError):
    """No answer within the client timeout; the request may or may not have been applied remotely."""


class RateLimited(TransientError):
    """The remote side kept refusing for rate reasons after the allowed retries."""

    def __init__(self, message: str, retry_after: float | None = None, problem: str | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.problem = problem


class DailyLimitReached(RateLimited):
    """The per-day quota is spent; sleeping until tomorrow inside a request is not an option."""


class RemoteValidationError(SyncError):
    """The remote side rejected the whole request as invalid; ``messages`` says why."""

    def __init__(self, message: str, messages: tuple[str, ...] = ()):
        super().__init__(message)
        self.messages = tuple(messages)


class RemoteNotFound(SyncError):
    """The remote record is gone (deleted or archived there): the link must be cleared, not retried."""
