"""Intuit's OAuth 2.0 server as intuit-oauth talks to it: discovery, authorize, token, revoke.

Refresh tokens rotate strictly: using one returns a new one and kills the old (``invalid_grant`` on
reuse), so two workers refreshing with the same stored token lose the connection unless the client
serialises refreshes.  Access tokens belong to one realm and expire on the injected clock.
"""

from __future__ import annotations

import base64
import secrets
import threading
from dataclasses import dataclass
from urllib.parse import urlencode

ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"


@dataclass
class _Grant:
    realm: str
    scope: str
    expires_at: float
    alive: bool = True


@dataclass
class _Access:
    realm: str
    refresh_token: str
    expires_at: float


class OAuthServer:
    def __init__(self, clock, client_id: str, client_secret: str, access_ttl=3600, refresh_ttl=8_726_400):
        self.clock = clock
        self.client_id = client_id
        self.client_secret = client_secret
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self._lock = threading.Lock()
        self._codes: dict[str, tuple[str, str, str]] = {}  # code -> (realm, redirect_uri, scope)
        self._grants: dict[str, _Grant] = {}
        self._access: dict[str, _Access] = {}
        self.refresh_calls = 0
        self.rejected_refreshes = 0

    @staticmethod
    def discovery(base_url: str) -> dict:
        return {
            "issuer": "https://oauth.platform.intuit.com/op/v1",
            "authorization_endpoint": f"{base_url}/connect/oauth2",
            "token_endpoint": f"{base_url}/oauth2/v1/tokens/bearer",
            "userinfo_endpoint": f"{base_url}/v1/openid_connect/userinfo",
            "revocation_endpoint": f"{base_url}/oauth2/v1/tokens/revoke",
            "jwks_uri": f"{base_url}/oauth2/v1/keys",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile", "address", "phone"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
        }

    # --- authorize: the user consents at once and picks ``realm`` ------------------------------------

    def authorize(self, query: dict[str, str], realm: str) -> tuple[int, str]:
        """Status and redirect Location (or error text) for GET /connect/oauth2."""
        if query.get("client_id") != self.client_id:
            return 400, "invalid client_id"
        if query.get("response_type") != "code":
            return 400, "response_type must be code"
        if ACCOUNTING_SCOPE not in (query.get("scope") or "").split():
            return 400, f"scope must include {ACCOUNTING_SCOPE}"
        redirect_uri = query.get("redirect_uri") or ""
        code = "AB1" + secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = (realm, redirect_uri, query["scope"])
        params = {"code": code, "state": query.get("state", ""), "realmId": realm}
        return 302, f"{redirect_uri}?{urlencode(params)}"

    # --- token endpoint ----------------------------------------------------------------------------

    def token(self, authorization: str | None, form: dict[str, str]) -> tuple[int, dict]:
        if not self._client_ok(authorization):
            return 401, {"error": "invalid_client"}
        grant_type = form.get("grant_type")
        with self._lock:
            if grant_type == "authorization_code":
                issued = self._codes.pop(form.get("code", ""), None)
                if issued is None or issued[1] != form.get("redirect_uri"):
                    return 400, {"error": "invalid_grant"}
                return 200, self._issue(issued[0], issued[2])
            if grant_type == "refresh_token":
                self.refresh_calls += 1
                grant = self._grants.get(form.get("refresh_token", ""))
                if grant is None or not grant.alive or grant.expires_at <= self.clock.time():
                    self.rejected_refreshes += 1
                    return 400, {"error": "invalid_grant"}
                grant.alive = False  # rotation: the old refresh token is spent
                return 200, self._issue(grant.realm, grant.scope)
        return 400, {"error": "unsupported_grant_type"}

    def revoke(self, authorization: str | None, token: str) -> int:
        if not self._client_ok(authorization):
            return 401
        with self._lock:
            grant = self._grants.get(token)
            access = self._access.get(token)
            family = token if grant else (access.refresh_token if access else None)
            if family is None:
                return 400
            self._grants[family].alive = False
            for key in [key for key, value in self._access.items() if value.refresh_token == family]:
                del self._access[key]
        return 200

    # --- API side ----------------------------------------------------------------------------------

    def check(self, bearer: str | None, realm: str) -> str | None:
        """None when ``bearer`` may call the API of ``realm``; else why not."""
        with self._lock:
            access = self._access.get(bearer or "")
        if access is None:
            return "Token invalid"
        if access.expires_at <= self.clock.time():
            return f"Token expired: {bearer[:12]}..."
        if access.realm != realm:
            return f"Token was issued for another company than {realm}"
        return None

    def expire(self, bearer: str | None = None) -> None:
        """Expire one access token (or all): the next API call with it gets 401."""
        with self._lock:
            for token, access in self._access.items():
                if bearer is None or token == bearer:
                    access.expires_at = 0.0

    def live_refresh_tokens(self, realm: str) -> list[str]:
        with self._lock:
            return [token for token, grant in self._grants.items() if grant.realm == realm and grant.alive]

    # --- internals ---------------------------------------------------------------------------------

    def _client_ok(self, authorization: str | None) -> bool:
        if not authorization or not authorization.startswith("Basic "):
            return False
        try:
            decoded = base64.b64decode(authorization[6:]).decode()
        except ValueError:
            return False
        return decoded == f"{self.client_id}:{self.client_secret}"

    def _issue(self, realm: str, scope: str) -> dict:
        now = self.clock.time()
        refresh = "AB11" + secrets.token_urlsafe(32)
        access = "eyJ" + secrets.token_urlsafe(48)
        self._grants[refresh] = _Grant(realm, scope, now + self.refresh_ttl)
        self._access[access] = _Access(realm, refresh, now + self.access_ttl)
        return {
            "token_type": "bearer",
            "access_token": access,
            "expires_in": self.access_ttl,
            "refresh_token": refresh,
            "x_refresh_token_expires_in": self.refresh_ttl,
        }
