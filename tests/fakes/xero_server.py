"""A local Xero (accounting API + identity service) that judges every exchange against Xero's OpenAPI spec.

Start it from a test, point the unchanged xero-python SDK at ``api_base`` / ``identity_base`` /
``token_url``, and read back what happened: ``violations`` lists every request or response the spec
rejects (a request the spec rejects also gets a 400, as Xero would answer), ``log`` every call.

Faults are armed per test through ``faults`` (see ``xero_faults``); Xero's real limits (60 calls per
minute and 5,000 per day per tenant, 5 concurrent calls, 10,000 per minute per app) are counted always,
reported in the X-*Limit-Remaining headers, and enforced with 429s when ``enforce_limits`` is on.
"""

from __future__ import annotations

import json
import math
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from account_sync.engine.clock import Clock, SystemClock
from account_sync.engine.idempotency import payload_fingerprint

from . import xero_faults as faults
from . import xero_spec as spec
from .xero_identity import Identity
from .xero_ledger import Ledger
from .xero_wire import NIL_UUID, ms_date, new_id, parse_http_time, public

DEFAULT_TENANTS = [
    ("8f2c7d1e-4b5a-4c3d-9e8f-0a1b2c3d4e5f", "Demo Company (NZ)"),
    ("1a2b3c4d-5e6f-4a8b-9c0d-e1f2a3b4c5d6", "Second Org Ltd"),
]
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
#: Xero refuses a request body over 3.5 MB (HTTP 413) whatever the number of records in it
MAX_REQUEST_BYTES = 3_500_000


@dataclass(frozen=True)
class XeroLimits:
    per_minute: int = 60
    per_day: int = 5000
    concurrent: int = 5
    app_per_minute: int = 10_000


@dataclass
class Call:
    method: str
    path: str
    operation: str
    tenant: str | None
    idempotency_key: str | None
    status: int = 0
    replayed: bool = False
    query: list = field(default_factory=list)


@dataclass
class Route:
    method: str
    pattern: str  # the spec's path template, e.g. /Invoices/{InvoiceID}
    operation: str
    handler: str
    regex: re.Pattern = field(init=False)

    def __post_init__(self):
        self.regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.pattern) + "$")


ROUTES = [
    Route("GET", "/Contacts", "getContacts", "list_contacts"),
    Route("PUT", "/Contacts", "createContacts", "create_contacts"),
    Route("POST", "/Contacts", "updateOrCreateContacts", "upsert_contacts"),
    Route("POST", "/Contacts/{ContactID}", "updateContact", "update_contact"),
    Route("GET", "/Invoices", "getInvoices", "list_invoices"),
    Route("PUT", "/Invoices", "createInvoices", "create_invoices"),
    Route("POST", "/Invoices", "updateOrCreateInvoices", "upsert_invoices"),
    Route("GET", "/Invoices/{InvoiceID}", "getInvoice", "get_invoice"),
    Route("POST", "/Invoices/{InvoiceID}", "updateInvoice", "update_invoice"),
    Route("GET", "/CreditNotes", "getCreditNotes", "list_credit_notes"),
    Route("PUT", "/CreditNotes", "createCreditNotes", "create_credit_notes"),
    Route("POST", "/CreditNotes", "updateOrCreateCreditNotes", "upsert_credit_notes"),
    Route("GET", "/CreditNotes/{CreditNoteID}", "getCreditNote", "get_credit_note"),
    Route("POST", "/CreditNotes/{CreditNoteID}", "updateCreditNote", "update_credit_note"),
    Route("PUT", "/CreditNotes/{CreditNoteID}/Allocations", "createCreditNoteAllocation", "allocate"),
    Route(
        "DELETE",
        "/CreditNotes/{CreditNoteID}/Allocations/{AllocationID}",
        "deleteCreditNoteAllocations",
        "delete_allocation",
    ),
    Route("GET", "/Payments", "getPayments", "list_payments"),
    Route("PUT", "/Payments", "createPayments", "create_payments"),
    Route("GET", "/Payments/{PaymentID}", "getPayment", "get_payment"),
    Route("POST", "/Payments/{PaymentID}", "deletePayment", "delete_payment"),
    Route("GET", "/Items", "getItems", "list_items"),
    Route("PUT", "/Items", "createItems", "create_items"),
    Route("GET", "/Accounts", "getAccounts", "list_accounts"),
    Route("GET", "/TaxRates", "getTaxRates", "list_tax_rates"),
]


