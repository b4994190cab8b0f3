"""One QBO company (realm) in memory: rows per entity, string ids, SyncTokens, MetaData times, CDC.

Every write goes through the same steps QBO applies: read-only fields dropped, the SyncToken checked
against the stored one (5010 when stale), entity rules run (validation, computed totals), side effects
on linked rows, SyncToken incremented and ``MetaData.LastUpdatedTime`` stamped.  Deleted rows leave a
tombstone so CDC can report ``status: Deleted``.  All times come from the injected clock, rendered in the
company's time zone like QBO does.
"""

from __future__ import annotations

import copy
import threading
from datetime import datetime, timedelta, timezone

from . import qbo_sql
from .qbo_faults import QboFault, business, invalid_reference, not_found, required, stale
from .qbo_rules import NAME_LISTS, READ_ONLY_ENTITIES, rules_for
from .qbo_seed import seed_rows

COMPANY_TZ = timezone(timedelta(hours=-8))  # QBO answers in the company's zone; fixed (no DST) for determinism
CDC_MAX_DAYS = 30
CDC_MAX_OBJECTS = 1000
SYSTEM_FIELDS = ("Id", "SyncToken", "MetaData", "domain", "sparse", "status")


def clean(value):
    """Drop what the SDK sends for unset fields (None, ""), recursively."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def parse_time(text: str) -> datetime:
    """QBO accepts times with or without an offset; without one they are in the company's zone."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError) as exc:
        raise QboFault(2010, "Request has invalid or unsupported property", f"Invalid date/time: {text!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=COMPANY_TZ)


class Company:
    def __init__(self, realm_id: str, clock, seed: bool = True, home_currency: str = "GBP"):
        self.realm_id = realm_id
        self.clock = clock
        self.home_currency = home_currency  # the seed is a UK company; other currencies need ExchangeRate
        self.home_totals: dict[tuple[str, str], object] = {}  # (Payment|BillPayment, Id) -> home amount booked
        self.lock = threading.RLock()
        self._rows: dict[str, dict[str, dict]] = {}
        self._tombstones: dict[str, dict[str, dict]] = {}
        self._next_id: dict[str, int] = {}
        self._doc_number = 1000
        self._touched: dict[int, dict] = {}
        if seed:
            for entity, rows in seed_rows().items():
                for row in rows:
                    self._insert(entity, row)

    # --- time ------------------------------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.time(), COMPANY_TZ).replace(microsecond=0)

    def stamp(self) -> str:
        return self.now().isoformat()

    def today(self) -> str:
        return self.now().date().isoformat()

    # --- lookups used by the rules ---------------------------------------------------------------------

    def find(self, entity: str, object_id: str) -> dict | None:
        return self._rows.get(entity, {}).get(str(object_id))

    def require(self, entity: str, object_id, reference: bool = False) -> dict:
        row = self.find(entity, str(object_id))
        if row is None:
            raise invalid_reference(entity, object_id) if reference else not_found(entity, object_id)
        return row

    def name_holder(self, display_name: str) -> tuple[str, str] | None:
        """Which customer, vendor or employee uses this name (QBO compares case-insensitively)."""
        wanted = display_name.strip().casefold()
        for entity in NAME_LISTS:
            for row in self._rows.get(entity, {}).values():
                if str(row.get("DisplayName", "")).strip().casefold() == wanted:
                    return entity, row["Id"]
        return None

    def next_doc_number(self) -> str:
        self._doc_number += 1
        return str(self._doc_number)

    def touch(self, row: dict) -> None:
        """Mark a linked row changed; its SyncToken moves once per operation, however often it is touched."""
        self._touched[id(row)] = row

    # --- operations ------------------------------------------------------------------------------------

    def read(self, entity: str, object_id: str) -> dict:
        with self.lock:
            return self._public(self.require(entity, object_id))

    def create(self, entity: str, body: dict) -> dict:
        self._writable(entity)
        with self.lock:
            rules = rules_for(entity)
            row = self._input(body, rules)
            row["Id"] = self._peek_id(entity)
            rules.prepare(self, row, None)
            stored = self._insert(entity, row)
            rules.apply(self, stored)
            self._flush_touched()
            return self._public(stored)

    def update(self, entity: str, body: dict) -> dict:
        self._writable(entity)
        with self.lock:
            rules = rules_for(entity)
            current = self._current_for_write(entity, body)
            incoming = self._input(body, rules)
            if body.get("sparse") in (True, "true"):
                row = {**copy.deepcopy(current), **incoming}
            else:
                keep = {key: current[key] for key in rules.read_only if key in current}
                row = {**keep, **incoming}
            row["Id"] = current["Id"]
            rules.prepare(self, row, current)
            rules.unapply(self, current)
            row["SyncToken"], row["MetaData"] = current["SyncToken"], dict(current["MetaData"])
            current.clear()
            current.update(row)
            self._bump(current)
            rules.apply(self, current)
            self._flush_touched()
            return self._public(current)

    def void(self, entity: str, body: dict) -> dict:
        with self.lock:
            rules = rules_for(entity)
            current = self._current_for_write(entity, body)
            if current.get("PrivateNote") == "Voided" and not current.get("TotalAmt"):
                raise business(f"{entity} {current['Id']} is already voided")
            rules.unapply(self, current)
            rules.void(self, current)
            self._bump(current)
            self._flush_touched()
            return self._public(current)

    def delete(self, entity: str, body: dict) -> dict:
        if entity in NAME_LISTS:
            raise business(f"A {entity} cannot be deleted; make it inactive (Active=false) instead")
        self._writable(entity)
        with self.lock:
            rules = rules_for(entity)
            current = self._current_for_write(entity, body)
            rules.unapply(self, current)
            del self._rows[entity][current["Id"]]
            tombstone = {
                "Id": current["Id"],
                "status": "Deleted",
                "domain": "QBO",
                "MetaData": {"LastUpdatedTime": self.stamp()},
            }
            self._tombstones.setdefault(entity, {})[current["Id"]] = tombstone
            self._flush_touched()
            return copy.deepcopy(tombstone)

    def query(self, statement: str) -> tuple[qbo_sql.Query, list[dict], int]:
        try:
            query = qbo_sql.parse(statement)
        except qbo_sql.QueryError as exc:
            raise QboFault(4000, "Error parsing query", f"QueryParserError: {exc}") from exc
        entity = self._entity_name(query.entity)
        with self.lock:
            rows = list(self._rows.get(entity, {}).values())
            if entity in NAME_LISTS and not any(c.path.lower() == "active" for c in query.conditions):
                rows = [row for row in rows if row.get("Active", True)]  # QBO hides inactive names by default
            try:
                page, total = query.run(rows)
            except qbo_sql.QueryError as exc:
                raise QboFault(4001, "Invalid query", f"QueryValidationError: {exc}") from exc
            query.entity = entity
            return query, [self._public(row) for row in page], total

    def changes(self, entities: list[str], changed_since: str) -> dict[str, list[dict]]:
        """CDC: rows and tombstones changed at or after ``changed_since``, at most 1,000 in all."""
        since = parse_time(changed_since)
        if since < self.now() - timedelta(days=CDC_MAX_DAYS):
            raise QboFault(
                4001,
                "Invalid request",
                f"Operation cdc with changedSince date {changed_since} which is older than fixed days "
                "is not supported.",
            )
        budget = CDC_MAX_OBJECTS
        found: dict[str, list[dict]] = {}
        with self.lock:
            for name in entities:
                entity = self._entity_name(name)
                candidates = list(self._rows.get(entity, {}).values()) + list(self._tombstones.get(entity, {}).values())
                changed = [row for row in candidates if parse_time(row["MetaData"]["LastUpdatedTime"]) >= since]
                changed.sort(key=lambda row: parse_time(row["MetaData"]["LastUpdatedTime"]))
                found[entity] = [self._public(row) for row in changed[:budget]]
                budget -= len(found[entity])
        return found

    # --- test helpers ----------------------------------------------------------------------------------

    def edit_as_another_user(self, entity: str, object_id: str, **changes) -> dict:
        """Change a row as someone in the QBO UI would: the client's SyncToken becomes stale."""
        with self.lock:
            current = self.require(entity, object_id)
            body = {"Id": current["Id"], "SyncToken": current["SyncToken"], "sparse": True, **changes}
        return self.update(entity, body)

    def stored(self, entity: str):
        """The stored rows themselves, for rules that only read them (no copies: a check per write stays cheap)."""
        return self._rows.get(entity, {}).values()

    def rows(self, entity: str) -> list[dict]:
        with self.lock:
            return [self._public(row) for row in self._rows.get(entity, {}).values()]

    # --- internals -------------------------------------------------------------------------------------

    def _entity_name(self, name: str) -> str:
        from .qbo_schema import entity_names  # local import: the schema loads lazily

        for known in entity_names():
            if known.lower() == name.lower():
                return known
        raise QboFault(4001, "Invalid query", f"QueryValidationError: Invalid context declaration : {name}")

    @staticmethod
    def _writable(entity: str) -> None:
        if entity in READ_ONLY_ENTITIES:
            raise QboFault(500, "Unsupported Operation", f"Operation create/update is not supported for {entity}")

    def _input(self, body: dict, rules) -> dict:
        row = clean({k: v for k, v in body.items() if k not in SYSTEM_FIELDS})
        for key in rules.read_only:
            row.pop(key, None)
        return row

    def _current_for_write(self, entity: str, body: dict) -> dict:
        object_id = body.get("Id")
        if object_id in (None, ""):
            raise required("Id")
        current = self.require(entity, str(object_id))
        if body.get("SyncToken") in (None, ""):
            raise required("SyncToken")
        if str(body["SyncToken"]) != current["SyncToken"]:
            raise stale(body["SyncToken"])
        return current

    def _peek_id(self, entity: str) -> str:
        return str(self._next_id.get(entity, 1))

    def _insert(self, entity: str, row: dict) -> dict:
        row = dict(row)
        row["Id"] = str(row.get("Id") or self._peek_id(entity))
        self._next_id[entity] = max(self._next_id.get(entity, 1), int(row["Id"]) + 1)
        row["SyncToken"] = "0"
        now = self.stamp()
        row["MetaData"] = {"CreateTime": now, "LastUpdatedTime": now}
        self._rows.setdefault(entity, {})[row["Id"]] = row
        return row

    def _bump(self, row: dict) -> None:
        row["SyncToken"] = str(int(row["SyncToken"]) + 1)
        row["MetaData"]["LastUpdatedTime"] = self.stamp()

    def _flush_touched(self) -> None:
        touched, self._touched = self._touched, {}
        for row in touched.values():
            self._bump(row)

    @staticmethod
    def _public(row: dict) -> dict:
        public = copy.deepcopy(row)
        public.setdefault("domain", "QBO")
        if public.get("status") != "Deleted":
            public["sparse"] = False
        return public
