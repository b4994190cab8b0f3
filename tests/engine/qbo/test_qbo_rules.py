"""Rules the real QuickBooks enforces beyond Intuit's XSDs, each taught to the fake and honoured by the client:
foreign-currency documents carry their exchange rate, batch item ids fit 10 characters, and a document number
QuickBooks already has (6140) is reported with the fix instead of being retried."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest
from quickbooks.batch import BatchManager
from quickbooks.exceptions import QuickbooksException

from account_sync.engine.errors import MappingError
from account_sync.engine.records import Bill, CreditNote, Line, Payment, RecordRef
from account_sync_qbo.engine import mapping as qmap
from tests.fakes.qbo_harness import contact, invoice
from tests.fakes.qbo_rules import rules_for


def _foreign(number, customer, rate="0.8571", currency="EUR"):
    return invoice(number, customer, ("100.00", "50.00"), currency=currency, currency_rate=Decimal(rate))


# --- multi-currency ------------------------------------------------------------------------------------


def test_a_foreign_invoice_is_booked_at_the_odoo_rate(qbo, fake):
    client = qbo.client()
    result = client.push_invoice(_foreign(1, contact(1)))
    stored = fake.company().read("Invoice", result.remote_id)
    assert stored["CurrencyRef"]["value"] == "EUR" and stored["ExchangeRate"] == pytest.approx(0.8571)
    assert stored["TotalAmt"] == 180.0  # 150.00 + 20 % VAT, in euros
    assert stored["HomeTotalAmt"] == 154.28  # in pounds, at 0.8571 GBP per euro (the SDK's default would say 180)


def test_batched_foreign_invoices_and_a_home_one(qbo, fake):
    client = qbo.client()
    customer = contact(1)
    results = client.push_invoices(
        [_foreign(1, customer), invoice(2, customer), _foreign(3, customer, "1.1702", "USD")]
    )
    assert all(r.ok for r in results), [r.errors for r in results]
    home = [fake.company().read("Invoice", r.remote_id)["HomeTotalAmt"] for r in results]
    assert home == [154.28, 120.0, 210.64]


VENDOR = replace(contact(9, name="Lyon Fournitures"), is_customer=False)
PAPER = [Line(description="Paper", quantity=Decimal(4), unit_price=Decimal("25.00"), account_code="600000")]


def _foreign_bill():
    """A bill of 100.00 EUR (no tax), booked at 0.86 pounds per euro."""
    return Bill(
        ref=RecordRef("account.move", 501, "v1"),
        contact=VENDOR,
        date=dt.date(2026, 11, 3),
        number="F-2026-88",
        currency="EUR",
        currency_rate=Decimal("0.86"),
        lines=PAPER,
    )


def test_a_foreign_bill_and_supplier_credit_carry_the_rate(qbo, fake):
    client = qbo.client()
    vendor, lines = VENDOR, PAPER
    pushed = client.push_bill(_foreign_bill())
    stored = fake.company().read("Bill", pushed.remote_id)
    assert stored["ExchangeRate"] == pytest.approx(0.86) and stored["HomeBalance"] == 103.2  # 120.00 EUR
    note = CreditNote(
        ref=RecordRef("account.move", 502, "v1"),
        contact=vendor,
        date=dt.date(2026, 11, 4),
        number="AV-2026-3",
        currency="EUR",
        currency_rate=Decimal("0.86"),
        supplier=True,
        lines=lines[:1],
    )
    credit = client.push_credit_note(note)
    assert fake.company().read("VendorCredit", credit.remote_id)["ExchangeRate"] == pytest.approx(0.86)


def test_a_foreign_document_without_its_rate_is_refused_before_any_call(qbo, fake):
    document = invoice(1, contact(1), currency="EUR")
    with pytest.raises(MappingError, match="in EUR: its exchange rate"):
        qbo.client().push_invoice(document)
    assert not fake.calls("invoice")


def test_the_fake_refuses_a_foreign_bill_without_a_rate(fake):
    company = fake.company()
    with pytest.raises(Exception, match="exchange rate is required for a transaction in EUR"):
        rules_for("Bill")._exchange_rate(company, {"CurrencyRef": {"value": "EUR"}, "ExchangeRate": 0})


def _payment(document_id, amount, rate=None):
    return Payment(
        ref=RecordRef("account.payment", 1, "v1"),
        document_remote_id=document_id,
        amount=Decimal(amount),
        date=dt.date(2026, 11, 20),
        account_code="512000",
        reference="PAY1",
        currency_rate=Decimal(rate) if rate else None,
    )


def test_a_foreign_payment_is_booked_at_its_own_rate(qbo, fake):
    client = qbo.client()
    pushed = client.push_invoice(_foreign(1, contact(1), rate="0.86"))
    result = client.push_payment(_payment(pushed.remote_id, "180.00", rate="0.85"))
    stored = fake.company().read("Payment", result.remote_id)
    assert stored["CurrencyRef"]["value"] == "EUR" and stored["ExchangeRate"] == pytest.approx(0.85)
    assert fake.company().home_totals[("Payment", result.remote_id)] == Decimal("153.00")  # not 180 pounds
    assert fake.company().read("Invoice", pushed.remote_id)["Balance"] == 0


def test_a_foreign_bill_payment_carries_its_rate(qbo, fake):
    client = qbo.client()
    pushed = client.push_bill(_foreign_bill())
    result = client.push_bill_payment(_payment(pushed.remote_id, "100.00", rate="0.87"))
    assert fake.company().read("BillPayment", result.remote_id)["ExchangeRate"] == pytest.approx(0.87)
    assert fake.company().home_totals[("BillPayment", result.remote_id)] == Decimal("87.00")


def test_the_fake_refuses_a_foreign_payment_without_a_rate(qbo, fake):
    client = qbo.client()
    pushed = client.push_invoice(_foreign(1, contact(1)))
    with pytest.raises(Exception, match="exchange rate is required for a transaction in EUR"):
        client.push_payment(_payment(pushed.remote_id, "180.00"))
    assert fake.company().read("Invoice", pushed.remote_id)["Balance"] == 180.0


# --- batch item ids ------------------------------------------------------------------------------------


def test_batch_item_ids_fit_ten_characters_and_a_resent_batch_creates_nothing_twice(qbo, fake):
    customer = contact(1, remote_id=qbo.client().push_customer(contact(1)))
    fake.faults.add("slow", endpoint="batch", delay=1.0)  # created, but the answer comes too late
    client = qbo.client(replace(qbo.settings, timeout=0.5))
    results = client.push_invoices([invoice(n, customer) for n in range(1, 4)])
    assert all(r.ok for r in results), [r.errors for r in results]
    batches = fake.calls("batch")
    assert len(batches) == 2 and batches[0].requestid == batches[1].requestid and batches[1].replayed
    assert len(fake.company().rows("Invoice")) == 3


def test_the_fake_refuses_the_sdks_own_batch_item_ids(qbo, fake):
    client = qbo.client()
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    desired = qmap.invoice_from(invoice(1, customer), customer.remote_id, qbo.settings, client.accounts)
    with pytest.raises(QuickbooksException, match="longer than 10 characters"):  # its uuids have 36
        BatchManager("create").process_batch([desired], qb=client.qb)
    assert not fake.company().rows("Invoice")


# --- duplicate document numbers (6140) ---------------------------------------------------------------------


def test_a_number_quickbooks_has_for_another_document_offers_a_free_suffix(qbo, fake):
    client = qbo.client()
    first = client.push_invoice(invoice(1, contact(1)))
    other = replace(invoice(2, contact(2)), number=invoice(1, contact(1)).number)  # same number, other customer
    result = client.push_invoice(other)
    assert not result.ok and result.duplicate is not None
    assert (result.duplicate.remote_id, result.duplicate.same) == (first.remote_id, False)
    assert result.duplicate.suggestion == "INV/00001-2"
    assert result.errors == (
        "QuickBooks already has an invoice numbered INV/00001 (another customer, date or amount): push this one as "
        "INV/00001-2, or change its number in Odoo",
    )
    assert [c.status for c in fake.calls("invoice", "write")] == [200, 400]  # refused once, not retried
    # accepted: the number is part of the document's version (as in Odoo), hence a new requestid; the same
    # version would get QuickBooks' cached refusal again
    renumbered = replace(other, number=result.duplicate.suggestion, ref=RecordRef("account.move", 2, "v2"))
    accepted = client.push_invoice(renumbered)
    assert accepted.ok and accepted.number == "INV/00001-2"


def test_the_same_document_already_there_is_offered_for_binding(qbo, fake):
    client = qbo.client()
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    first = client.push_invoice(invoice(1, customer))
    again = replace(invoice(1, customer), ref=RecordRef("account.move", 1, "v2"))  # a new version, lost binding
    result = client.push_invoice(again)
    assert not result.ok and result.duplicate.same and result.duplicate.remote_id == first.remote_id
    assert "same customer, date and amount: bind this document to it" in result.errors[0]


def test_a_batched_invoice_with_a_taken_number_fails_alone_with_the_offer(qbo, fake):
    client = qbo.client()
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    client.push_invoice(invoice(2, customer))
    batch = [invoice(1, customer), replace(invoice(5, customer, ("70.00",)), number="INV/00002"), invoice(3, customer)]
    results = client.push_invoices(batch)
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].duplicate.suggestion == "INV/00002-2" and "numbered INV/00002" in results[1].errors[0]


def test_bill_numbers_are_unique_per_vendor_only(qbo, fake):
    client = qbo.client()

    def bill(n, vendor_number):
        vendor = replace(contact(vendor_number, name=f"Vendor {vendor_number}"), is_customer=False)
        line = Line(description="Paper", quantity=Decimal(1), unit_price=Decimal("10.00"), account_code="600000")
        return Bill(
            ref=RecordRef("account.move", n, "v1"), contact=vendor, date=dt.date(2026, 11, 3), number="77", lines=[line]
        )

    assert client.push_bill(bill(1, 1)).ok and client.push_bill(bill(2, 2)).ok  # two suppliers, one number
    refused = client.push_bill(replace(bill(3, 1), date=dt.date(2026, 11, 9)))
    assert not refused.ok and refused.duplicate.suggestion == "77-2" and "bill numbered 77" in refused.errors[0]
