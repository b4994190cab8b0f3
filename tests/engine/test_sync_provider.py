"""The one provider interface (``account_sync.engine.provider``): the push order decided once, and both
engine clients, Xero's and QuickBooks', answering the same protocol against their spec-checking fakes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from account_sync.engine.clock import FakeClock
from account_sync.engine.provider import (
    Capabilities,
    Phase,
    Provider,
    contacts_first,
    push_plan,
    unlinked_contacts,
)
from account_sync.engine.records import Bill, Contact, CreditNote, Invoice, ItemResult, Line, Payment, RecordRef
from account_sync.engine.states import RecordKind, RemoteState
from tests.fakes import qbo_harness, xero_harness
from tests.fakes.qbo_server import FakeQbo
from tests.fakes.xero_server import FakeXero

# --- the order ------------------------------------------------------------------------------------------


def _contact(n, remote_id=None):
    return Contact(ref=RecordRef("res.partner", n), name=f"Partner {n}", remote_id=remote_id)


def _doc(cls, n, contact, **extra):
    return cls(ref=RecordRef("account.move", n), contact=contact, date=dt.date(2026, 1, 1), lines=[], **extra)


def test_plan_puts_contacts_before_documents_before_credit_notes_before_payments():
    shared, known = _contact(1), _contact(2, remote_id="R2")
    payment = Payment(ref=RecordRef("account.payment", 9), document_remote_id="X", amount=Decimal(1), date=None,
                      account_code="512")  # fmt: skip
    records = [payment, _doc(CreditNote, 3, shared), _doc(Invoice, 1, shared), _doc(Bill, 2, known)]
    steps = push_plan(records, Capabilities(batch_size=10))
    assert [(s.phase, [r.ref.id for r in s.records]) for s in steps] == [
        (Phase.CONTACTS, [1]),  # once, though two documents name it; the linked one not at all
        (Phase.DOCUMENTS, [1, 2]),
        (Phase.CREDIT_NOTES, [3]),
        (Phase.PAYMENTS, [9]),
    ]


def test_plan_cuts_each_phase_in_batches_of_the_provider_size():
    documents = [_doc(Invoice, n, _contact(n)) for n in range(1, 6)]
    steps = push_plan(documents, Capabilities(batch_size=2))
    assert [(s.phase, len(s.records)) for s in steps] == [
        (Phase.CONTACTS, 2),
        (Phase.CONTACTS, 2),
        (Phase.CONTACTS, 1),
        (Phase.DOCUMENTS, 2),
        (Phase.DOCUMENTS, 2),
        (Phase.DOCUMENTS, 1),
    ]
    with pytest.raises(ValueError):
        push_plan(documents, Capabilities(batch_size=0))


def test_separate_supplier_lists_push_a_partner_once_per_side():
    partner = _contact(1)
    invoice, bill = _doc(Invoice, 1, partner), _doc(Bill, 2, dataclasses.replace(partner))
    one_list = unlinked_contacts([invoice, bill], Capabilities(batch_size=10))
    assert list(one_list) == [("res.partner", 1)]
    two_lists = unlinked_contacts([invoice, bill], Capabilities(batch_size=10, separate_supplier_contacts=True))
    assert list(two_lists) == [("res.partner", 1, False), ("res.partner", 1, True)]
    assert [(c.is_customer, c.is_supplier) for c in two_lists.values()] == [(False, False), (False, True)]


def test_contacts_first_links_every_copy_and_returns_the_refusals():
    ok, refused = _contact(1), _contact(2)
    documents = [_doc(Invoice, 1, ok), _doc(Invoice, 2, dataclasses.replace(ok)), _doc(Invoice, 3, refused)]
    sent = []

    def push(contacts):
        sent.append([c.ref.id for c in contacts])
        return [
            ItemResult(c.ref, True, f"R{c.ref.id}") if c.ref.id == 1 else ItemResult(c.ref, False, errors=("no",))
            for c in contacts
        ]

    failed = contacts_first(documents, push, Capabilities(batch_size=10))
    assert sent == [[1, 2]]
    assert [d.contact.remote_id for d in documents] == ["R1", "R1", None]
    assert {key: result.errors for key, result in failed.items()} == {("res.partner", 2): ("no",)}
    assert contacts_first(documents[:2], push, Capabilities(batch_size=10)) == {} and sent == [[1, 2]]


# --- both clients, one protocol -------------------------------------------------------------------------


class Case:
    """A client on its fake, and what both harnesses spell alike (the bank account is 512000 in both)."""

    def payment(self, number, invoice):
        return Payment(
            ref=RecordRef("account.payment", number, "v1"),
            document_remote_id=invoice.remote_id,
            amount=Decimal("40.00"),
            date=invoice.date + dt.timedelta(days=10),
            account_code="512000",
            document_kind=RecordKind.INVOICE,
        )


class XeroCase(Case):
    """The Xero client on the fake Xero, and documents in its harness' codes."""

    name = "xero"
    missing_id = "5b0a3c9e-0000-4000-8000-000000404404"

    def __init__(self):
        self.fake = FakeXero().start()
        client = xero_harness.new_client(self.fake, mapping=xero_harness.MAPPING)
        self.client = xero_harness.connect(client, self.fake)

    def documents(self):
        customer, supplier = xero_harness.contact(1), xero_harness.contact(2, name="Bolt Supplies")
        return [xero_harness.invoice(1, customer), xero_harness.bill(1, supplier)]

    def stop(self):
        self.fake.stop()
        assert self.fake.violations == []


