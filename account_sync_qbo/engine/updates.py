"""Optimistic concurrency: every update carries the SyncToken just read, and a stale one is never forced.

QBO rejects an update whose SyncToken is not the latest (fault 5010).  The answer is not to fetch the new
token and resend the same full object, which would erase whatever the other writer changed, but to
re-read the object, check it still accepts our change (not voided, not deleted), and re-apply *only the
fields we own* as a sparse update on top of the fresh version.  Each attempt has its own requestid
(derived from the SyncToken it carries), so a network-level resend is answered from QBO's cache while a
re-applied attempt is a new request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from quickbooks.exceptions import QuickbooksException
from quickbooks.mixins import DecimalEncoder

from account_sync.engine.idempotency import short

from .errors import STALE_OBJECT, ConcurrentModification, RemoteStateConflict, code_of, translate


def sparse_copy(desired, fields: Iterable[str]):
    """A new SDK object holding only ``fields`` of ``desired``: the SDK's defaults would overwrite QBO's data."""
    body = type(desired)()
    for key in list(vars(body)):
        if not key.startswith("_"):
            setattr(body, key, None)
    for field in fields:
        value = getattr(desired, field, None)
        if value is not None and value != "":
            setattr(body, field, value)
    body.sparse = True
    return body


def is_voided(row) -> bool:
    """QBO keeps a voided transaction with a zero total and "Voided" at the start of its memo."""
    total = getattr(row, "TotalAmt", None)
    note = str(getattr(row, "PrivateNote", "") or "")
    return total is not None and note.startswith("Voided") and not float(total or 0)


def refuse_voided(row) -> None:
    if is_voided(row):
        raise RemoteStateConflict(f"{row.qbo_object_name} {row.Id} was voided in QuickBooks; it is not updated")


class Updater:
    def __init__(self, session, max_conflicts: int):
        self.session = session
        self.max_conflicts = max_conflicts
        self.conflicts = 0

    def read(self, cls, remote_id: str):
        try:
            return cls.get(remote_id, qb=self.session)
        except QuickbooksException as exc:
            raise translate(exc, f"read {cls.qbo_object_name} {remote_id}") from exc

    def update(self, desired, remote_id: str, fields: Iterable[str], key: str, check: Callable = refuse_voided):
        """Sparse-update ``fields`` of object ``remote_id`` to their values in ``desired``."""
        fields = tuple(fields)
        name = desired.qbo_object_name

        def attempt(current):
            body = sparse_copy(desired, fields)
            body.Id, body.SyncToken = str(remote_id), current.SyncToken
            return body.save(qb=self.session, request_id=short(f"{key}-{current.SyncToken}"))

        return self._with_fresh_copy(type(desired), remote_id, attempt, check, f"update {name} {remote_id}")

    def void(self, cls, remote_id: str, key: str):
        """Void (idempotent: an object found already voided is left as is)."""

        def attempt(current):
            if is_voided(current):
                return current
            url = f"{self.session.api_url}/company/{self.session.company_id}/{cls.qbo_object_name.lower()}"
            params = {**current.get_void_params(), "requestid": short(f"{key}-{current.SyncToken}")}
            data = json.dumps(current.get_void_data(), cls=DecimalEncoder)
            return cls.from_json(self.session.post(url, data, params=params)[cls.qbo_object_name])

        what = f"void {cls.qbo_object_name} {remote_id}"
        return self._with_fresh_copy(cls, remote_id, attempt, lambda row: None, what)

    def delete(self, cls, remote_id: str, key: str):
        """Delete with the SyncToken just read (for what QBO cannot void); a missing object raises RemoteNotFound."""

        def attempt(current):
            return current.delete(qb=self.session, request_id=short(f"{key}-{current.SyncToken}"))

        return self._with_fresh_copy(
            cls, remote_id, attempt, lambda row: None, f"delete {cls.qbo_object_name} {remote_id}"
        )

    def _with_fresh_copy(self, cls, remote_id, attempt, check, what: str):
        for _ in range(self.max_conflicts + 1):
            current = self.read(cls, remote_id)
            check(current)
            try:
                return attempt(current)
            except QuickbooksException as exc:
                if code_of(exc) != STALE_OBJECT:
                    raise translate(exc, what) from exc
                self.conflicts += 1  # someone else saved first: re-read and re-apply
        raise ConcurrentModification(f"{what}: still changing remotely after {self.max_conflicts} re-reads")