class Quota:
    """Xero's counters for one tenant (and the app), on the server's clock."""

    def __init__(self, clock: Clock, limits: XeroLimits):
        self.clock, self.limits = clock, limits
        self.lock = threading.Lock()
        self.minute: dict[str, deque] = {}
        self.day: dict[str, deque] = {}
        self.app_minute: deque = deque()
        self.in_flight: Counter = Counter()
        self.max_in_flight: Counter = Counter()

    def _trim(self, window: deque, span: float, now: float) -> None:
        while window and window[0] <= now - span:
            window.popleft()

    def admit(self, tenant: str, enforce: bool) -> tuple[str | None, float, dict[str, str]]:
        """(problem, retry_after, headers); a refused call is not counted, as at Xero."""
        with self.lock:
            now = self.clock.monotonic()
            minute, day = self.minute.setdefault(tenant, deque()), self.day.setdefault(tenant, deque())
            for window, span in ((minute, 60.0), (day, 86_400.0), (self.app_minute, 60.0)):
                self._trim(window, span, now)
            problem, retry_after = None, 0.0
            if enforce and self.in_flight[tenant] >= self.limits.concurrent:
                problem, retry_after = "concurrent", 1.0
            elif enforce and len(day) >= self.limits.per_day:
                problem, retry_after = "day", day[0] + 86_400.0 - now
            elif enforce and len(minute) >= self.limits.per_minute:
                problem, retry_after = "minute", minute[0] + 60.0 - now
            elif enforce and len(self.app_minute) >= self.limits.app_per_minute:
                problem, retry_after = "appminute", self.app_minute[0] + 60.0 - now
            if problem is None:
                minute.append(now)
                day.append(now)
                self.app_minute.append(now)
                self.in_flight[tenant] += 1
                self.max_in_flight[tenant] = max(self.max_in_flight[tenant], self.in_flight[tenant])
            headers = {
                "X-MinLimit-Remaining": str(max(self.limits.per_minute - len(minute), 0)),
                "X-DayLimit-Remaining": str(max(self.limits.per_day - len(day), 0)),
                "X-AppMinLimit-Remaining": str(max(self.limits.app_per_minute - len(self.app_minute), 0)),
            }
            return problem, retry_after, headers

    def done(self, tenant: str) -> None:
        with self.lock:
            self.in_flight[tenant] -= 1


