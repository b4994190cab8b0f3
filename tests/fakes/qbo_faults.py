"""QuickBooks Online faults as the fake raises them, and the plan of faults a test asks the fake to inject.

Messages, details and codes copy what QBO answers (as quoted in public SDK issues), so a client is tested
against the text it will really parse: 6240 "Duplicate Name Exists Error", 5010 "Stale Object Error",
610 "Object Not Found", 3001 ThrottleExceeded (an XML body even to a JSON client).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field


class QboFault(Exception):
    """One QBO ``Fault``: raised by the fake's store, rendered by the server (or per batch item)."""

    def __init__(self, code, message: str, detail: str = "", fault_type="ValidationFault", status=400, element=""):
        super().__init__(f"{code} {message}: {detail}")
        self.code = str(code)
        self.message = message
        self.detail = detail
        self.fault_type = fault_type
        self.status = status
        self.element = element

    def body(self) -> dict:
        error = {"Message": self.message, "Detail": self.detail, "code": self.code}
        if self.element:
            error["element"] = self.element
        return {"Error": [error], "type": self.fault_type}


def required(field_name: str) -> QboFault:
    return QboFault(
        2020,
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {field_name} is missing in the request",
        element=field_name,
    )


def invalid_reference(entity: str, ref_id) -> QboFault:
    return QboFault(2500, "Invalid Reference Id", f"Invalid Reference Id : {entity} {ref_id} does not exist")


def not_found(entity: str, object_id) -> QboFault:
    return QboFault(
        610,
        "Object Not Found",
        f"Object Not Found : Something you're trying to use has been made inactive. ({entity} {object_id})",
    )


def stale(sync_token) -> QboFault:
    return QboFault(
        5010,
        "Stale Object Error",
        f"Stale Object Error : You and Another User were working on this at the same time. Another User "
        f"finished before you did, so your work was not saved. (SyncToken {sync_token} is not the latest)",
    )


def duplicate_name(holder: str = "customer, vendor or employee") -> QboFault:
    return QboFault(
        6240,
        "Duplicate Name Exists Error",
        f"The name supplied already exists. : Another {holder} is already using this name. "
        "Please use a different name.",
    )


def duplicate_doc_number(number: str, entity: str, txn_id: str) -> QboFault:
    """6140, as QBO answers a DocNumber already used (its duplicate-number check is on by default)."""
    return QboFault(
        6140,
        "Duplicate Document Number Error",
        "Duplicate Document Number Error : You must specify a different number. This number has already been "
        f"used. DocNumber={number} is assigned to TxnType={entity} with TxnId={txn_id}",
    )


def business(detail: str) -> QboFault:
    message = "A business validation error has occurred while processing your request"
    return QboFault(6000, message, f"Business Validation Error: {detail}")


def schema_violation(errors: list[str], what: str) -> QboFault:
    """Request body outside Intuit's XSD: the fake refuses it like QBO's deserializer would."""
    return QboFault(2000, "Request has invalid or unsupported property", f"{what}: " + "; ".join(errors[:5]))


def server_error() -> QboFault:
    return QboFault(
        10000,
        "An application error has occurred while processing your request",
        "System Failure Error: An unexpected error occurred while accessing or saving your data.",
        fault_type="SystemFault",
        status=500,
    )


THROTTLE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="{time}">\n'
    '    <Fault type="SERVICE">\n'
    '        <Error code="3001">\n'
    "            <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>\n"
    "            <Detail>{detail}</Detail>\n"
    "        </Error>\n"
    "    </Fault>\n"
    "</IntuitResponse>\n"
)


def auth_failed_body(detail: str, time_text: str) -> dict:
    """QBO's 401 body: lower-case keys, outside the XSD (so the fake does not validate it)."""
    return {
        "warnings": None,
        "intuitObject": None,
        "fault": {
            "error": [
                {
                    "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                    "detail": detail,
                    "code": "3200",
                    "element": None,
                }
            ],
            "type": "AUTHENTICATION",
        },
        "time": time_text,
    }


# --- injection -----------------------------------------------------------------------------------------

KINDS = frozenset(
    {"throttle", "server_error", "slow", "stale", "expired_token", "duplicate_name", "not_found", "concurrent_edit"}
)
#: kinds that alter how a request is served instead of answering in its place
PASS_THROUGH = frozenset({"slow", "concurrent_edit"})


@dataclass(frozen=True)
class RequestInfo:
    """What a planned fault can match on."""

    method: str
    realm: str
    endpoint: str  # "invoice", "query", "batch", "cdc", ...
    operation: str  # "create", "update", "read", "void", "delete", "query", "batch", "cdc"


@dataclass
class PlannedFault:
    kind: str
    endpoint: str | None = None
    operation: str | None = None
    times: int = 1
    retry_after: float | None = None  # throttle: send a Retry-After header
    delay: float = 0.0  # slow: seconds before answering (the request is still processed)
    changes: dict | None = None  # concurrent_edit: what "another user" saves just before this request
    predicate: Callable[[RequestInfo], bool] | None = None
    hits: int = field(default=0)

    def matches(self, info: RequestInfo) -> bool:
        if self.endpoint and self.endpoint != info.endpoint:
            return False
        if self.operation and self.operation != info.operation:
            return False
        return self.predicate is None or self.predicate(info)


class FaultPlan:
    """Faults queued by a test; each fires for the next ``times`` matching requests, in queue order."""

    def __init__(self):
        self._lock = threading.Lock()
        self._queue: list[PlannedFault] = []

    def add(self, kind: str, **options) -> PlannedFault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; choose from {sorted(KINDS)}")
        planned = PlannedFault(kind, **options)
        with self._lock:
            self._queue.append(planned)
        return planned

    def take(self, info: RequestInfo) -> PlannedFault | None:
        with self._lock:
            for planned in self._queue:
                if planned.matches(info):
                    planned.hits += 1
                    if planned.hits >= planned.times:
                        self._queue.remove(planned)
                    return planned
        return None

    def pending(self) -> list[PlannedFault]:
        with self._lock:
            return list(self._queue)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
