"""Xero's identity service as the fake plays it: authorisation codes, rotating refresh tokens, connections.

Refresh tokens rotate on every use and the previous one is refused with ``invalid_grant`` (Xero keeps a
grace period for the previous token, but a client that depends on it loses the connection the day two
workers refresh at once, so the fake is strict by default: ``refresh_grace`` re-enables the grace).
"""

from __future__ import annotations

import base64
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from .xero_wire import new_id

ACCESS_TTL = 1800  # Xero access tokens live 30 minutes


@dataclass
class Connection:
    id: str
    tenant_id: str
    tenant_name: str
    tenant_type: str = "ORGANISATION"
    auth_event_id: str = ""
    # Xero itself answers "2019-12-07T18:46:19.5165400" (no zone), which its spec's date-time rejects;
    # the fake follows the spec.
    created: str = "2024-01-01T00:00:00.000Z"

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "tenantId": self.tenant_id,
            "tenantName": self.tenant_name,
            "tenantType": self.tenant_type,
            "authEventId": self.auth_event_id,
            "createdDateUtc": self.created,
            "updatedDateUtc": self.created,
        }


@dataclass
class Grant:
    client_id: str
    scope: str
    connections: list[Connection] = field(default_factory=list)
    revoked: bool = False


@dataclass
class RefreshToken:
    grant: Grant
    rotated_at: float | None = None
    successor: dict | None = None  # the answer given when it was rotated (replayed within the grace)


class Identity:
    def __init__(self, now: Callable[[], float], client_id: str, client_secret: str, tenants: list[tuple[str, str]]):
        self.now = now
        self.clients = {client_id: client_secret}
        self.tenants = tenants  # what the consenting user picks on the consent screen
        self.lock = threading.Lock()
        self.codes: dict[str, tuple[Grant, str]] = {}
        self.access: dict[str, tuple[Grant, float]] = {}
        self.refresh: dict[str, RefreshToken] = {}
        self.refresh_grace = 0.0
        self.access_ttl = ACCESS_TTL
        self.counts = {"authorization_code": 0, "refresh_token": 0, "revocation": 0}

    # --- consent --------------------------------------------------------------------------------------

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str]]:
        """The consent screen, already clicked through: redirect back with a code (or an error)."""
        client_id, redirect_uri = query.get("client_id"), query.get("redirect_uri")
        if client_id not in self.clients or not redirect_uri or query.get("response_type") != "code":
            return 400, {}
        grant = Grant(client_id, query.get("scope") or "")
        auth_event = new_id()
        grant.connections = [Connection(new_id(), tid, name, auth_event_id=auth_event) for tid, name in self.tenants]
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = (grant, redirect_uri)
        params = {"code": code, "scope": grant.scope}
        if query.get("state"):
            params["state"] = query["state"]
        return 302, {"Location": f"{redirect_uri}?{urlencode(params)}"}

    # --- token endpoint -------------------------------------------------------------------------------

    def _client(self, form: dict[str, str], authorization: str | None) -> str | None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode("utf-8")
            client_id, _, secret = decoded.partition(":")
        if client_id in self.clients and self.clients[client_id] == secret:
            return client_id
        return None

    def _issue(self, grant: Grant) -> dict:
        access = secrets.token_urlsafe(32)
        self.access[access] = (grant, self.now() + self.access_ttl)
        answer = {"access_token": access, "expires_in": self.access_ttl, "token_type": "Bearer", "scope": grant.scope}
        if "offline_access" in grant.scope.split():
            refresh = secrets.token_urlsafe(32)
            self.refresh[refresh] = RefreshToken(grant)
            answer["refresh_token"] = refresh
        if "openid" in grant.scope.split():
            answer["id_token"] = secrets.token_urlsafe(48)
        return answer  # without offline_access in the scope there is no refresh token, as at Xero

    def token(self, form: dict[str, str], authorization: str | None, force_invalid_grant=False) -> tuple[int, dict]:
        client_id = self._client(form, authorization)
        if client_id is None:
            return 400, {"error": "invalid_client"}
        grant_type = form.get("grant_type")
        with self.lock:
            if grant_type == "authorization_code":
                self.counts["authorization_code"] += 1
                grant, redirect_uri = self.codes.pop(form.get("code") or "", (None, None))
                if grant is None or grant.client_id != client_id or redirect_uri != form.get("redirect_uri"):
                    return 400, {"error": "invalid_grant"}
                return 200, self._issue(grant)
            if grant_type == "refresh_token":
                self.counts["refresh_token"] += 1
                return self._rotate(form.get("refresh_token") or "", client_id, force_invalid_grant)
        return 400, {"error": "unsupported_grant_type"}

    def _rotate(self, token: str, client_id: str, force_invalid_grant: bool) -> tuple[int, dict]:
        record = self.refresh.get(token)
        if force_invalid_grant or record is None or record.grant.revoked or record.grant.client_id != client_id:
            return 400, {"error": "invalid_grant"}
        if record.rotated_at is not None:
            if self.now() - record.rotated_at <= self.refresh_grace and record.successor:
                return 200, record.successor
            return 400, {"error": "invalid_grant"}
        answer = self._issue(record.grant)
        record.rotated_at, record.successor = self.now(), answer
        return 200, answer

    def revoke(self, form: dict[str, str], authorization: str | None) -> int:
        if self._client(form, authorization) is None:
            return 400
        with self.lock:
            self.counts["revocation"] += 1
            record = self.refresh.get(form.get("token") or "")
            if record is not None:
                record.grant.revoked = True
        return 200

    # --- bearer checks --------------------------------------------------------------------------------

    def bearer(self, authorization: str | None) -> tuple[Grant | None, str]:
        """The grant behind an access token, or why it is refused (Xero's 401 Detail)."""
        if not authorization or not authorization.startswith("Bearer "):
            return None, "AuthenticationUnsuccessful"
        with self.lock:
            grant, expires_at = self.access.get(authorization[7:], (None, 0.0))
        if grant is None or grant.revoked:
            return None, "AuthenticationUnsuccessful"
        if expires_at <= self.now():
            return None, "TokenExpired: token expired"
        return grant, ""

    def expire_access_tokens(self) -> None:
        with self.lock:
            for token, (grant, _) in list(self.access.items()):
                self.access[token] = (grant, self.now() - 1)