@dataclass
class Exchange:
    """One request as the handlers see it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    call: Call
    route: Route | None = None
    params: dict[str, str] = field(default_factory=dict)
    ledger: Ledger | None = None

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def arg(self, name: str) -> str | None:
        return next((v for k, v in self.query if k == name), None)

    def json(self) -> Any:
        return json.loads(self.body or b"{}")

    @property
    def summarize(self) -> bool:
        return (self.arg("summarizeErrors") or "true").lower() != "false"


Reply = tuple[int, Any, dict[str, str]]


class FakeXero:
    def __init__(
        self,
        client_id: str = "fake-client-id",
        client_secret: str = "fake-client-secret",
        tenants: list[tuple[str, str]] | None = None,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
        limits: XeroLimits = XeroLimits(),
    ):
        self.clock = clock or SystemClock()
        self.sleep = sleep
        self.tenants = list(tenants or DEFAULT_TENANTS)
        self.identity = Identity(self.clock.time, client_id, client_secret, self.tenants)
        self.ledgers = {tid: Ledger(tid, name, self.clock.time) for tid, name in self.tenants}
        self.faults = faults.FaultPlan()
        self.quota = Quota(self.clock, limits)
        self.enforce_limits = False
        self.violations: list[str] = []
        self.log: list[Call] = []
        self.idempotency: dict[tuple[str, str], tuple[str, int, bytes]] = {}
        self._lock = threading.Lock()
        self._open_sockets: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.judge = spec.accounting()
        self.identity_judge = spec.identity()

    # --- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> FakeXero:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-xero", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and cut open keep-alive connections, as a server going down does."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            connections, self._open_sockets = list(self._open_sockets), set()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> FakeXero:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_base(self) -> str:
        return self.base_url + spec.API_PREFIX

    @property
    def identity_base(self) -> str:
        return self.base_url

    @property
    def token_url(self) -> str:
        return self.base_url + "/connect/token"

    @property
    def revoke_url(self) -> str:
        return self.base_url + "/connect/revocation"

    @property
    def authorize_url(self) -> str:
        return self.base_url + "/identity/connect/authorize"

    def ledger(self, tenant_index_or_id: int | str = 0) -> Ledger:
        if isinstance(tenant_index_or_id, int):
            return self.ledgers[self.tenants[tenant_index_or_id][0]]
        return self.ledgers[tenant_index_or_id]

    def calls(self, operation: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.log if operation is None or c.operation == operation]

    def violation(self, message: str) -> None:
        with self._lock:
            self.violations.append(message)

    # --- dispatch -------------------------------------------------------------------------------------

    def handle(self, ex: Exchange) -> Reply:
        path = ex.path
        if path == "/identity/connect/authorize" and ex.method == "GET":
            status, headers = self.identity.authorize(dict(ex.query))
            return status, None, headers
        if path == "/connect/token" and ex.method == "POST":
            return self._token(ex)
        if path == "/connect/revocation" and ex.method == "POST":
            form = dict(parse_qsl(ex.body.decode("utf-8")))
            return self.identity.revoke(form, ex.header("Authorization")), None, {}
        if path.startswith("/Connections"):
            return self._connections(ex)
        if path.startswith(spec.API_PREFIX + "/"):
            return self._accounting(ex)
        self.violation(f"{ex.method} {path}: no such endpoint at Xero")
        return 404, {"Title": "Not Found", "Status": 404}, {}

    def _token(self, ex: Exchange) -> Reply:
        form = dict(parse_qsl(ex.body.decode("utf-8")))
        ex.call.operation = "token:" + (form.get("grant_type") or "?")
        if not (ex.header("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            self.violation(f"token request with Content-Type {ex.header('Content-Type')!r}")
        required = {"authorization_code": ("code", "redirect_uri"), "refresh_token": ("refresh_token",)}
        for name in required.get(form.get("grant_type") or "", ()):
            if not form.get(name):
                self.violation(f"token request ({form.get('grant_type')}) without {name}")
        fault = self.faults.take("token", (faults.INVALID_GRANT, faults.SERVER_ERROR))
        if fault is not None and fault.kind == faults.SERVER_ERROR:
            return 500, {"error": "server_error"}, {}
        status, body = self.identity.token(form, ex.header("Authorization"), force_invalid_grant=fault is not None)
        if status == 200:
            problem = spec.check_schema(self.identity_judge, "AccessToken", body)
            if problem:
                self.violation(f"token response: {problem}")
        return status, body, {"Cache-Control": "no-store"}

    def _unauthorized(self, detail: str) -> Reply:
        body = {"Type": None, "Title": "Unauthorized", "Status": 401, "Detail": detail}
        return 401, body, {"WWW-Authenticate": 'Bearer error="invalid_token"'}

    def _connections(self, ex: Exchange) -> Reply:
        request = spec.SpecRequest(ex.method, ex.path, ex.query, ex.headers, ex.body)
        ex.call.operation = "getConnections" if ex.method == "GET" else "deleteConnection"
        problem = spec.check_request(self.identity_judge, request)
        if problem:
            self.violation(f"{ex.method} {ex.path}: {problem}")
            return 400, {"Title": "Bad Request", "Status": 400, "Detail": problem}, {}
        grant, why = self.identity.bearer(ex.header("Authorization"))
        if grant is None:
            return self._unauthorized(why)
        if ex.method == "DELETE":
            connection_id = ex.path.rsplit("/", 1)[-1]
            before = len(grant.connections)
            grant.connections = [c for c in grant.connections if c.id != connection_id]
            return (204 if len(grant.connections) < before else 404), None, {}
        body = [c.as_json() for c in grant.connections]
        self._check_response(self.identity_judge, request, 200, body, "/Connections")
        return 200, body, {}

    def _accounting(self, ex: Exchange) -> Reply:
        sub_path = ex.path[len(spec.API_PREFIX) :]
        for route in ROUTES:
            match = route.regex.match(sub_path)
            if match and route.method == ex.method:
                ex.route, ex.params = route, match.groupdict()
                break
        else:
            self.violation(f"{ex.method} {ex.path}: no such operation in the fake (or at Xero)")
            return 404, {"Title": "Not Found", "Status": 404}, {}
        ex.call.operation = ex.route.operation
        request = spec.SpecRequest(ex.method, ex.path, ex.query, ex.headers, ex.body)
        if len(ex.body) > MAX_REQUEST_BYTES:
            self.violation(f"{ex.method} {ex.path}: a body of {len(ex.body):,} bytes, over Xero's 3.5 MB")
            return 413, {"Title": "Request Entity Too Large", "Status": 413}, {}
        problem = spec.check_request(self.judge, request) or _boolean_args(ex.query)
        if problem:
            self.violation(f"{ex.method} {ex.path}: {problem}")
            return 400, {"ErrorNumber": 14, "Type": "PostDataInvalidException", "Message": problem}, {}
        grant, why = self.identity.bearer(ex.header("Authorization"))
        if self.faults.take(ex.route.operation, (faults.TOKEN_EXPIRED,)):
            grant, why = None, "TokenExpired: token expired"
        if grant is None:
            return self._unauthorized(why)
        tenant = ex.header("xero-tenant-id")
        if tenant not in {c.tenant_id for c in grant.connections} or tenant not in self.ledgers:
            return 403, {"Type": None, "Title": "Forbidden", "Status": 403, "Detail": "AuthenticationUnsuccessful"}, {}
        ex.ledger = self.ledgers[tenant]
        problem, retry_after, limit_headers = self.quota.admit(tenant, self.enforce_limits)
        if problem is None:
            try:
                status, body, headers = self._admitted(ex, request)
            finally:
                self.quota.done(tenant)
        else:
            status, body, headers = self._too_many(problem, retry_after)
        return status, body, {**limit_headers, **headers}

    def _too_many(self, problem: str, retry_after: float) -> Reply:
        headers = {"Retry-After": str(max(math.ceil(retry_after), 1)), "X-Rate-Limit-Problem": problem}
        return 429, {"Title": "Too Many Requests", "Status": 429, "Detail": f"{problem} rate limit exceeded"}, headers

    def _admitted(self, ex: Exchange, request: spec.SpecRequest) -> Reply:
        fault = self.faults.take(ex.route.operation, (faults.RATE_LIMIT, faults.SERVER_ERROR))
        if fault is not None and fault.kind == faults.RATE_LIMIT:
            problem = fault.params.get("problem", "minute")
            return self._too_many(problem, fault.params.get("retry_after", 1))
        if fault is not None:
            return 500, {"ErrorNumber": 500, "Type": "UnknownErrorException", "Message": "An error occurred"}, {}
        reply = self._replay_or_run(ex, request)
        slow = self.faults.take(ex.route.operation, (faults.SLOW,))
        if slow is not None:  # the work is done and remembered; only the answer is late
            self.sleep(slow.params.get("delay", 1.0))
        return reply

    def _replay_or_run(self, ex: Exchange, request: spec.SpecRequest) -> Reply:
        """Idempotency-Key: the same key and body get the first answer again, without doing the work twice."""
        key = ex.header("Idempotency-Key") if ex.method in ("PUT", "POST") else None
        if key and len(key) > 128:
            message = "The Idempotency-Key must be 128 characters or fewer."
            return 400, {"ErrorNumber": 10, "Type": "ValidationException", "Message": message}, {}
        fingerprint = f"{ex.method} {ex.path} {payload_fingerprint(ex.json() if ex.body else None)}"
        with ex.ledger.lock:
            stored = self.idempotency.get((ex.ledger.tenant_id, key)) if key else None
            if stored is not None:
                ex.call.replayed = True
                if stored[0] != fingerprint:
                    message = "The Idempotency-Key was already used for a different request."
                    return 400, {"ErrorNumber": 10, "Type": "ValidationException", "Message": message}, {}
                return stored[1], json.loads(stored[2]), {}
            status, body = getattr(self, "_op_" + ex.route.handler)(ex)
            body = public(body)
            if key:
                self.idempotency[(ex.ledger.tenant_id, key)] = (fingerprint, status, spec.dumps(body))
        self._check_response(self.judge, request, status, body, ex.route.pattern)
        return status, body, {}

    def _check_response(self, judge, request, status: int, body: Any, spec_path: str) -> None:
        if str(status) not in judge.declared(request.method, spec_path):
            return  # Xero's spec declares few error codes; undeclared ones are not judged
        response = spec.SpecResponse(status, {"Content-Type": "application/json"}, spec.dumps(body))
        problem = spec.check_response(judge, request, response)
        if problem:
            self.violation(f"response {status} to {request.method.upper()} {request.path}: {problem}")

    # --- accounting operations (run under the tenant's ledger lock) -----------------------------------

    def _batch(self, ex: Exchange, collection: str, id_key: str, create: Callable, error_flag: str | None) -> tuple:
        items = ex.json().get(collection) or []
        forced = self._forced_item_errors(ex, items)
        ledger = ex.ledger
        snapshot = ledger.snapshot() if ex.summarize else None
        out, failed = [], []
        for index, item in enumerate(items):
            record, messages = (None, [forced[index]]) if index in forced else create(item)
            if messages:
                echo = {id_key: NIL_UUID, **item, "ValidationErrors": [{"Message": m} for m in messages]}
                echo["StatusAttributeString"] = "ERROR"
                if error_flag:
                    echo[error_flag] = True
                out.append(echo)
                failed.append(echo)
            else:
                out.append(record)
        if ex.summarize and failed:
            ledger.restore(snapshot)
            return 400, self._validation_error(failed)
        return 200, self._envelope(collection, out)

    def _forced_item_errors(self, ex: Exchange, items: list) -> dict[int, str]:
        fault = self.faults.take(ex.route.operation, (faults.ITEM_ERROR,))
        if fault is None:
            return {}
        message = fault.params.get("message", "A validation error was injected by the test.")
        match = fault.params.get("match")
        indices = set(fault.params.get("indices", ()))
        return {i: message for i, item in enumerate(items) if i in indices or (match is not None and match(item))}

    @staticmethod
    def _validation_error(elements: list) -> dict:
        return {
            "ErrorNumber": 10,
            "Type": "ValidationException",
            "Message": "A validation exception occurred",
            "Elements": elements,
        }

    def _envelope(self, collection: str, records: list, pagination: dict | None = None) -> dict:
        body = {
            "Id": new_id(),
            "Status": "OK",
            "ProviderName": "fake",
            "DateTimeUTC": ms_date(self.clock.time()),
            collection: records,
        }
        if pagination:
            body["pagination"] = pagination
        return body

    def _single(self, record: dict | None, messages: list[str], collection: str) -> tuple:
        if messages:
            return 400, self._validation_error([{"ValidationErrors": [{"Message": m} for m in messages]}])
        return 200, self._envelope(collection, [record])

    def _list(self, ex: Exchange, records: list[dict], collection: str, lines_key: str | None = None) -> tuple:
        since = ex.header("If-Modified-Since")
        records = Ledger.modified_since(records, parse_http_time(since) if since else None)
        page = ex.arg("page")
        if page is None:
            if lines_key:  # without paging Xero leaves line items out of list answers
                records = [{k: v for k, v in r.items() if k != lines_key} for r in records]
            return 200, self._envelope(collection, records)
        size = min(int(ex.arg("pageSize") or PAGE_SIZE), MAX_PAGE_SIZE)
        number = max(int(page), 1)
        chunk = records[(number - 1) * size : number * size]
        pagination = {
            "page": number,
            "pageSize": size,
            "pageCount": math.ceil(len(records) / size),
            "itemCount": len(records),
        }
        return 200, self._envelope(collection, chunk, pagination)

    def _op_list_contacts(self, ex):
        records = list(ex.ledger.contacts.values())
        if (ex.arg("includeArchived") or "false") != "true":
            records = [r for r in records if r["ContactStatus"] == "ACTIVE"]
        term = (ex.arg("searchTerm") or "").strip().lower()
        if term:  # Xero: case-insensitive text search in these fields
            fields = ("Name", "FirstName", "LastName", "ContactNumber", "EmailAddress")
            records = [r for r in records if any(term in str(r.get(f) or "").lower() for f in fields)]
        return self._list(ex, records, "Contacts")

    def _op_create_contacts(self, ex):
        return self._batch(ex, "Contacts", "ContactID", ex.ledger.create_contact, "HasValidationErrors")

    def _op_upsert_contacts(self, ex):
        return self._batch(ex, "Contacts", "ContactID", ex.ledger.create_or_update_contact, "HasValidationErrors")

    def _op_update_contact(self, ex):
        items = ex.json().get("Contacts") or [{}]
        return self._single(*ex.ledger.update_contact(ex.params["ContactID"], items[0]), "Contacts")

    def _op_list_invoices(self, ex):
        records = list(ex.ledger.invoices.values())
        ids = {i for arg in (ex.arg("IDs") or "").split(",") if (i := arg.strip())}
        statuses = {s for arg in (ex.arg("Statuses") or "").split(",") if (s := arg.strip())}
        records = [r for r in records if (not ids or r["InvoiceID"] in ids)]
        records = [r for r in records if (not statuses or r["Status"] in statuses)]
        return self._list(ex, records, "Invoices", "LineItems")

    def _op_create_invoices(self, ex):
        return self._batch(ex, "Invoices", "InvoiceID", ex.ledger.create_invoice, "HasErrors")

    def _op_upsert_invoices(self, ex):
        return self._batch(ex, "Invoices", "InvoiceID", ex.ledger.create_or_update_invoice, "HasErrors")

    def _op_get_invoice(self, ex):
        record = ex.ledger.invoices.get(ex.params["InvoiceID"])
        if record is None:
            return 404, {"Title": "Not Found", "Status": 404}
        return 200, self._envelope("Invoices", [record])

    def _op_update_invoice(self, ex):
        items = ex.json().get("Invoices") or [{}]
        return self._single(*ex.ledger.update_invoice(ex.params["InvoiceID"], items[0]), "Invoices")

    def _op_list_credit_notes(self, ex):
        return self._list(ex, list(ex.ledger.credit_notes.values()), "CreditNotes", "LineItems")

    def _op_create_credit_notes(self, ex):
        return self._batch(ex, "CreditNotes", "CreditNoteID", ex.ledger.create_credit_note, "HasErrors")

    def _op_upsert_credit_notes(self, ex):
        return self._batch(ex, "CreditNotes", "CreditNoteID", ex.ledger.create_or_update_credit_note, "HasErrors")

    def _op_get_credit_note(self, ex):
        record = ex.ledger.credit_notes.get(ex.params["CreditNoteID"])
        if record is None:
            return 404, {"Title": "Not Found", "Status": 404}
        return 200, self._envelope("CreditNotes", [record])

    def _op_allocate(self, ex):
        def allocate(item):
            return ex.ledger.allocate(ex.params["CreditNoteID"], item)

        status, body = self._batch(ex, "Allocations", "AllocationID", allocate, None)
        if status == 200:  # the Allocations schema is a bare wrapper
            body = {"Allocations": body["Allocations"]}
        return status, body

    def _op_update_credit_note(self, ex):
        items = ex.json().get("CreditNotes") or [{}]
        return self._single(*ex.ledger.update_credit_note(ex.params["CreditNoteID"], items[0]), "CreditNotes")

    def _op_delete_allocation(self, ex):
        record, messages = ex.ledger.delete_allocation(ex.params["CreditNoteID"], ex.params["AllocationID"])
        if messages:
            return 400, self._validation_error([{"ValidationErrors": [{"Message": m} for m in messages]}])
        return 200, record  # the spec answers the bare Allocation, flagged IsDeleted

    def _op_list_payments(self, ex):
        return self._list(ex, list(ex.ledger.payments.values()), "Payments")

    def _op_create_payments(self, ex):
        return self._batch(ex, "Payments", "PaymentID", ex.ledger.create_payment, "HasValidationErrors")

    def _op_get_payment(self, ex):
        record = ex.ledger.payments.get(ex.params["PaymentID"])
        if record is None:
            return 404, {"Title": "Not Found", "Status": 404}
        return 200, self._envelope("Payments", [record])

    def _op_delete_payment(self, ex):
        return self._single(*ex.ledger.delete_payment(ex.params["PaymentID"], ex.json()), "Payments")

    def _op_list_items(self, ex):
        return self._list(ex, list(ex.ledger.items.values()), "Items")

    def _op_create_items(self, ex):
        return self._batch(ex, "Items", "ItemID", ex.ledger.create_item, None)

    def _op_list_accounts(self, ex):
        return self._list(ex, list(ex.ledger.accounts.values()), "Accounts")

    def _op_list_tax_rates(self, ex):
        return 200, {"TaxRates": list(ex.ledger.tax_rates.values())}


#: query flags Xero reads as booleans; the spec types them ``boolean``, so only ``true``/``false`` are valid
BOOLEAN_ARGS = ("summarizeErrors", "includeArchived", "summaryOnly")


def _boolean_args(query: list[tuple[str, str]]) -> str | None:
    """openapi-core casts ``False`` to a boolean leniently; Xero and stricter validators (Prism) refuse it."""
    for name, value in query:
        if name in BOOLEAN_ARGS and value not in ("true", "false"):
            return f"query parameter {name}={value!r}: expected a boolean, true or false"
    return None


class _Handler(BaseHTTPRequestHandler):
    """HTTP plumbing only: read, hand to ``FakeXero.handle``, write; keep-alive like Xero's front end."""

    protocol_version = "HTTP/1.1"
    fake: FakeXero
    timeout = 30  # idle keep-alive connections do not pin a thread forever

    def setup(self) -> None:
        super().setup()
        with self.fake._lock:
            self.fake._open_sockets.add(self.connection)

    def finish(self) -> None:
        with self.fake._lock:
            self.fake._open_sockets.discard(self.connection)
        super().finish()

    def log_message(self, format, *args):  # noqa: A002 - silence per-request stderr lines
        return

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        headers = _headers(self.headers)
        tenant = next((v for k, v in headers.items() if k.lower() == "xero-tenant-id"), None)
        key = next((v for k, v in headers.items() if k.lower() == "idempotency-key"), None)
        query = parse_qsl(split.query, keep_blank_values=True)
        call = Call(self.command, split.path, "?", tenant, key, query=query)
        with self.fake._lock:
            self.fake.log.append(call)
        exchange = Exchange(self.command, split.path, query, headers, body, call)
        try:
            status, payload, extra = self.fake.handle(exchange)
        except Exception as exc:  # a bug in the fake must fail the test, not hang the client
            self.fake.violation(f"fake crashed on {self.command} {self.path}: {exc!r}")
            status, payload, extra = 500, {"Message": repr(exc)}, {}
        call.status = status
        data = b"" if payload is None else spec.dumps(payload)
        try:
            self.send_response(status)
            if payload is not None:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Xero-Correlation-Id", new_id())
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout); the work stands

    do_GET = do_PUT = do_POST = do_DELETE = _serve


def _headers(message: Message) -> dict[str, str]:
    return {name: value for name, value in message.items()}