class QboCase(Case):
    """The QuickBooks client on the fake QuickBooks, and documents in its harness' codes."""

    name = "qbo"
    missing_id = "404404"

    def __init__(self):
        self.fake = FakeQbo(clock=FakeClock()).__enter__()
        self.client = qbo_harness.Harness(self.fake, self.fake.clock).client()

    def documents(self):
        supplier = Contact(ref=RecordRef("res.partner", 2, "v1"), name="Bolt Supplies", is_customer=True)
        bill = Bill(
            ref=RecordRef("account.move", 2, "v1"),
            contact=supplier,
            date=dt.date(2026, 11, 3),
            number="SUP-1",
            lines=[Line(description="Bolts", quantity=Decimal(4), unit_price=Decimal(25), account_code="600000")],
        )
        return [qbo_harness.invoice(1, qbo_harness.contact(1)), bill]

    def stop(self):
        self.fake.__exit__(None, None, None)


@pytest.fixture(params=[XeroCase, QboCase], ids=lambda case: case.name)
def case(request):
    made = request.param()
    yield made
    made.stop()


def test_both_clients_are_providers_with_their_limits(case):
    assert isinstance(case.client, Provider)
    capabilities = case.client.capabilities
    assert capabilities.batch_size == {"xero": 50, "qbo": 30}[case.name]
    assert capabilities.separate_supplier_contacts == (case.name == "qbo")


def test_push_documents_links_contacts_first_and_answers_one_result_each(case):
    invoice, bill = documents = case.documents()
    results = case.client.push_documents(documents)
    assert [(r.ref, r.ok) for r in results] == [(invoice.ref, True), (bill.ref, True)], results
    assert invoice.contact.remote_id and bill.contact.remote_id, "contacts pushed first and linked"
    assert [d.remote_id for d in documents] == [r.remote_id for r in results]
    assert bill.contact.is_supplier and not bill.contact.is_customer, "a bill's party is a supplier"


def test_payments_push_pull_and_delete_in_neutral_states(case):
    invoice, _bill = documents = case.documents()
    case.client.push_documents(documents)
    payment = case.payment(1, invoice)
    [pushed] = case.client.push_payments([payment])
    assert pushed.ok and pushed.remote_id, pushed
    pulled = {p.remote_id: p for p in case.client.pull_payments(None)}
    assert pulled[pushed.remote_id].status == RemoteState.ACTIVE
    assert pulled[pushed.remote_id].document_remote_id == invoice.remote_id
    ref = RecordRef("account.payment", 1, "v2")
    assert case.client.delete_payment(pushed.remote_id, ref).ok
    assert case.client.delete_payment(pushed.remote_id, ref).ok, "gone already: done"
    if case.name == "qbo":
        case.fake.clock.advance(60)  # change data capture sees what happened before "now"
    pulled = {p.remote_id: p for p in case.client.pull_payments(None)}
    assert pulled[pushed.remote_id].status == RemoteState.DELETED


def test_void_answers_a_result_for_every_document_kind(case):
    invoice, bill = documents = case.documents()
    case.client.push_documents(documents)
    for doc, kind in ((invoice, RecordKind.INVOICE), (bill, RecordKind.BILL)):
        result = case.client.void(doc.remote_id, dataclasses.replace(doc.ref, version="cancel"), kind, doc.purchase)
        assert isinstance(result, ItemResult) and result.ok, result
    refused = case.client.void(case.missing_id, RecordRef("account.move", 7, "x"), RecordKind.CREDIT_NOTE, None)
    assert isinstance(refused, ItemResult) and not refused.ok and refused.errors


def test_a_payment_of_no_pushable_document_fails_alone(case):
    invoice, _bill = documents = case.documents()
    case.client.push_documents(documents)
    good = case.payment(1, invoice)
    stray = dataclasses.replace(case.payment(2, invoice), document_remote_id=case.missing_id)
    results = case.client.push_payments([stray, good])
    assert [r.ok for r in results] == [False, True], results
    assert results[0].errors and results[0].ref == stray.ref


def test_a_bill_payment_is_deleted_by_its_remote_id_alone(case):
    """The id a provider hands back for a supplier payment is enough to delete it again (QuickBooks keeps
    bill payments in a list of their own and says so in the id)."""
    _invoice, bill = documents = case.documents()
    case.client.push_documents(documents)
    paid = dataclasses.replace(case.payment(3, bill), amount=Decimal("20.00"), document_kind=RecordKind.BILL)
    [pushed] = case.client.push_payments([paid])
    assert pushed.ok, pushed
    assert case.client.delete_payment(pushed.remote_id, RecordRef("account.payment", 3, "v2")).ok
    if case.name == "qbo":
        assert pushed.remote_id.startswith("BillPayment:")
        assert case.fake.company().rows("BillPayment") == [] and case.fake.calls("payment", "delete") == []
    else:
        assert case.fake.ledger().payments[pushed.remote_id]["Status"] == "DELETED"
