"""A local QuickBooks Online for the official SDKs (python-quickbooks, intuit-oauth), used unchanged.

Start it with ``with FakeQbo() as qbo:`` (random free port on 127.0.0.1, served from a thread), then
point the SDKs at it::

    AuthClient(..., environment=qbo.discovery_url)   # intuit-oauth reads its endpoints from here
    qb.api_url_v3 = qbo.api_url                      # python-quickbooks' base URL

Tests steer it through ``qbo.faults.add(kind, ...)`` (see ``qbo_faults.KINDS``), ``qbo.oauth.expire()``,
``qbo.company().edit_as_another_user(...)``, and read back ``qbo.calls(...)``.  ``qbo.violations``
lists every body that broke Intuit's XSD; ``FakeQbo.__exit__`` raises if there is any, so a
malformed request can never pass a test silently.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from account_sync.engine.clock import SystemClock

from .qbo_api import Api, ApiRequest, ApiResponse, Recorded, parse_params
from .qbo_auth import OAuthServer
from .qbo_faults import FaultPlan
from .qbo_limits import QboLimits, RealmThrottle
from .qbo_store import Company

DEFAULT_REALM = "9341452345678901"
API_PREFIX = "/v3/company/"


class FakeQbo:
    def __init__(
        self,
        realms: tuple[str, ...] = (DEFAULT_REALM,),
        *,
        clock=None,
        client_id: str = "fake-qbo-client",
        client_secret: str = "fake-qbo-secret",
        limits: QboLimits | None = None,
        access_ttl: float = 3600,
    ):
        self.clock = clock or SystemClock()
        self.companies = {realm: Company(realm, self.clock) for realm in realms}
        self.oauth = OAuthServer(self.clock, client_id, client_secret, access_ttl=access_ttl)
        self.faults = FaultPlan()
        self.throttle = RealmThrottle(self.clock, limits) if limits else None
        self.violations: list[str] = []
        self._calls: list[Recorded] = []
        self._lock = threading.Lock()
        self.api = Api(self)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> FakeQbo:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-qbo", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeQbo:
        return self.start()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop()
        if exc_type is None:
            self.assert_valid()

    # --- addresses ---------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid_configuration"

    @property
    def api_url(self) -> str:
        return f"{self.url}/v3"

    # --- for tests ---------------------------------------------------------------------------------

    def company(self, realm: str | None = None) -> Company:
        return self.companies[realm or next(iter(self.companies))]

    def record(self, call: Recorded) -> None:
        with self._lock:
            self._calls.append(call)

    def calls(self, endpoint: str | None = None, operation: str | None = None, status: int | None = None):
        with self._lock:
            return [
                call
                for call in self._calls
                if (endpoint is None or call.endpoint == endpoint)
                and (operation is None or call.operation == operation)
                and (status is None or call.status == status)
            ]

    def violation(self, where: str, errors: list[str]) -> None:
        with self._lock:
            self.violations.append(f"{where}: " + "; ".join(errors))

    def assert_valid(self) -> None:
        if self.violations:
            raise AssertionError("bodies outside Intuit's XSD:\n" + "\n".join(self.violations))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like QBO; every answer carries Content-Length
    disable_nagle_algorithm = True  # with keep-alive, Nagle + delayed ACK would stall each answer 40 ms
    wbufsize = 1 << 16  # headers and body leave in one segment (flushed after each request)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        """Silent: pytest shows the calls through ``FakeQbo.calls`` when a test needs them."""

    @property
    def fake(self) -> FakeQbo:
        return self.server.fake

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = parts.path.rstrip("/")
        if path.startswith(API_PREFIX):
            realm, _, rest = path[len(API_PREFIX) :].partition("/")
            request = ApiRequest(
                method=method,
                realm=realm,
                segments=[segment for segment in rest.split("/") if segment],
                params=parse_params(parts.query),
                content_type=self.headers.get("Content-Type", ""),
                body=body,
                bearer=_bearer(self.headers.get("Authorization")),
            )
            self._send(self._guarded(lambda: self.fake.api.handle(request)))
            return
        self._send(self._guarded(lambda: self._oauth(method, path, parts.query, body)))

    def _guarded(self, work) -> ApiResponse:
        """A crash in the fake is recorded (the test fails) and answered with a 500 instead of a dropped line."""
        try:
            return work()
        except Exception as exc:
            self.fake.violation(f"fake crashed on {self.command} {self.path}", [repr(exc)])
            return ApiResponse(500, repr(exc).encode("utf-8"), "text/plain")

    def _oauth(self, method: str, path: str, query: str, body: bytes) -> ApiResponse:
        oauth = self.fake.oauth
        authorization = self.headers.get("Authorization")
        if method == "GET" and path == "/.well-known/openid_configuration":
            return _json(200, oauth.discovery(self.fake.url))
        if method == "GET" and path == "/oauth2/v1/keys":
            return _json(200, {"keys": []})
        if method == "GET" and path == "/connect/oauth2":
            params = parse_params(query)
            realm = params.pop("realm_hint", None) or next(iter(self.fake.companies))
            status, target = oauth.authorize(params, realm)
            if status != 302:
                return ApiResponse(status, target.encode(), "text/plain")
            return ApiResponse(302, b"", "text/plain", {"Location": target})
        if method == "POST" and path == "/oauth2/v1/tokens/bearer":
            status, payload = oauth.token(authorization, parse_params(body.decode("utf-8")))
            return _json(status, payload)
        if method == "POST" and path == "/oauth2/v1/tokens/revoke":
            try:
                token = json.loads(body or b"{}").get("token", "")
            except ValueError:
                token = ""
            return ApiResponse(oauth.revoke(authorization, token), b"", "text/plain")
        return ApiResponse(404, b"not found", "text/plain")

    def _send(self, response: ApiResponse) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("intuit_tid", f"fake-{id(response):x}")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (timeout test)


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def _json(status: int, payload: dict) -> ApiResponse:
    return ApiResponse(status, json.dumps(payload).encode("utf-8"), "application/json")
