"""Batch writes (at most 30 items per request) with each item's outcome kept apart.

python-quickbooks' ``BatchManager`` numbers items with random uuids (36 characters; QBO allows 10 once the
request has a requestid); the subclass derives each ``bId`` from the caller's key, so every answer maps
back to its record and the same items always make the same request body (hence the same batch requestid,
see ``transport.QboSession.batch_operation``).
"""

from __future__ import annotations

from collections.abc import Sequence

from quickbooks.batch import BatchManager
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.batchrequest import BatchItemRequest, IntuitBatchRequest

from account_sync.engine.batching import chunks
from account_sync.engine.idempotency import short

from .errors import translate
from .settings import MAX_BATCH_ITEMS

MAX_BID_LENGTH = 10  # QBO's limit on a batch item id when the request carries a requestid


def batch_item_id(key: str) -> str:
    """The ``bId`` of the item whose record key is ``key``: 10 characters of its hash, deterministic, so a
    resent batch is the same body (hence the same batch requestid, answered from QBO's cache).

    >>> batch_item_id("3f1c0a52d9e84b7fa6c2e1d0b9a87654"), len(batch_item_id("x" * 36))
    ('045a070caf', 10)
    """
    return short(key, MAX_BID_LENGTH)


class _KeyedBatch(BatchManager):
    def __init__(self, operation: str, keys: Sequence[str]):
        super().__init__(operation, max_request_items=MAX_BATCH_ITEMS)
        self._keys = [batch_item_id(key) for key in keys]

    def list_to_batch_request(self, obj_list):
        batch = IntuitBatchRequest()
        for key, obj in zip(self._keys, obj_list, strict=True):
            item = BatchItemRequest()
            item.bId = key
            item.operation = self._operation
            item.set_object(obj)
            batch.BatchItemRequest.append(item)
        return batch


def fault_messages(fault) -> tuple[str, ...]:
    return tuple(f"QBO {error.code}: {error.Message} ({error.Detail})" for error in fault.Error)


def fault_codes(fault) -> set[int]:
    return {int(error.code) for error in fault.Error if str(error.code).isdigit()}


def batch_create(session, keyed: Sequence[tuple[str, object]]) -> dict[str, object]:
    """Create every object; key -> the created object, or the item's ``Fault`` when QBO refused it."""
    keys = [key for key, _ in keyed]
    if len(set(keys)) != len(keys):
        raise ValueError("batch keys must be unique")
    outcome: dict[str, object] = {}
    for chunk in chunks(list(keyed), MAX_BATCH_ITEMS):
        keys = {batch_item_id(key): key for key, _ in chunk}
        if len(keys) != len(chunk):  # 40 bits of hash: two keys of one batch colliding is not expected
            raise ValueError("two records of one batch have the same batch item id")
        manager = _KeyedBatch("create", [key for key, _ in chunk])
        try:
            response = manager.process_batch([obj for _, obj in chunk], qb=session)
        except QuickbooksException as exc:
            raise translate(exc, f"batch of {len(chunk)} creates") from exc
        successes = iter(response.successes)  # the SDK appends them in answer order
        for item in response.batch_responses:
            outcome[keys[item.bId]] = item.Fault if item.Fault else next(successes)
    return outcome
