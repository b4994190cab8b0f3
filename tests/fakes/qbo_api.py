"""The v3 accounting API of the fake: routing, auth, throttles, injected faults, requestid replay, XSD checks.

Transport-free (the HTTP handler in ``qbo_server`` only parses and writes bytes), so each concern reads
top to bottom in ``Api.handle``.  Every JSON body in either direction is validated against Intuit's
XSD; a violation is answered with a ValidationFault *and* recorded on the fake, whose owner fails the
test: a fake that quietly accepted a malformed body would prove nothing.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from . import qbo_schema
from .qbo_faults import (
    PASS_THROUGH,
    THROTTLE_XML,
    QboFault,
    RequestInfo,
    auth_failed_body,
    duplicate_name,
    not_found,
    schema_violation,
    server_error,
    stale,
)
from .qbo_store import Company

MAX_BATCH_ITEMS = 30
MAX_BID_LENGTH = 10  # QBO's limit on a batch item id once the request carries a requestid
JSON_TYPE = "application/json;charset=UTF-8"


@dataclass
class ApiRequest:
    method: str
    realm: str
    segments: list[str]  # path after /v3/company/<realm>/
    params: dict[str, str]
    content_type: str
    body: bytes
    bearer: str | None


@dataclass
class ApiResponse:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Recorded:
    """One API call as the fake saw it, for tests that count calls."""

    method: str
    realm: str
    endpoint: str
    operation: str
    requestid: str | None
    status: int
    replayed: bool = False


def classify(request: ApiRequest) -> RequestInfo:
    endpoint = request.segments[0].lower() if request.segments else ""
    if endpoint in ("query", "cdc", "batch"):
        operation = endpoint
    elif request.method == "GET":
        operation = "read"
    else:
        op = request.params.get("operation", "")
        if op == "void" or (op == "update" and request.params.get("include") == "void"):
            operation = "void"
        elif op == "delete":
            operation = "delete"
        else:
            operation = "write"  # create or update: decided by the body's Id
    return RequestInfo(request.method, request.realm, endpoint, operation)


class Api:
    def __init__(self, fake):
        self.fake = fake
        self._replay: dict[tuple[str, str], ApiResponse] = {}
        self._replay_locks: dict[tuple[str, str], threading.Lock] = defaultdict(threading.Lock)
        self._guard = threading.Lock()

    # --- the pipeline ------------------------------------------------------------------------------

    def handle(self, request: ApiRequest) -> ApiResponse:
        info = classify(request)
        planned = self.fake.faults.take(info)
        delay = planned.delay if planned is not None and planned.kind == "slow" else 0.0
        if planned is not None and planned.kind not in PASS_THROUGH:
            return self._recorded(request, info, self._injected(planned, request))
        response = self._gate(request)
        if response is not None:
            return self._recorded(request, info, response)
        if planned is not None and planned.kind == "concurrent_edit":
            self._edit_first(request, info, planned.changes or {})
        throttle = self.fake.throttle
        if throttle is not None:
            problem = throttle.enter(request.realm, batch=info.endpoint == "batch")
            if problem is not None:
                refusal = self._throttled(f"The request limit was reached ({problem}).  Try again later", {})
                return self._recorded(request, info, refusal)
        try:  # in flight (for the concurrency limit) until the answer leaves, a slow one included
            response, replayed = self._with_replay(request, info)
            self._recorded(request, info, response, replayed)
            if delay:
                time.sleep(delay)  # a "slow" fault: the work is done, the answer comes late
            return response
        finally:
            if throttle is not None:
                throttle.leave(request.realm)

    def _recorded(self, request: ApiRequest, info: RequestInfo, response: ApiResponse, replayed=False) -> ApiResponse:
        requestid = request.params.get("requestid")
        self.fake.record(
            Recorded(request.method, request.realm, info.endpoint, info.operation, requestid, response.status, replayed)
        )
        return response

    def _gate(self, request: ApiRequest) -> ApiResponse | None:
        """Auth and company checks: answers that never reach the company's data."""
        problem = self.fake.oauth.check(request.bearer, request.realm)
        if problem is not None:
            return self._json(401, auth_failed_body(problem, self._time()), validate=False)
        if request.realm not in self.fake.companies:
            return self._fault(QboFault(3100, "ApplicationAuthorizationFailed", "Unknown company", status=403))
        return None

    def _edit_first(self, request: ApiRequest, info: RequestInfo, changes: dict) -> None:
        """Another user saves the object this request is about to write: its SyncToken becomes stale."""
        try:
            object_id = json.loads(request.body or b"{}").get("Id")
        except ValueError:
            return
        if object_id:
            self.fake.companies[request.realm].edit_as_another_user(company_entity(info.endpoint), object_id, **changes)

    def _injected(self, planned, request: ApiRequest) -> ApiResponse:
        if planned.kind == "throttle":
            headers = {} if planned.retry_after is None else {"Retry-After": str(planned.retry_after)}
            return self._throttled("The request limit was reached.  Try again later", headers)
        if planned.kind == "expired_token":
            self.fake.oauth.expire(request.bearer)
            return self._json(401, auth_failed_body("Token expired", self._time()), validate=False)
        fault = {
            "server_error": server_error,
            "stale": lambda: stale("(injected)"),
            "duplicate_name": duplicate_name,
            "not_found": lambda: not_found("(injected)", "?"),
        }[planned.kind]()
        return self._fault(fault)

    def _with_replay(self, request: ApiRequest, info: RequestInfo) -> tuple[ApiResponse, bool]:
        """QBO answers a repeated ``requestid`` with the first answer instead of doing the work twice."""
        requestid = request.params.get("requestid")
        if not requestid:
            return self._process(request, info), False
        key = (request.realm, requestid)
        with self._guard:
            lock = self._replay_locks[key]
        with lock:
            if key in self._replay:
                cached = self._replay[key]
                return ApiResponse(cached.status, cached.body, cached.content_type, dict(cached.headers)), True
            response = self._process(request, info)
            if response.status < 500 and response.status not in (401, 429):
                self._replay[key] = response
            return response, False

    # --- the work ----------------------------------------------------------------------------------

    def _process(self, request: ApiRequest, info: RequestInfo) -> ApiResponse:
        company = self.fake.companies[request.realm]
        try:
            if info.operation == "query":
                return self._json(200, {"QueryResponse": self._query(company, self._query_text(request))})
            if info.operation == "cdc":
                return self._json(200, self._cdc(company, request.params))
            if info.operation == "batch":
                return self._json(200, {"BatchItemResponse": self._batch(company, self._body(request, "batch"))})
            entity = company_entity(info.endpoint)
            if info.operation == "read":
                if len(request.segments) != 2:
                    raise QboFault(500, "Unsupported Operation", f"GET {'/'.join(request.segments)} is not supported")
                return self._json(200, {entity: company.read(entity, request.segments[1])})
            body = self._body(request, entity)
            return self._json(200, {entity: self._write(company, entity, info.operation, body)})
        except QboFault as fault:
            return self._fault(fault)

    @staticmethod
    def _write(company: Company, entity: str, operation: str, body: dict) -> dict:
        if operation == "void":
            return company.void(entity, body)
        if operation == "delete":
            return company.delete(entity, body)
        if body.get("Id") not in (None, ""):
            return company.update(entity, body)
        return company.create(entity, body)

    def _query(self, company: Company, statement: str) -> dict:
        query, rows, total = company.query(statement)
        if query.count:
            return {"totalCount": total}
        if not rows:
            return {}
        return {query.entity: rows, "startPosition": query.start_position, "maxResults": len(rows)}

    def _cdc(self, company: Company, params: dict[str, str]) -> dict:
        entities = [name for name in params.get("entities", "").split(",") if name]
        if not entities or not params.get("changedSince"):
            raise QboFault(2020, "Required param missing", "entities and changedSince are required")
        answers = []
        for entity, rows in company.changes(entities, params["changedSince"]).items():
            answers.append({entity: rows, "startPosition": 1, "maxResults": len(rows)} if rows else {})
        return {"CDCResponse": [{"QueryResponse": answers}]}

    def _batch(self, company: Company, body: dict) -> list[dict]:
        items = body.get("BatchItemRequest") or []
        if len(items) > MAX_BATCH_ITEMS:
            raise QboFault(2010, "Request has invalid or unsupported property", "Batch size exceeds the maximum of 30")
        ids = [str(item.get("bId") or "") for item in items]
        too_long = [bid for bid in ids if len(bid) > MAX_BID_LENGTH]
        if too_long:
            detail = f"bId {too_long[0]!r} is longer than {MAX_BID_LENGTH} characters"
            raise QboFault(2010, "Request has invalid or unsupported property", detail)
        if len(set(ids)) != len(ids):
            raise QboFault(2010, "Request has invalid or unsupported property", "bId values must be unique")
        return [self._batch_item(company, item) for item in items]

    def _batch_item(self, company: Company, item: dict) -> dict:
        answer = {"bId": item.get("bId")}
        try:
            if "Query" in item:
                answer["QueryResponse"] = self._query(company, item["Query"])
                return answer
            entity = next(key for key in item if key not in ("bId", "operation", "optionsData"))
            operation = item.get("operation")
            if operation == "update" and item.get("optionsData") == "void":
                operation = "void"
            elif operation == "create" and item[entity].get("Id") not in (None, ""):
                raise QboFault(2010, "Request has invalid or unsupported property", "Id is not allowed on create")
            answer[entity] = self._write(company, entity, operation if operation != "create" else "write", item[entity])
        except QboFault as fault:
            answer["Fault"] = fault.body()
        return answer

    # --- bodies in and out -------------------------------------------------------------------------

    def _body(self, request: ApiRequest, element: str) -> dict:
        try:
            body = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise QboFault(2000, "Request has invalid or unsupported property", f"Invalid JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise QboFault(2000, "Request has invalid or unsupported property", "The body must be a JSON object")
        name = "IntuitBatchRequest" if element == "batch" else element
        errors = qbo_schema.validate(name, body)
        if errors:
            self.fake.violation(f"request {request.method} {'/'.join(request.segments)}", errors)
            raise schema_violation(errors, name)
        return body

    @staticmethod
    def _query_text(request: ApiRequest) -> str:
        if request.method == "GET":
            return request.params.get("query", "")
        if not request.content_type.startswith(("application/text", "text/plain")):
            detail = f"A query is sent as application/text, not {request.content_type}"
            raise QboFault(2000, "Unsupported Media Type", detail)
        return request.body.decode("utf-8")

    def _fault(self, fault: QboFault) -> ApiResponse:
        return self._json(fault.status, {"Fault": fault.body()})

    def _json(self, status: int, payload: dict, validate: bool = True) -> ApiResponse:
        payload = {**payload, "time": self._time()} if "time" not in payload else payload
        if validate:
            errors = qbo_schema.validate("IntuitResponse", payload)
            if errors:
                self.fake.violation(f"response {status} {next(iter(payload))}", errors)
        return ApiResponse(status, json.dumps(payload).encode("utf-8"))

    def _throttled(self, detail: str, headers: dict[str, str]) -> ApiResponse:
        body = THROTTLE_XML.format(time=self._time(), detail=detail)
        errors = qbo_schema.validate_xml(body)
        if errors:
            self.fake.violation("response 429 (XML)", errors)
        return ApiResponse(429, body.encode("utf-8"), "application/xml;charset=UTF-8", headers)

    def _time(self) -> str:
        company = next(iter(self.fake.companies.values()))
        return company.now().isoformat(timespec="milliseconds")


def company_entity(endpoint: str) -> str:
    for name in qbo_schema.entity_names():
        if name.lower() == endpoint:
            return name
    raise QboFault(500, "Unsupported Operation", f"Operation {endpoint} is not supported")


def parse_params(query: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(query, keep_blank_values=True).items()}
