"""Why an imported bill waits for a person, in one sentence: shown on the bill, its import record and its activity.

A bill imported from a file and left in draft always waits for someone: either its import needs a look
(a file that could not be read, a duplicate, fields read with low confidence, a purchase order that does
not match), or everything is in order but no rule posts it automatically (``engine/autopost.py``). Users
saw a green *Ready* on such a bill's import record and nothing on the bill; this says what it waits for.
"""

from dataclasses import dataclass

from .states import DUPLICATE, EXCEPTION, FAILED, MATCHED, QUEUED, READY, TO_REVIEW, WAITING  # noqa: F401 (READY: the doctests)


@dataclass(frozen=True)
class Waiting:
    """An import as the review sees it.

    ``state``: the import record's state; ``match_state``: the purchase order match (``matched``,
    ``waiting``, ``exception`` or None); ``orders``: purchase order names of the match;
    ``low_fields``: labels of the fields read with low confidence; ``error``: why the file failed, in
    words; ``duplicate_of``: the name of the bill it duplicates (None once resolved);
    ``autopost``: the auto-posting decision's sentence, for a bill that is in order.
    """

    state: str
    match_state: str = None
    orders: tuple = ()
    low_fields: tuple = ()
    error: str = None
    duplicate_of: str = None
    autopost: str = None


def waiting_reason(waiting):
    """The sentence saying what a draft imported bill waits for, or None when it waits for no person (OCR queue).

    >>> waiting_reason(Waiting(READY, "matched", ("PO-88123",)))
    'Waiting for confirmation: matched to PO-88123.'
    >>> waiting_reason(Waiting(TO_REVIEW, "waiting", ("PO-4711",)))
    'Waiting for a purchase order or a receipt: a line is not on PO-4711 or bills more than was received.'
    >>> waiting_reason(Waiting(TO_REVIEW, low_fields=("Supplier", "Total")))
    'To review: check the fields read with low confidence (Supplier, Total).'
    >>> waiting_reason(Waiting(QUEUED)) is None
    True
    """
    orders = ", ".join(waiting.orders)
    if waiting.state == QUEUED:
        return None
    if waiting.state == FAILED:
        return f"The file could not be read: {waiting.error or 'see the import record'}."
    if waiting.state == DUPLICATE:
        if not waiting.duplicate_of:
            return None
        return f"Already imported as {waiting.duplicate_of}: link this document to it, or replace its document."
    if waiting.match_state == WAITING and waiting.state == TO_REVIEW:
        on = orders or "an open purchase order"
        return f"Waiting for a purchase order or a receipt: a line is not on {on} or bills more than was received."
    if waiting.match_state == EXCEPTION and waiting.state == TO_REVIEW:
        return f"To review: outside the matching tolerance of {orders or 'its purchase order'}."
    if waiting.state == TO_REVIEW:
        if waiting.low_fields:
            return f"To review: check the fields read with low confidence ({', '.join(waiting.low_fields)})."
        return "To review: check the warnings on the Import tab."
    sentence = "Waiting for confirmation"
    sentence += f": matched to {orders}." if waiting.match_state == MATCHED and orders else "."
    return f"{sentence} {waiting.autopost}" if waiting.autopost else sentence
