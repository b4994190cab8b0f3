"""Neutral records: what the Odoo layer hands to a connector and what a connector hands back.

They carry no Xero or QBO vocabulary; each vendor engine maps them to its SDK models.  ``remote_id``
is set when the record is already known remotely (an update, an allocation target, a payment's invoice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .idempotency import idempotency_key
from .states import RecordKind, RemoteState


@dataclass(frozen=True)
class RecordRef:
    """Which local record this is, and which version of it (write_date or a hash of its content)."""

    model: str
    id: int | str
    version: str = ""

    def idempotency_key(self, operation: str = "create") -> str:
        return idempotency_key(self.model, self.id, self.version, operation)


@dataclass(kw_only=True)
class Address:
    street: str = ""
    street2: str = ""
    city: str = ""
    zip: str = ""
    state: str = ""
    country_code: str = ""


@dataclass(kw_only=True)
class Contact:
    ref: RecordRef
    name: str
    email: str = ""
    phone: str = ""
    mobile: str = ""
    vat: str = ""
    country_code: str = ""  # ISO 3166 alpha-2; also the default region when splitting phone numbers
    currency: str = ""
    is_customer: bool = False
    is_supplier: bool = False
    address: Address | None = None
    remote_id: str | None = None


@dataclass(kw_only=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    account_code: str = ""
    tax_code: str = ""
    item_code: str = ""
    discount_percent: Decimal = Decimal(0)
    item_name: str = ""  # the item's name where the provider creates items from codes (the product's)


@dataclass(kw_only=True)
class Document:
    """What invoices, bills and credit notes share; a subclass says which one it is."""

    ref: RecordRef
    contact: Contact
    date: dt.date
    lines: list[Line]
    number: str = ""
    due_date: dt.date | None = None
    currency: str = ""
    #: home (company) currency units per one unit of ``currency``, as both Intuit and Odoo's rate
    #: inverted define it; None for a document in the home currency
    currency_rate: Decimal | None = None
    reference: str = ""
    amounts_include_tax: bool = False
    post: bool = True  # True: approved/posted remotely; False: left as a draft
    remote_id: str | None = None
    #: what one provider sends besides the neutral fields (QuickBooks' lead source), filled by its Odoo
    #: hook; not part of the pushed version
    extras: dict[str, str] = field(default_factory=dict)

    purchase = False  # supplier side (bills, supplier credit notes)


@dataclass(kw_only=True)
class Invoice(Document):
    """A customer (sales) invoice."""


@dataclass(kw_only=True)
class Bill(Document):
    """A supplier invoice."""

    purchase = True


@dataclass(kw_only=True)
class Allocation:
    """Part of a credit note applied to an invoice already known remotely."""

    invoice_remote_id: str
    amount: Decimal
    date: dt.date | None = None


@dataclass(kw_only=True)
class CreditNote(Document):
    """A customer credit note, or a supplier one when ``supplier`` is set."""

    supplier: bool = False
    allocations: list[Allocation] = field(default_factory=list)

    @property
    def purchase(self) -> bool:  # type: ignore[override]
        return self.supplier


@dataclass(kw_only=True)
class Payment:
    """A payment against one invoice, bill or credit note, into or out of a bank account."""

    ref: RecordRef | None
    document_remote_id: str
    amount: Decimal
    date: dt.date
    account_code: str  # the bank (or clearing) account, as a local code mapped like line accounts
    reference: str = ""
    on_credit_note: bool = False
    #: home currency units per one unit of the document's currency, as ``Document.currency_rate``; None at home
    currency_rate: Decimal | None = None
    remote_id: str | None = None
    #: the paid document's kind (invoice, bill, credit note), when pushed
    document_kind: RecordKind | None = None
    card: bool = False  # paid by card, into the credit card account
    # filled when pulled from the remote side
    status: RemoteState = RemoteState.ACTIVE
    document_number: str = ""
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class DuplicateNumber:
    """The remote ledger refused a document number it already has (QuickBooks' 6140).

    ``same`` says whether the document holding the number is this one (same party, date and amount: a
    push whose answer was lost, or a document entered there by hand), so binding to it is the fix;
    otherwise ``suggestion`` is a free number the user may accept to push under.
    """

    number: str
    remote_id: str
    same: bool
    suggestion: str = ""


@dataclass(frozen=True)
class ItemResult:
    """Outcome for one record of a batch: one bad record never hides the others' results."""

    ref: RecordRef | None
    ok: bool
    remote_id: str | None = None
    number: str = ""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    duplicate: DuplicateNumber | None = None


@dataclass(frozen=True)
class RemoteAccount:
    code: str
    name: str
    type: str
    remote_id: str = ""
    active: bool = True
    tax_code: str = ""
    is_bank: bool = False


@dataclass(frozen=True)
class RemoteTaxRate:
    code: str
    name: str
    rate: Decimal
    active: bool = True


@dataclass(frozen=True)
class Tenant:
    """One ledger the grant gives access to (a Xero organisation, a QBO company)."""

    id: str
    name: str
    type: str = ""
