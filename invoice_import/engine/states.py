"""The states of the import's records, each defined once: the models build their selections from these.

Plain strings (what the database stores), grouped per record, each with
its label in English (the models' selections; Odoo translates them).

>>> [state for state, _label in selection(DOCUMENT_STATES, DOCUMENT_STATE_LABELS)][:2]
['to_review', 'ready']
>>> MATCHED in MATCH_STATES, IMPORTED in MAIL_STATES
(True, True)
"""

# The import document (``invoice.import.document.state``): what became of one invoice of a file.
TO_REVIEW = "to_review"  # a bill was filled; a person checks it before it is confirmed
READY = "ready"  # a bill was filled, every key field read surely, nothing odd
FAILED = "failed"  # the file could not be read or the bill not filled: the document keeps the file and why
DUPLICATE = "duplicate"  # already imported: the existing bill is left alone until a person decides
QUEUED = "queued"  # the file needs OCR: the scheduled job reads it
DOCUMENT_STATES = (TO_REVIEW, READY, FAILED, DUPLICATE, QUEUED)
# The states of a document whose bill was filled from it.
FILLED_STATES = (READY, TO_REVIEW)
DOCUMENT_STATE_LABELS = {
    TO_REVIEW: "To Review",
    READY: "Ready",
    FAILED: "Failed",
    DUPLICATE: "Duplicate",
    QUEUED: "Queued for OCR",
}

# The purchase order match of a document (``invoice.import.document.match_state``).
WAITING = "waiting"  # a line is on no open PO line, or bills more than was received: matched again later
EXCEPTION = "exception"  # on the order, but outside the tolerance rules
MATCHED = "matched"  # every line and the total within tolerance
MATCH_STATES = (WAITING, EXCEPTION, MATCHED)
MATCH_STATE_LABELS = {
    WAITING: "Waiting for a PO or a receipt",
    EXCEPTION: "Outside tolerance",
    MATCHED: "Matched",
}

# A mail taken from a supplier invoice inbox (``invoice.import.mail.state``).
IMPORTED = "imported"
MAIL_FAILED = FAILED
OVERSIZED = "oversized"
FORWARDING = "forwarding"
IGNORED = "ignored"
MAIL_STATES = (IMPORTED, MAIL_FAILED, OVERSIZED, FORWARDING, IGNORED)
MAIL_STATE_LABELS = {
    IMPORTED: "Imported",
    MAIL_FAILED: "Failed",
    OVERSIZED: "Too Large",
    FORWARDING: "Forwarding Confirmation",
    IGNORED: "No New Bill (a reply, or known to Odoo)",
}


def selection(states, labels):
    """``[(state, label)]`` in the states' order: an Odoo selection list."""
    return [(state, labels[state]) for state in states]
