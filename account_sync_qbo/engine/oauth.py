"""Intuit OAuth 2.0 through intuit-oauth: consent URL, code exchange, refresh, revoke; all with a timeout.

intuit-oauth's ``AuthClient`` is a ``requests.Session`` that never passes a timeout; the subclass below
adds one to every call (discovery included) without touching the library.  Refresh tokens rotate, so
the refresh itself must only ever run under ``TokenManager``'s lock (see ``account_sync.engine.tokens``);
``invalid_grant`` means the stored refresh token is dead and a user has to reconnect.
"""

from __future__ import annotations

import threading

from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError
from requests import RequestException

from account_sync.engine.clock import Clock, SystemClock
from account_sync.engine.errors import ReconnectRequired, TransientError
from account_sync.engine.tokens import TokenPair

from .settings import QboSettings


class _TimedAuthClient(AuthClient):
    def __init__(self, *args, timeout: float, **kwargs):
        self.timeout = timeout  # set first: the parent constructor already fetches the discovery document
        super().__init__(*args, **kwargs)

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


class QboAuth:
    """One app's OAuth client; safe to share between threads (calls are serialised)."""

    def __init__(self, settings: QboSettings, clock: Clock | None = None):
        self.settings = settings
        self.clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._client: AuthClient | None = None

    def _auth_client(self) -> AuthClient:
        if self._client is None:
            try:
                self._client = _TimedAuthClient(
                    self.settings.client_id,
                    self.settings.client_secret,
                    self.settings.redirect_uri,
                    environment=self.settings.environment,
                    timeout=self.settings.timeout,
                )
            except (AuthClientError, RequestException) as exc:
                raise TransientError(f"QBO OAuth discovery failed: {exc}") from exc
        return self._client

    def authorization_url(self, state: str) -> str:
        with self._lock:
            return self._auth_client().get_authorization_url([Scopes.ACCOUNTING], state_token=state)

    def exchange_code(self, code: str, realm_id: str) -> TokenPair:
        with self._lock:
            client = self._auth_client()
            self._call(lambda: client.get_bearer_token(code, realm_id=realm_id), "exchange the authorization code")
            return self._pair(client, realm_id)

    def refresh(self, pair: TokenPair) -> TokenPair:
        """A ``Refresher`` for ``TokenManager``: the new pair replaces ``pair`` (whose refresh token dies)."""
        with self._lock:
            client = self._auth_client()
            self._call(lambda: client.refresh(refresh_token=pair.refresh_token), "refresh the access token")
            return self._pair(client, pair.extra.get("realm_id", ""))

    def revoke(self, pair: TokenPair) -> None:
        with self._lock:
            client = self._auth_client()
            self._call(lambda: client.revoke(token=pair.refresh_token), "revoke the connection")

    def _call(self, action, what: str) -> None:
        try:
            action()
        except AuthClientError as exc:
            if exc.status_code in (400, 401):
                raise ReconnectRequired(f"QBO refused to {what} (HTTP {exc.status_code}: {exc.content!r})") from exc
            raise TransientError(f"QBO could not {what} (HTTP {exc.status_code})") from exc
        except RequestException as exc:
            raise TransientError(f"QBO could not {what}: {exc}") from exc

    def _pair(self, client: AuthClient, realm_id: str) -> TokenPair:
        data = {
            "access_token": client.access_token,
            "refresh_token": client.refresh_token,
            "expires_in": client.expires_in,
            "token_type": "Bearer",
            "realm_id": realm_id,
            "x_refresh_token_expires_in": client.x_refresh_token_expires_in,
        }
        return TokenPair.from_token_response(data, now=self.clock.time())
