"""The sync's vocabularies, each spelled once: what a remote record is now, what a binding says about its
local record, and which kind of record a binding links.

They are ``StrEnum`` members, so they compare equal to their values: Odoo stores the values in selection
fields and SQL. A member of a vocabulary the user reads carries its label (``NAME = value, label``), so no
member can lack one; the models build their selections with ``selection()``.
"""

from __future__ import annotations

from enum import StrEnum


class RemoteState(StrEnum):
    """A pulled payment's state in the remote ledger, whatever the provider calls it.

    Each provider maps its own words once, in its mapping (Xero's ``AUTHORISED``/``DELETED``, QuickBooks'
    live, voided and deleted payments); the base registers ``ACTIVE`` payments and cancels the Odoo twin of
    a ``DELETED`` one.
    """

    ACTIVE = "active"  # money received, as the ledger holds it now
    DELETED = "deleted"  # deleted or voided remotely: the money was taken back
    CREDIT_APPLIED = "credit_applied"  # a credit applied to an invoice: no money moved, nothing to register
    ELSEWHERE = "elsewhere"  # money received into an account Odoo does not register payments from
    OTHER = "other"  # a state the provider has and the sync leaves alone


class LabelledEnum(StrEnum):
    """A ``StrEnum`` whose members also carry what the user reads for them (``label``)."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def selection(cls, exclude=()) -> list[tuple[str, str]]:
        """``[(value, label), ...]`` in declaration order, for an Odoo selection field, less ``exclude``."""
        return [(member.value, member.label) for member in cls if member not in exclude]


class SyncState(LabelledEnum):
    """Where a local record stands with the remote ledger (a binding's state; ``NONE``: no binding, which the
    binding itself never holds: a record without binding shows it)."""

    NONE = "none", "Not synced"
    PENDING = "pending", "Pending"
    SYNCED = "synced", "Synced"
    ERROR = "error", "Error"
    VOIDED = "voided", "Voided"


#: states after which a record needs another try (the run's retry list)
RETRY_STATES = (SyncState.PENDING, SyncState.ERROR)
#: states in which the remote twin holds the version last pushed
DONE_STATES = (SyncState.SYNCED, SyncState.VOIDED)


class RecordKind(LabelledEnum):
    """Which kind of local record a binding links (and a provider pushes, voids or deletes)."""

    CONTACT = "contact", "Contact"
    INVOICE = "invoice", "Invoice"
    BILL = "bill", "Bill"
    CREDIT_NOTE = "credit_note", "Credit note"
    PAYMENT = "payment", "Payment"


#: the kinds that are documents (pushed, voided); the others are parties and payments
DOCUMENT_KINDS = (RecordKind.INVOICE, RecordKind.BILL, RecordKind.CREDIT_NOTE)
