"""Xero's OAuth2 authorization-code flow: consent URL, code exchange, refresh and revocation.

xero-python has no code exchange, and its ``TokenApi`` neither takes a timeout nor reports
``invalid_grant`` distinctly, so these calls go through the SDK's own transport (``ApiClient.call_api``,
as ``TokenApi`` does) with a timeout and Xero's answers turned into the shared error classes.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import urllib3
from xero_python.api_client import ApiClient
from xero_python.exceptions import HTTPStatusException

from account_sync.engine.clock import Clock, SystemClock
from account_sync.engine.errors import ConfigurationError, ReconnectRequired, RemoteTimeout, TransientError
from account_sync.engine.tokens import TokenPair

from .config import XeroApp, XeroEndpoints

Timeout = tuple[float, float]


class XeroOAuth:
    def __init__(
        self,
        app: XeroApp,
        api_client: ApiClient,
        endpoints: XeroEndpoints | None = None,
        clock: Clock | None = None,
        timeout: Timeout = (5.0, 30.0),
    ):
        self.app = app
        self.api_client = api_client
        self.endpoints = endpoints or XeroEndpoints()
        self.clock = clock or SystemClock()
        self.timeout = timeout

    def authorization_url(self, state: str, code_challenge: str | None = None) -> str:
        """Where to send the user's browser; ``state`` must be checked on the way back (CSRF)."""
        params = {
            "response_type": "code",
            "client_id": self.app.client_id,
            "redirect_uri": self.app.redirect_uri,
            "scope": " ".join(self.app.scopes),
            "state": state,
        }
        if code_challenge:
            params.update(code_challenge=code_challenge, code_challenge_method="S256")
        return f"{self.endpoints.authorize_url}?{urlencode(params)}"

    def exchange_code(self, code: str, code_verifier: str | None = None) -> TokenPair:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.app.redirect_uri}
        if code_verifier:
            form["code_verifier"] = code_verifier
        return self._token_pair(self._post(self.endpoints.token_url, form))

    def refresh(self, pair: TokenPair) -> TokenPair:
        """The ``TokenManager`` refresher: call it only under the token store's lock."""
        return self._token_pair(
            self._post(self.endpoints.token_url, {"grant_type": "refresh_token", "refresh_token": pair.refresh_token})
        )

    def revoke(self, pair: TokenPair) -> None:
        """Revoke the refresh token: every connection of this grant is removed at Xero."""
        self._post(self.endpoints.revoke_url, {"token": pair.refresh_token})

    def _token_pair(self, data: dict) -> TokenPair:
        return TokenPair.from_token_response(data, self.clock.time())

    def _post(self, url: str, form: dict[str, str]) -> dict:
        credentials = f"{self.app.client_id}:{self.app.client_secret}".encode()
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": "Basic " + base64.b64encode(credentials).decode("ascii"),
        }
        try:
            response, _status, _headers = self.api_client.call_api(
                url,
                "POST",
                header_params=headers,
                post_params=form,
                auth_settings=None,  # no bearer token on the identity endpoints
                _preload_content=False,
                _request_timeout=self.timeout,
            )
        except HTTPStatusException as exc:
            raise _identity_error(exc, form.get("grant_type") or "revocation") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise RemoteTimeout(f"Xero identity did not answer in time: {exc}") from exc
        body = response.data
        return json.loads(body) if body else {}


def _identity_error(exc: HTTPStatusException, what: str) -> Exception:
    try:
        error = json.loads(exc.body or b"{}").get("error", "")
    except ValueError:
        error = ""
    if error == "invalid_grant":
        return ReconnectRequired(
            f"Xero refused the {what} grant (invalid_grant: refresh token rotated, expired or revoked); "
            "reconnect needed: a user must authorise the app again"
        )
    if error == "invalid_client" or exc.status == 401:
        return ConfigurationError("Xero rejected the app's client id or secret")
    if exc.status and exc.status >= 500:
        return TransientError(f"Xero identity answered {exc.status}")
    return ConfigurationError(f"Xero identity answered {exc.status}: {error or exc.reason}")
