"""Idempotency keys derived from what is being synced, so a retry can never create a second document.

A key depends on the record (model, id) and on its version (write_date or a content hash): retrying the
same version reuses the key and the remote side answers from its cache; a later edit gets a new key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

MAX_KEY_LENGTH = 128  # Xero's documented maximum; QBO's requestid allows less, see ``short``


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_hash(version: Any) -> str:
    """A short stable hash of a record version (a datetime, a string, a payload dict...).

    >>> version_hash("2024-05-01 10:00:00") == version_hash("2024-05-01 10:00:00")
    True
    """
    if isinstance(version, (dict, list, tuple)):
        text = payload_fingerprint(version)
    elif hasattr(version, "isoformat"):
        text = version.isoformat()
    else:
        text = str(version)
    return _digest(text)[:16]


def payload_fingerprint(payload: Any) -> str:
    """Canonical hash of a JSON-able payload (key order and whitespace do not matter)."""
    return _digest(json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str))


def idempotency_key(model: str, record_id: int | str, version: Any, operation: str = "create") -> str:
    """Readable when short (easier to trace in vendor logs), hashed when it would exceed 128 characters.

    >>> idempotency_key("account.move", 42, "2024-05-01 10:00:00")
    'account.move-42-create-40dd80df2c46b93d'
    """
    key = f"{model}-{record_id}-{operation}-{version_hash(version)}"
    if len(key) > MAX_KEY_LENGTH:
        key = _digest(key)
    return key


def batch_key(item_keys: Iterable[str], operation: str) -> str:
    """One key for a batch request: the same items in the same order give the same key."""
    return f"batch-{operation}-{_digest(chr(10).join(item_keys))[:48]}"


def short(key: str, length: int = 36) -> str:
    """Shorten a key for services with a tighter limit, keeping it deterministic."""
    return key if len(key) <= length else _digest(key)[:length]
