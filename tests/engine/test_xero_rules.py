"""Rules the real Xero enforces beyond its OpenAPI schema, each taught to the fake and honoured by the client.

Each test fails on a client that breaks the rule: the fake refuses what Xero refuses (a discount on a bill,
``summarizeErrors=False``, a body over 3.5 MB, a reused Idempotency-Key for a different request, a
``Reference`` on a bill, a second active contact of one name).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from account_sync.engine.records import CreditNote, RecordRef
from tests.fakes import xero_faults as faults
from tests.fakes.xero_harness import MAPPING, bill, connect, contact, invoice, line, new_client, raw
from tests.fakes.xero_server import MAX_REQUEST_BYTES, FakeXero


@pytest.fixture
def fake():
    server = FakeXero().start()
    yield server
    server.stop()
    assert server.violations == [], "the fake saw requests or answered responses that Xero's spec rejects"


@pytest.fixture
def client(fake):
    return connect(new_client(fake), fake)


def _token(client):
    return client.tokens.current().access_token


# --- discounts: sales only -------------------------------------------------------------------------------


def test_the_fake_refuses_a_discount_on_a_bill(client, fake):
    supplier = contact(5, name="Paper Mill Ltd")
    [created] = client.push_contacts([supplier])
    body = {
        "Invoices": [
            {
                "Type": "ACCPAY",
                "Contact": {"ContactID": created.remote_id},
                "LineItems": [
                    {
                        "Description": "Paper",
                        "Quantity": 3,
                        "UnitAmount": 33.33,
                        "AccountCode": "429",
                        "DiscountRate": 10,
                    }
                ],
            }
        ]
    }
    status, answer, _ = raw(
        fake, "PUT", "/api.xro/2.0/Invoices?summarizeErrors=false", _token(client), fake.tenants[0][0], body
    )
    assert status == 200
    assert answer["Invoices"][0]["ValidationErrors"][0]["Message"].startswith("Discounts are not supported on bills")


@pytest.mark.parametrize(
    ("quantity", "price", "discount", "total"),
    [
        ("3", "33.33", "10", Decimal("89.99")),  # the discounted unit price carries the amount to the cent
        ("1000", "0.05", "33.333", Decimal("33.33")),  # it does not (4 decimals): one unit of the exact amount
    ],
)
def test_discounted_bill_lines_are_folded_into_the_price(client, fake, quantity, price, discount, total):
    supplier = contact(6, name="Hardware Ltd")
    document = bill(1, supplier)
    document.lines = [
        line(price, account="600000", tax="TVA20-ACH", quantity=Decimal(quantity), discount_percent=Decimal(discount))
    ]
    [result] = client.push_bills([document], MAPPING)
    assert result.ok, result.errors
    stored = fake.ledger().invoices[result.remote_id]
    assert stored["SubTotal"] == total  # what Odoo computes: quantity x price less the discount, to the cent
    assert "DiscountRate" not in stored["LineItems"][0]


def test_sales_invoices_keep_their_discount_rate(client, fake):
    document = invoice(1, contact(1))
    document.lines = [line("200.00", discount_percent=Decimal("12.5"))]
    [result] = client.push_invoices([document], MAPPING)
    stored = fake.ledger().invoices[result.remote_id]
    assert stored["LineItems"][0]["DiscountRate"] == Decimal("12.5") and stored["SubTotal"] == Decimal("175.00")


# --- Reference: sales documents only ---------------------------------------------------------------------


def test_reference_goes_on_sales_documents_only(client, fake):
    customer, supplier = contact(1), contact(2, name="Supplier Ltd")
    sale = invoice(1, customer, reference="Site: 4 Harbour Road")
    purchase = bill(1, supplier)
    purchase.reference = "PO-4711"
    note = CreditNote(
        ref=RecordRef("account.move", 77, "v1"),
        contact=supplier,
        date=dt.date(2024, 5, 3),
        number="SUP-CN-1",
        reference="returned paper",
        supplier=True,
        lines=[line("10.00", account="600000", tax="TVA20-ACH")],
    )
    results = client.push_invoices([sale, purchase], MAPPING) + client.push_credit_notes([note], MAPPING)
    assert [r.ok for r in results] == [True, True, True], [r.errors for r in results]
    ledger = fake.ledger()
    assert ledger.invoices[results[0].remote_id]["Reference"] == "Site: 4 Harbour Road"
    assert ledger.invoices[results[1].remote_id]["InvoiceNumber"] == "SUP-1"  # the supplier's number
    assert ledger.invoices[results[1].remote_id]["Reference"] == ""


# --- summarizeErrors: a boolean ---------------------------------------------------------------------------


def test_summarize_errors_is_sent_as_a_json_boolean(client, fake):
    client.push_invoices([invoice(1, contact(1))], MAPPING)
    writes = [c for c in fake.calls() if c.operation in ("createContacts", "createInvoices")]
    assert writes and all(("summarizeErrors", "false") in c.query for c in writes)


def test_the_fake_refuses_python_booleans(client, fake):
    status, answer, _ = raw(
        fake, "PUT", "/api.xro/2.0/Contacts?summarizeErrors=False", _token(client), fake.tenants[0][0], {"Contacts": []}
    )
    assert status == 400 and "summarizeErrors" in answer["Message"]
    assert fake.violations and "expected a boolean" in fake.violations[0]
    fake.violations.clear()


# --- Idempotency-Key: one per request kind ----------------------------------------------------------------


def test_a_contact_created_then_updated_in_one_version_uses_two_keys(client, fake):
    partner = contact(3)
    [created] = client.push_contacts([partner])
    partner.email = "accounts@customer3.example"  # same Odoo version (ref), new details: an update
    [updated] = client.push_contacts([partner])
    assert created.ok and updated.ok, updated.errors
    create_call, update_call = fake.calls("createContacts")[0], fake.calls("updateOrCreateContacts")[0]
    assert create_call.idempotency_key != update_call.idempotency_key and not update_call.replayed
    assert fake.ledger().contacts[partner.remote_id]["EmailAddress"] == "accounts@customer3.example"


# --- contact names are unique ----------------------------------------------------------------------------


def test_a_taken_name_binds_to_the_same_contact_and_updates_it(client, fake):
    ledger = fake.ledger()
    existing, _ = ledger.create_contact({"Name": "Harbour Plumbing", "EmailAddress": "AP@harbour.example"})
    partner = contact(8, name="Harbour Plumbing", email="ap@harbour.example", vat="NZ-123")
    [result] = client.push_contacts([partner])
    assert result.ok and result.remote_id == existing["ContactID"] == partner.remote_id
    assert "bound to the existing Xero contact" in result.warnings[0] and "e-mail" in result.warnings[0]
    assert len(ledger.contacts) == 1
    assert ledger.contacts[existing["ContactID"]]["TaxNumber"] == "NZ-123"  # updated with Odoo's details
    # and an invoice for that partner goes to that contact
    [pushed] = client.push_invoices([invoice(1, partner)], MAPPING)
    assert ledger.invoices[pushed.remote_id]["Contact"]["ContactID"] == existing["ContactID"]


def test_a_taken_name_held_by_another_party_is_a_clear_error(client, fake):
    ledger = fake.ledger()
    ledger.create_contact({"Name": "Harbour Plumbing", "EmailAddress": "office@other-harbour.example"})
    partner = contact(9, name="Harbour Plumbing", email="ap@harbour.example")
    [result] = client.push_contacts([partner])
    assert not result.ok and partner.remote_id is None
    assert result.errors == (
        "Xero already has a contact named 'Harbour Plumbing' with e-mail office@other-harbour.example "
        "(this partner: ap@harbour.example); rename one of them",
    )
    [pushed] = client.push_invoices([invoice(2, partner)], MAPPING)  # its invoice says why
    assert not pushed.ok and "rename one of them" in pushed.errors[0]


def test_a_taken_name_with_nothing_to_compare_is_not_bound(client, fake):
    fake.ledger().create_contact({"Name": "Bare Name Ltd"})
    partner = contact(10, name="Bare Name Ltd", email="", vat="")
    [result] = client.push_contacts([partner])
    assert not result.ok and "no e-mail, tax number or contact number" in result.errors[0]


# --- 3.5 MB per request ------------------------------------------------------------------------------------


def test_batches_are_cut_under_the_request_size_limit(client, fake):
    """50 invoices (Xero's count limit) of ~80 kB each: one request would be ~4 MB, which Xero refuses."""
    text = "Labour and materials, as per the attached job sheet. " * 75  # ~4,000 characters, Odoo's cap
    docs = []
    for n in range(1, 51):
        document = invoice(n, contact(1))
        document.lines = [line("10.00", description=f"{n}-{k} {text}") for k in range(20)]
        docs.append(document)
    results = client.push_invoices(docs, MAPPING)
    assert all(r.ok for r in results), [r.errors for r in results if not r.ok][:1]
    assert len(fake.calls("createInvoices")) == 2 and len(fake.ledger().invoices) == 50


def test_a_body_over_the_limit_is_refused_by_the_fake(client, fake):
    body = {"Contacts": [{"Name": "x" * 100, "EmailAddress": "y" * (MAX_REQUEST_BYTES // 10)}] * 11}
    status, answer, _ = raw(
        fake, "PUT", "/api.xro/2.0/Contacts?summarizeErrors=false", _token(client), fake.tenants[0][0], body
    )
    assert status == 413
    fake.violations.clear()


def test_size_limit_splits_a_batch_the_count_would_allow(fake):
    client = connect(new_client(fake, max_request_bytes=20_000), fake)
    docs = [invoice(n, contact(1)) for n in range(1, 31)]
    for document in docs:
        document.lines = [line("5.00", description="d" * 1_500)]
    results = client.push_invoices(docs, MAPPING)
    assert all(r.ok for r in results)
    calls = fake.calls("createInvoices")
    assert len(calls) > 1 and len(fake.ledger().invoices) == 30


# --- push lines as items: the item exists before a line names it -------------------------------------------


def test_items_are_created_once_by_code_before_lines_use_them(client, fake):
    pipe = {"item_code": "PIPE-15", "item_name": "Copper pipe 15 mm", "description": "Copper pipe, 3 m"}
    first = invoice(1, contact(1), lines=[line("12.00", **pipe), line("90.00", item_code="CALLOUT")])
    second = invoice(2, contact(1), lines=[line("24.00", **pipe)])
    results = client.push_invoices([first, second], MAPPING)
    assert all(r.ok for r in results), [r.errors for r in results]
    items = {i["Code"]: i["Name"] for i in fake.ledger().items.values()}
    assert items == {"PIPE-15": "Copper pipe 15 mm", "CALLOUT": "Consulting"}
    stored = fake.ledger().invoices[results[0].remote_id]["LineItems"]
    assert [item.get("ItemCode") for item in stored] == ["PIPE-15", "CALLOUT"]
    assert stored[0]["AccountCode"] == "200"  # the line's own account still decides the posting
    client.push_invoices([invoice(3, contact(1), lines=[line("12.00", **pipe)])], MAPPING)
    fresh = connect(new_client(fake), fake)  # another run: reads the items Xero has, creates none
    fresh.push_invoices([invoice(4, contact(1), lines=[line("12.00", item_code="pipe-15")])], MAPPING)
    assert len(fake.calls("createItems")) == 1 and len(fake.calls("getItems")) == 2
    assert len(fake.ledger().items) == 2


def test_the_fake_refuses_a_line_naming_an_unknown_item(client, fake):
    [created] = client.push_contacts([contact(1)])
    body = {
        "Invoices": [
            {
                "Type": "ACCREC",
                "Contact": {"ContactID": created.remote_id},
                "LineItems": [{"Description": "Pipe", "Quantity": 1, "UnitAmount": 5, "ItemCode": "NOPE"}],
            }
        ]
    }
    status, answer, _ = raw(
        fake, "PUT", "/api.xro/2.0/Invoices?summarizeErrors=false", _token(client), fake.tenants[0][0], body
    )
    assert status == 200 and answer["Invoices"][0]["ValidationErrors"][0]["Message"] == "Item code 'NOPE' is not valid"


def test_an_item_xero_refuses_fails_the_invoices_using_it(client, fake):
    fake.faults.add(faults.ITEM_ERROR, "createItems", indices=[0], message="Item name is too rude.")
    bad = invoice(1, contact(1), lines=[line("5.00", item_code="RUDE")])
    good = invoice(2, contact(1))
    results = client.push_invoices([bad, good], MAPPING)
    assert [r.ok for r in results] == [False, True]
    assert results[0].errors == ("item RUDE: Item name is too rude.",)
