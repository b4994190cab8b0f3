"""Xero's wire conventions the fake must reproduce exactly, or the SDK fails to read its answers."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil import parser as dateparser

MS_DATE = re.compile(r"/Date\((?P<ms>-?\d+)(?P<tz>[+-]\d{4})?\)/")
CENT = Decimal("0.01")
NIL_UUID = "00000000-0000-0000-0000-000000000000"


def new_id() -> str:
    return str(uuid.uuid4())


def ms_date(epoch_seconds: float) -> str:
    """Xero's JSON date: ``/Date(1700000000000+0000)/``."""
    return f"/Date({int(round(epoch_seconds * 1000))}+0000)/"


def date_to_epoch(day: dt.date) -> float:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()


def parse_date(value: Any) -> dt.date | None:
    """Accept what Xero accepts: ``/Date(ms)/`` (what the SDK sends) or ISO ``2024-05-01``."""
    if not value:
        return None
    match = MS_DATE.fullmatch(str(value))
    if match:
        return dt.datetime.fromtimestamp(int(match["ms"]) / 1000, tz=dt.timezone.utc).date()
    return dateparser.isoparse(str(value)).date()


def parse_http_time(value: str) -> float:
    """If-Modified-Since: the SDK sends ISO 8601, browsers and docs use RFC 1123; naive means UTC."""
    try:
        when = dateparser.isoparse(value)
    except ValueError:
        when = dateparser.parse(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.timestamp()


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def number(value: Any, default: str = "0") -> Decimal:
    return Decimal(str(value if value is not None else default))


def public(node: Any) -> Any:
    """JSON-ready copy: internal ``_keys`` dropped, Decimals as numbers."""
    if isinstance(node, dict):
        return {k: public(v) for k, v in node.items() if not k.startswith("_")}
    if isinstance(node, list):
        return [public(v) for v in node]
    if isinstance(node, Decimal):
        return float(node)
    return node
