"""Xero's own OpenAPI descriptions, prepared once per process, as the judge of every fake exchange.

The published spec needs three fixes before openapi-core can use it (see shared/notes): string booleans
('false') become booleans, ``servers`` point at the local fake, and ``readOnly`` is stripped in the copy
that judges requests because the SDK sends read-only fields back.  Security requirements are dropped:
the fake checks bearer tokens itself, with Xero's own 401/403 answers.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_schema_validator import OAS30Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

REPO = Path(__file__).resolve().parents[2]
SPEC_DIR = Path(os.environ.get("SHARED_DIR", REPO.parent / "shared")) / "specs" / "xero"
LOCAL_HOST = "http://127.0.0.1"  # the port does not matter to validation; requests are matched by path
API_PREFIX = "/api.xro/2.0"


def _load(name: str) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(SPEC_DIR / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def _fix_string_booleans(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("default", "example") and value in ("true", "false"):
                node[key] = value == "true"
            else:
                _fix_string_booleans(value)
    elif isinstance(node, list):
        for item in node:
            _fix_string_booleans(item)


def _strip(node: Any, keys: tuple[str, ...]) -> None:
    if isinstance(node, dict):
        for key in keys:
            node.pop(key, None)
        for value in node.values():
            _strip(value, keys)
    elif isinstance(node, list):
        for item in node:
            _strip(item, keys)


def _prepare(spec: dict, base_path: str) -> dict:
    spec = copy.deepcopy(spec)
    _fix_string_booleans(spec)
    spec["servers"] = [{"url": LOCAL_HOST + base_path}]
    spec.pop("security", None)
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
    return spec


@dataclass
class Judge:
    """Request and response validators for one spec, plus its declared status codes per operation."""

    request: OpenAPI
    response: OpenAPI
    components: dict = field(repr=False)

    declared_cache: dict = field(default_factory=dict, repr=False)

    def schema(self, name: str) -> dict:
        return self.components["schemas"][name]

    def declared(self, method: str, spec_path: str) -> frozenset[str]:
        """Status codes the spec declares for an operation (``spec_path`` as written in the spec)."""
        key = (method.lower(), spec_path)
        if key not in self.declared_cache:
            operation = (self.response.spec / "paths" / spec_path / key[0]).read_value()
            self.declared_cache[key] = frozenset(operation.get("responses", {}))
        return self.declared_cache[key]


def _judge(name: str, base_path: str) -> Judge:
    spec = _prepare(_load(name), base_path)
    request_spec = copy.deepcopy(spec)
    _strip(request_spec, ("readOnly",))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Judge(OpenAPI.from_dict(request_spec), OpenAPI.from_dict(spec), spec["components"])


@functools.lru_cache(maxsize=1)
def accounting() -> Judge:
    return _judge("xero_accounting.yaml", API_PREFIX)


@functools.lru_cache(maxsize=1)
def identity() -> Judge:
    return _judge("xero-identity.yaml", "")


class SpecRequest:
    """openapi-core's request protocol over what the fake's HTTP handler received."""

    host_url = LOCAL_HOST

    def __init__(self, method: str, path: str, query: list[tuple[str, str]], headers: dict[str, str], body: bytes):
        self.method = method.lower()
        self.path = path
        self.body = body or None
        self.content_type = headers.get("Content-Type") or headers.get("content-type") or "application/json"
        self.parameters = RequestParameters(query=ImmutableMultiDict(query), header=Headers(list(headers.items())))


class SpecResponse:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status_code = status
        self.data = body
        self.headers = Headers(list(headers.items()))
        self.content_type = headers.get("Content-Type", "application/json")


def _describe(exc: Exception) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    cause = exc.__cause__ or exc.__context__
    while cause is not None:
        errors = getattr(cause, "schema_errors", None)
        if errors:
            parts.extend(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in list(errors)[:10])
        else:
            parts.append(f"{type(cause).__name__}: {cause}")
        cause = cause.__cause__ or cause.__context__
    return "; ".join(parts)


def check_request(judge: Judge, request: SpecRequest) -> str | None:
    """None when the spec accepts the request, else a readable reason."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            judge.request.validate_request(request)
        except Exception as exc:  # openapi-core raises a family of errors; all mean "rejected"
            return _describe(exc)
    return None


def check_response(judge: Judge, request: SpecRequest, response: SpecResponse) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            judge.response.validate_response(request, response)
        except Exception as exc:
            return _describe(exc)
    return None


def check_schema(judge: Judge, schema_name: str, instance: Any) -> str | None:
    """For exchanges the spec describes only as a schema (the token endpoint's AccessToken)."""
    validator = OAS30Validator(judge.schema(schema_name))
    errors = sorted(validator.iter_errors(instance), key=str)
    if errors:
        return "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])
    return None


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")
