"""Where Xero lives and what it allows: endpoints, app credentials, scopes and the documented limits.

Endpoints are data, not constants buried in calls, so tests and the bench point the unchanged SDK at a
local fake by building ``XeroEndpoints.local(base_url)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from account_sync.engine.ratelimit import Limits

#: Per tenant: 60 calls a minute, 5,000 a day, 5 at once (Xero's published API limits).
XERO_LIMITS = Limits(per_minute=60, per_day=5000, max_concurrent=5)
#: Xero accepts up to 50 documents per create request before timing out becomes likely.
BATCH_SIZE = 50
#: Xero refuses a request body over 3.5 MB; batches are cut below it, with room for the envelope.
MAX_REQUEST_BYTES = 3_400_000
#: ``summarizeErrors`` as Xero's spec types it (a boolean): ``false``, never Python's ``False``.
SUMMARIZE_ERRORS = "false"
#: Page size of Xero's paged GET endpoints.
PAGE_SIZE = 100

DEFAULT_SCOPES = (
    "openid",
    "profile",
    "email",
    "offline_access",
    "accounting.transactions",
    "accounting.contacts",
    "accounting.settings",
)


@dataclass(frozen=True)
class XeroEndpoints:
    api_base: str = "https://api.xero.com/api.xro/2.0"
    identity_base: str = "https://api.xero.com"  # /Connections
    token_url: str = "https://identity.xero.com/connect/token"
    revoke_url: str = "https://identity.xero.com/connect/revocation"
    authorize_url: str = "https://login.xero.com/identity/connect/authorize"

    @classmethod
    def local(cls, base_url: str) -> XeroEndpoints:
        """Everything under one origin, as the fake server serves it."""
        base_url = base_url.rstrip("/")
        return cls(
            api_base=f"{base_url}/api.xro/2.0",
            identity_base=base_url,
            token_url=f"{base_url}/connect/token",
            revoke_url=f"{base_url}/connect/revocation",
            authorize_url=f"{base_url}/identity/connect/authorize",
        )


@dataclass(frozen=True)
class XeroApp:
    """The app registered at developer.xero.com (a "web app": it has a client secret)."""

    client_id: str
    client_secret: str
    redirect_uri: str
    scopes: tuple[str, ...] = DEFAULT_SCOPES
