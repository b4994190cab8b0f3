"""Batch writes (at most 30 items per request) with each item's outcome kept apart.

python-quickbooks' ``BatchManager`` numbers items with random uuids; the subclass uses the callers' keys
as ``bId`` so every answer maps back to its record and the same items always make the same request body
(hence the same batch requestid, see ``transport.QboSession.batch_operation``).
"""

from __future__ import annotations

from collections.abc import Sequence

from quickbooks.batch import BatchManager
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.batchrequest import BatchItemRequest, IntuitBatchRequest

from account_sync.engine.batching import chunks

from .errors import translate
from .settings import MAX_BATCH_ITEMS


class _KeyedBatch(BatchManager):
    def __init__(self, operation: str, keys: Sequence[str]):
        super().__init__(operation, max_request_items=MAX_BATCH_ITEMS)
        self._keys = list(keys)

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
        manager = _KeyedBatch("create", [key for key, _ in chunk])
        try:
            response = manager.process_batch([obj for _, obj in chunk], qb=session)
        except QuickbooksException as exc:
            raise translate(exc, f"batch of {len(chunk)} creates") from exc
        successes = iter(response.successes)  # the SDK appends them in answer order
        for item in response.batch_responses:
            outcome[item.bId] = item.Fault if item.Fault else next(successes)
    return outcome
