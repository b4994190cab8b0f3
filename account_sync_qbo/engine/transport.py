"""Every HTTP call python-quickbooks makes, with what the SDK lacks: timeout, pacing, refresh, retries.

python-quickbooks funnels all requests through ``QuickBooks.process_request`` and hides the HTTP status
(a 429 throttle answer is XML even to a JSON client, and becomes a generic code 10000 once the SDK fails
to parse it).  ``QboSession`` overrides that one method, so the transport sees the status first:

* 429 (and the older 403 ThrottleExceeded): wait for Retry-After when given, else exponential backoff;
  the whole realm's limiter pauses too, since the quota is per realm.
* 401: refresh once through ``TokenManager`` (serialised across threads and processes), then resend.
* 5xx, timeouts, dropped connections: retried only when resending is safe: reads, queries and writes that
  carry a ``requestid`` (QBO answers a repeated requestid from its cache instead of writing twice).
* Each attempt takes a slot of the realm's rate limiter (500/min, 10 concurrent) and, for batch
  requests, of the batch limiter (40/min).
"""

from __future__ import annotations

import json
import random
from contextlib import ExitStack

import requests
from quickbooks.client import QuickBooks

from account_sync.engine.backoff import Retry, parse_retry_after, run_with_retries
from account_sync.engine.clock import Clock
from account_sync.engine.errors import RateLimited, ReconnectRequired, RemoteTimeout, TransientError
from account_sync.engine.idempotency import payload_fingerprint, short
from account_sync.engine.ratelimit import RateLimiter
from account_sync.engine.tokens import TokenManager

from .settings import QboSettings


class _Throttled(Exception):
    def __init__(self, retry_after: float | None):
        super().__init__("throttled")
        self.retry_after = retry_after


class _Unauthorized(Exception):
    def __init__(self, access_token: str):
        super().__init__("401")
        self.access_token = access_token


class _ServerError(Exception):
    def __init__(self, status: int, text: str):
        super().__init__(f"HTTP {status}: {text[:300]}")
        self.status = status


def _throttle_answer(response: requests.Response) -> bool:
    if response.status_code == 429:
        return True
    return response.status_code == 403 and "ThrottleExceeded" in response.text


class Transport:
    def __init__(
        self,
        settings: QboSettings,
        tokens: TokenManager,
        limiter: RateLimiter,
        batch_limiter: RateLimiter,
        clock: Clock,
        http: requests.Session | None = None,
        rng: random.Random | None = None,
    ):
        self.settings = settings
        self.tokens = tokens
        self.limiter = limiter
        self.batch_limiter = batch_limiter
        self.clock = clock
        self.http = http or requests.Session()
        self.rng = rng or random.Random()
        self.attempts = 0
        self.throttled = 0

    def send(self, method: str, url: str, headers: dict, params: dict, data) -> requests.Response:
        safe = method == "GET" or url.rstrip("/").endswith("/query") or bool(params.get("requestid"))
        refreshed = []

        def classify(exc: Exception, attempt: int) -> Retry | None:
            if isinstance(exc, _Throttled):
                delay = exc.retry_after
                if delay is None:
                    delay = self.settings.retry.delay(attempt, self.rng)
                self.limiter.pause(delay)
                return Retry(delay, "throttled")
            if isinstance(exc, _Unauthorized) and not refreshed:
                refreshed.append(self.tokens.force_refresh(exc.access_token))
                return Retry(0.0, "access token refreshed")
            if isinstance(exc, (_ServerError, requests.Timeout, requests.ConnectionError)) and safe:
                return Retry(None, str(exc))
            return None

        body = data.encode("utf-8") if isinstance(data, str) else data  # requests would send str as latin-1
        try:
            return run_with_retries(
                lambda attempt: self._once(method, url, headers, params, body),
                classify,
                self.settings.retry,
                self.clock,
                self.rng,
            )
        except _Throttled as exc:
            raise RateLimited(f"QBO kept throttling {method} {_path(url)}", retry_after=exc.retry_after) from exc
        except _Unauthorized as exc:
            raise ReconnectRequired(f"QBO refused the refreshed access token for {_path(url)}") from exc
        except _ServerError as exc:
            raise TransientError(f"QBO failed {method} {_path(url)}: {exc}") from exc
        except requests.Timeout as exc:
            raise RemoteTimeout(f"QBO did not answer {method} {_path(url)} within {self.settings.timeout}s") from exc
        except requests.ConnectionError as exc:
            raise TransientError(f"QBO unreachable for {method} {_path(url)}: {exc}") from exc

    def _once(self, method, url, headers, params, body) -> requests.Response:
        pair = self.tokens.current()
        headers = {**headers, "Authorization": f"Bearer {pair.access_token}"}
        with ExitStack() as slots:
            if url.rstrip("/").endswith("/batch"):
                slots.enter_context(self.batch_limiter.slot())
            slots.enter_context(self.limiter.slot())
            self.attempts += 1
            response = self.http.request(
                method, url, headers=headers, params=params, data=body, timeout=self.settings.timeout
            )
        if _throttle_answer(response):
            self.throttled += 1
            raise _Throttled(parse_retry_after(response.headers.get("Retry-After"), self.clock.time()))
        if response.status_code == 401:
            raise _Unauthorized(pair.access_token)
        if response.status_code >= 500:
            raise _ServerError(response.status_code, response.text)
        return response


def _path(url: str) -> str:
    return url.split("/v3/", 1)[-1]


class QboSession(QuickBooks):
    """python-quickbooks' client with its single HTTP entry point routed through ``Transport``."""

    transport: Transport

    def process_request(self, request_type, url, headers="", params="", data=""):
        return self.transport.send(request_type, url, dict(headers or {}), dict(params or {}), data)

    def batch_operation(self, request_body):
        """Batch writes get a requestid too (derived from the body), so a resent batch is answered, not redone."""
        url = f"{self.api_url}/company/{self.company_id}/batch"
        request_id = short("batch-" + payload_fingerprint(json.loads(request_body)))
        return self.post(url, request_body, request_id=request_id)


def open_session(settings: QboSettings, realm_id: str, transport: Transport) -> QboSession:
    session = QboSession(company_id=realm_id, minorversion=settings.minor_version)
    if settings.api_url:
        session.api_url_v3 = session.sandbox_api_url_v3 = settings.api_url.rstrip("/")
    session.transport = transport
    session.session = transport.http  # the SDK only checks that a session exists
    return session
