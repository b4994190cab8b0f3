"""What changed in QBO since a moment: CDC while it can answer, paged queries when it cannot.

CDC (``GET /cdc``) reports updates *and deletions* but only looks 30 days back and returns at most 1,000
objects per call with no paging.  So: a window older than 30 days goes to a query on
``MetaData.LastUpdatedTime`` (which cannot see deletions); a CDC answer that hit the cap is continued
from the newest timestamp it contained, and if a single second holds more than 1,000 changes the rest
is paged with queries.  Rows come back as QBO's JSON, oldest first, without duplicates.
"""

from __future__ import annotations

import datetime as dt

from quickbooks.exceptions import QuickbooksException

from .errors import translate
from .settings import CDC_MAX_DAYS, CDC_MAX_OBJECTS, QUERY_PAGE

CDC_SAFETY = dt.timedelta(hours=1)  # stay clear of the 30-day edge: clocks differ


def qbo_time(moment: dt.datetime) -> str:
    """QBO reads a time without offset in the company's zone: always send one (naive means UTC here).

    >>> qbo_time(dt.datetime(2026, 11, 2, 9, 30, 15, 999))
    '2026-11-02T09:30:15+00:00'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.isoformat(timespec="seconds")


def _updated(row: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(row["MetaData"]["LastUpdatedTime"])


class ChangeReader:
    def __init__(self, session, clock):
        self.session = session
        self.clock = clock
        self.cdc_calls = 0
        self.query_calls = 0

    def since(self, entity: str, moment: dt.datetime) -> list[dict]:
        now = dt.datetime.fromtimestamp(self.clock.time(), dt.timezone.utc)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        if now - moment > dt.timedelta(days=CDC_MAX_DAYS) - CDC_SAFETY:
            return self._queried(entity, moment)
        return self._captured(entity, moment)

    def _captured(self, entity: str, moment: dt.datetime) -> list[dict]:
        found: dict[tuple[str, str], dict] = {}
        cursor = moment
        while True:
            rows = self._cdc(entity, cursor)
            for row in rows:
                found[(row["Id"], row["MetaData"]["LastUpdatedTime"])] = row
            if len(rows) < CDC_MAX_OBJECTS:
                break
            newest = max(_updated(row) for row in rows)
            if newest <= cursor:  # one second holds more than the cap: page that second with queries
                for row in self._queried(entity, cursor):
                    found.setdefault((row["Id"], row["MetaData"]["LastUpdatedTime"]), row)
                break
            cursor = newest
        return sorted(found.values(), key=_updated)

    def _cdc(self, entity: str, cursor: dt.datetime) -> list[dict]:
        self.cdc_calls += 1
        try:
            answer = self.session.change_data_capture(entity, qbo_time(cursor))
        except QuickbooksException as exc:
            raise translate(exc, f"read {entity} changes since {qbo_time(cursor)}") from exc
        rows = []
        for response in answer.get("CDCResponse", []):
            for query in response.get("QueryResponse", []):
                rows.extend(query.get(entity, []))
        return rows

    def _queried(self, entity: str, moment: dt.datetime) -> list[dict]:
        rows, start = [], 1
        while True:
            statement = (
                f"SELECT * FROM {entity} WHERE MetaData.LastUpdatedTime >= '{qbo_time(moment)}' "
                f"ORDERBY MetaData.LastUpdatedTime STARTPOSITION {start} MAXRESULTS {QUERY_PAGE}"
            )
            self.query_calls += 1
            try:
                page = self.session.query(statement).get("QueryResponse", {}).get(entity, [])
            except QuickbooksException as exc:
                raise translate(exc, f"query {entity} changed since {qbo_time(moment)}") from exc
            rows.extend(page)
            if len(page) < QUERY_PAGE:
                return rows
            start += QUERY_PAGE
