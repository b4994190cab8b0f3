"""Cutting work into vendor-sized batches while remembering which record went where."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` items.

    >>> [list(c) for c in chunks([1, 2, 3, 4, 5], 2)]
    [[1, 2], [3, 4], [5]]
    """
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sized_chunks(
    items: Sequence[T], size: int, max_bytes: int, weigh: Callable[[T], int], overhead: int = 0
) -> Iterator[list[T]]:
    """Consecutive batches of at most ``size`` items whose weights (request bytes) add up to ``max_bytes``
    at most, ``overhead`` (the envelope) included.  An item heavier than the limit on its own is yielded
    alone: the caller decides what to say about it (the server would refuse the whole request).

    >>> [list(c) for c in sized_chunks([5, 5, 5, 9, 1], size=10, max_bytes=12, weigh=int, overhead=2)]
    [[5, 5], [5], [9, 1]]
    >>> [list(c) for c in sized_chunks([1, 1, 1], size=2, max_bytes=100, weigh=int)]
    [[1, 1], [1]]
    """
    if size < 1:
        raise ValueError("batch size must be at least 1")
    batch: list[T] = []
    used = overhead
    for item in items:
        weight = weigh(item)
        if batch and (len(batch) >= size or used + weight > max_bytes):
            yield batch
            batch, used = [], overhead
        batch.append(item)
        used += weight
    if batch:
        yield batch
