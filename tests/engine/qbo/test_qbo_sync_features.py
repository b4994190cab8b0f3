"""QuickBooks-specific sync features against the XSD-validating fake: importing customers, names QBO already
has (6240), the lead source custom field, credit card payments, bill payments, credit memos applied to and
cancelled against their invoices.

Like ``test_qbo_client.py``, every body crosses the fake's XSD check (a violation fails the test at
teardown) and the client and the fake share a simulated clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from account_sync.engine.errors import RemoteValidationError
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.records import Allocation, Bill, Contact, CreditNote, Line, Payment, RecordRef
from account_sync.engine.states import RemoteState
from tests.fakes.qbo_harness import ACCOUNTS, contact, invoice

#: the harness's mapping plus the seeded card account (1250, id 10) and Undeposited Funds (1210, id 9)
CARD_ACCOUNTS = AccountMapping(
    accounts={**ACCOUNTS.accounts, "125000": "10", "121000": "9"},
    taxes=ACCOUNTS.taxes,
    default_sale_tax="2",
    default_purchase_tax="2",
    default_purchase_account="6",
)


def payment(number: int, document_id: str, amount: str, account: str = "512000") -> Payment:
    return Payment(
        ref=RecordRef("account.payment", number, "v1"),
        document_remote_id=document_id,
        amount=Decimal(amount),
        date=dt.date(2026, 11, 20),
        account_code=account,
        reference=f"PAY{number}",
    )


def credit_note(number: int, customer: Contact, amount: str, allocations=()) -> CreditNote:
    return CreditNote(
        ref=RecordRef("account.move", 7000 + number, "v1"),
        contact=customer,
        date=dt.date(2026, 11, 5),
        number=f"RINV/{number:04d}",
        lines=[Line(description="Refund", quantity=Decimal(1), unit_price=Decimal(amount), tax_code="VAT20")],
        allocations=list(allocations),
    )


# --- importing customers -------------------------------------------------------------------------------


def test_pull_customers_pages_through_every_active_customer(qbo, fake):
    company = fake.company()
    for n in range(1, 8):
        company.create(
            "Customer",
            {
                "DisplayName": f"Client {n}",
                "PrimaryEmailAddr": {"Address": f"ap{n}@client.example"},
                "PrimaryPhone": {"FreeFormNumber": "+44 20 7946 0958"},
                "BillAddr": {"Line1": f"{n} Quay Street", "City": "Bristol", "PostalCode": "BS1 4DJ", "Country": "GB"},
            },
        )
    company.create("Customer", {"DisplayName": "Gone Ltd", "Active": False})
    queries = len(fake.calls("query"))
    pulled = qbo.client().pull_customers(page=3)
    assert [c.name for c in pulled] == [f"Client {n}" for n in range(1, 8)], "the inactive one is left out"
    assert len(fake.calls("query")) - queries == 3, "pages of 3, 3 and 1"
    first = pulled[0]
    assert (first.email, first.phone, first.remote_id) == ("ap1@client.example", "+44 20 7946 0958", "1")
    assert (first.address.street, first.address.city, first.country_code) == ("1 Quay Street", "Bristol", "GB")
    assert first.ref.model == "qbo.Customer" and first.is_customer


def test_pull_customers_keeps_a_free_text_country_out_of_the_code(qbo, fake):
    fake.company().create("Customer", {"DisplayName": "Far Away", "BillAddr": {"City": "Lyon", "Country": "France"}})
    [pulled] = qbo.client().pull_customers()
    assert pulled.address.city == "Lyon" and pulled.country_code == ""


# --- names QBO already has (6240) ----------------------------------------------------------------------


def test_name_held_by_a_vendor_gives_a_disambiguated_customer_bound_again_later(qbo, fake):
    vendor = fake.company().create("Vendor", {"DisplayName": "Both Ways Ltd"})
    first = qbo.client().push_customer(contact(1, name="Both Ways Ltd"))
    stored = fake.company().read("Customer", first)
    assert stored["DisplayName"] == "Both Ways Ltd (customer)"
    again = qbo.client().push_customer(contact(1, name="Both Ways Ltd"))  # a new client: nothing cached
    assert again == first and len(fake.company().rows("Customer")) == 1
    assert fake.company().read("Vendor", vendor["Id"])["DisplayName"] == "Both Ways Ltd", "the vendor is untouched"


def test_vendor_for_a_partner_that_is_a_customer_already(qbo, fake):
    client = qbo.client()
    customer_id = client.push_customer(contact(1, name="Harbour Plumbing"))
    vendor_id = client.push_vendor(contact(1, name="Harbour Plumbing"))
    assert fake.company().read("Vendor", vendor_id)["DisplayName"] == "Harbour Plumbing (vendor)"
    assert fake.company().read("Customer", customer_id)["DisplayName"] == "Harbour Plumbing"


def test_injected_6240_without_a_visible_holder_is_disambiguated(qbo, fake):
    fake.faults.add("duplicate_name", endpoint="customer", operation="write")
    remote_id = qbo.client().push_customer(contact(1, name="Hidden Holder Ltd"))
    assert fake.company().read("Customer", remote_id)["DisplayName"] == "Hidden Holder Ltd (customer)"
    assert [call.status for call in fake.calls("customer")] == [400, 200]


def test_both_names_taken_is_a_clear_error(qbo, fake):
    fake.company().create("Vendor", {"DisplayName": "Twice Ltd"})
    fake.company().create("Vendor", {"DisplayName": "Twice Ltd (customer)"})
    with pytest.raises(RemoteValidationError, match="are both taken"):
        qbo.client().push_customer(contact(1, name="Twice Ltd"))
    assert fake.company().rows("Customer") == []


def test_a_batched_customer_whose_names_are_both_taken_fails_alone(qbo, fake):
    fake.company().create("Vendor", {"DisplayName": "Customer 2"})
    fake.company().create("Employee", {"DisplayName": "Customer 2 (customer)"})
    first, second, third = qbo.client().push_customers([contact(1), contact(2), contact(3)])
    assert first.ok and third.ok
    assert not second.ok and "are both taken" in second.errors[0]


def test_batched_customers_with_a_name_held_by_a_vendor(qbo, fake):
    fake.company().create("Vendor", {"DisplayName": "Customer 2"})
    results = qbo.client().push_customers([contact(1), contact(2), contact(3)])
    assert all(result.ok for result in results)
    names = sorted(row["DisplayName"] for row in fake.company().rows("Customer"))
    assert names == ["Customer 1", "Customer 2 (customer)", "Customer 3"]


# --- lead source and credit cards ----------------------------------------------------------------------


def test_invoice_carries_the_lead_source_custom_field_and_online_card_payment(qbo, fake):
    settings = replace(qbo.settings, lead_source_definition="2", lead_source_name="Source", accept_credit_cards=True)
    client = qbo.client(settings)
    long_source = "Google Ads - winter boiler service campaign"
    results = client.push_invoices(
        [invoice(1, contact(1)), invoice(2, contact(1))], lead_sources={1: long_source, 2: ""}
    )
    first, second = (fake.company().read("Invoice", r.remote_id) for r in results)
    assert first["CustomField"] == [
        {"DefinitionId": "2", "Name": "Source", "Type": "StringType", "StringValue": long_source[:31]}
    ]
    assert first["AllowOnlineCreditCardPayment"] is True
    assert not second["CustomField"], "no lead source, no custom field"
    client.push_invoice(invoice(1, contact(1, remote_id="1"), remote_id=results[0].remote_id), lead_source="Referral")
    assert fake.company().read("Invoice", results[0].remote_id)["CustomField"][0]["StringValue"] == "Referral"


def test_without_the_settings_no_custom_field_and_no_card_option(qbo, fake):
    result = qbo.client().push_invoices([invoice(1, contact(1))], lead_sources={1: "Google"})[0]
    stored = fake.company().read("Invoice", result.remote_id)
    assert not stored["CustomField"] and stored["AllowOnlineCreditCardPayment"] is False


def test_card_payment_goes_to_the_card_account_with_the_card_payment_method(qbo, fake):
    client = qbo.client(accounts=CARD_ACCOUNTS)
    created = client.push_invoice(invoice(1, contact(1)))
    result = client.push_card_payment(payment(1, created.remote_id, "120.00", account="121000"))
    stored = fake.company().read("Payment", result.remote_id)
    assert stored["PaymentMethodRef"]["value"] == "3", "Visa, the first active credit card method"
    assert stored["DepositToAccountRef"]["value"] == "9"
    assert fake.company().read("Invoice", created.remote_id)["Balance"] == 0


def test_card_payment_without_a_card_method_in_qbo_is_a_clear_error(qbo, fake):
    for method in fake.company().rows("PaymentMethod"):
        if method["Type"] == "CREDIT_CARD":
            fake.company().update("PaymentMethod", {**method, "Active": False})
    client = qbo.client(accounts=CARD_ACCOUNTS)
    created = client.push_invoice(invoice(1, contact(1)))
    with pytest.raises(RemoteValidationError, match="no active credit card payment method"):
        client.push_card_payment(payment(1, created.remote_id, "10.00", account="121000"))
    assert fake.company().rows("Payment") == [], "nothing written"


# --- bill payments -------------------------------------------------------------------------------------


def _bill(client) -> str:
    vendor = Contact(ref=RecordRef("res.partner", 901, "v1"), name="Bolt Supplies", is_supplier=True)
    bill = Bill(
        ref=RecordRef("account.move", 5001, "v1"),
        contact=vendor,
        date=dt.date(2026, 11, 3),
        number="SUP-1",
        lines=[Line(description="Bolts", quantity=Decimal(4), unit_price=Decimal("25"), account_code="600000")],
    )
    return client.push_bill(bill).remote_id


def test_bill_payment_from_the_bank_then_by_card(qbo, fake):
    client = qbo.client(accounts=CARD_ACCOUNTS)
    bill_id = _bill(client)  # 100 + 20 % VAT
    by_bank = client.push_bill_payment(payment(1, bill_id, "20.00"))
    by_card = client.push_bill_payment(payment(2, bill_id, "100.00", account="125000"), card=True)
    bank_row = fake.company().read("BillPayment", by_bank.remote_id)
    card_row = fake.company().read("BillPayment", by_card.remote_id)
    assert bank_row["PayType"] == "Check" and bank_row["CheckPayment"]["BankAccountRef"]["value"] == "5"
    assert card_row["PayType"] == "CreditCard" and card_row["CreditCardPayment"]["CCAccountRef"]["value"] == "10"
    assert card_row["Line"][0]["LinkedTxn"] == [{"TxnId": bill_id, "TxnType": "Bill"}]
    assert fake.company().read("Bill", bill_id)["Balance"] == 0
    again = client.push_bill_payment(payment(2, bill_id, "100.00", account="125000"), card=True)
    assert again.remote_id == by_card.remote_id and len(fake.company().rows("BillPayment")) == 2, "requestid"


def test_bill_payment_above_the_open_balance_is_refused(qbo, fake):
    client = qbo.client()
    bill_id = _bill(client)
    with pytest.raises(RemoteValidationError, match="exceeds the open balance"):
        client.push_bill_payment(payment(1, bill_id, "500.00"))


def test_cancelled_bill_is_deleted(qbo, fake):
    client = qbo.client()
    bill_id = _bill(client)
    ref = RecordRef("account.move", 5001, "v1")
    client.void_document("bill", bill_id, ref)
    client.void_document("bill", bill_id, ref)  # gone already: done
    assert fake.company().rows("Bill") == []


# --- credit memos applied to invoices, and cancelled ---------------------------------------------------


def _invoice_and_memo(client, amount="50", allocation="60.00"):
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    invoice_id = client.push_invoice(invoice(1, customer)).remote_id  # 100 + 20 % VAT
    note = credit_note(1, customer, amount, [Allocation(invoice_remote_id=invoice_id, amount=Decimal(allocation))])
    return invoice_id, note


def test_credit_memo_is_applied_to_its_invoice_by_a_zero_payment(qbo, fake):
    client = qbo.client()
    invoice_id, note = _invoice_and_memo(client)
    result = client.push_credit_note(note)
    assert result.ok and not result.warnings
    memo = fake.company().read("CreditMemo", result.remote_id)
    [application] = fake.company().rows("Payment")
    assert application["TotalAmt"] == 0
    assert [(line["Amount"], line["LinkedTxn"][0]["TxnType"]) for line in application["Line"]] == [
        (60.0, "Invoice"),
        (60.0, "CreditMemo"),
    ]
    assert fake.company().read("Invoice", invoice_id)["Balance"] == 60.0
    assert fake.company().read("CreditMemo", memo["Id"])["RemainingCredit"] == 0
    replayed = client.push_credit_note(note)  # a retried run: the create is replayed, nothing applied twice
    assert replayed.remote_id == result.remote_id and len(fake.company().rows("Payment")) == 1


def test_application_is_capped_by_what_the_invoice_still_owes(qbo, fake):
    client = qbo.client()
    invoice_id, note = _invoice_and_memo(client)
    client.push_payment(payment(1, invoice_id, "100.00"))
    result = client.push_credit_note(note)
    assert fake.company().read("Invoice", invoice_id)["Balance"] == 0
    assert fake.company().read("CreditMemo", result.remote_id)["RemainingCredit"] == 40.0


def test_application_refused_by_qbo_leaves_the_memo_pushed_with_a_warning(qbo, fake):
    client = qbo.client()
    invoice_id, note = _invoice_and_memo(client)
    other = contact(2, remote_id=client.push_customer(contact(2)))
    foreign = replace(note, contact=other)  # the credit memo is for another customer than the invoice
    result = client.push_credit_note(foreign)
    assert result.ok and "belong to different customers" in result.warnings[0]
    assert fake.company().read("Invoice", invoice_id)["Balance"] == 120.0


def test_cancelled_credit_memo_voids_its_application_then_goes(qbo, fake):
    client = qbo.client()
    invoice_id, note = _invoice_and_memo(client)
    memo_id = client.push_credit_note(note).remote_id
    cancel = RecordRef("account.move", note.ref.id, "v2")
    client.void_document("credit_note", memo_id, cancel)
    [application] = fake.company().rows("Payment")
    assert application["TotalAmt"] == 0 and application["PrivateNote"] == "Voided"
    assert fake.company().read("Invoice", invoice_id)["Balance"] == 120.0, "the invoice owes the full amount again"
    with pytest.raises(Exception, match="610"):
        fake.company().read("CreditMemo", memo_id)
    client.void_document("credit_note", memo_id, cancel)  # idempotent
    assert len(fake.calls("creditmemo", "delete")) == 1 and len(fake.calls("payment", "void")) == 1


# --- income accounts: sales lines reach QBO through an Item of their account ----------------------------


def test_sales_lines_use_an_item_of_their_income_account_created_once(qbo, fake):
    company = fake.company()
    surcharges = company.create(
        "Account", {"Name": "Card surcharges", "AcctNum": "4200", "AccountType": "Income", "Active": True}
    )
    accounts = replace(CARD_ACCOUNTS, accounts={**CARD_ACCOUNTS.accounts, "706000": "2", "708000": surcharges["Id"]})
    client = qbo.client(accounts=accounts)
    customer = contact(1, remote_id=client.push_customer(contact(1)))

    def surcharged(number, **extra):
        document = invoice(number, customer, amounts=("100.00", "2.50"), **extra)
        document.lines[0].account_code, document.lines[1].account_code = "706000", "708000"
        return document

    first = client.push_invoice(surcharged(1))
    lines = fake.company().read("Invoice", first.remote_id)["Line"]
    items = [line["SalesItemLineDetail"]["ItemRef"]["value"] for line in lines if "SalesItemLineDetail" in line]
    assert items[0] == "1", "account 2 already has QBO's Services item"
    made = fake.company().read("Item", items[1])
    assert (made["Name"], made["Type"], made["IncomeAccountRef"]["value"]) == (
        "Card surcharges (4200)",
        "Service",
        surcharges["Id"],
    )
    [batched] = qbo.client(accounts=accounts).push_invoices([surcharged(2)])  # a new client finds the item
    lines = fake.company().read("Invoice", batched.remote_id)["Line"]
    assert lines[1]["SalesItemLineDetail"]["ItemRef"]["value"] == items[1]
    assert len(fake.company().rows("Item")) == 3, "one item per account, made once"


def test_an_item_name_taken_by_another_account_is_a_clear_error_on_that_invoice(qbo, fake):
    company = fake.company()
    other = company.create("Account", {"Name": "Card surcharges", "AcctNum": "4200", "AccountType": "Income"})
    company.create(
        "Item",
        {"Name": "Card surcharges (4200)", "Type": "Service", "Active": False, "IncomeAccountRef": {"value": "1"}},
    )
    client = qbo.client(accounts=replace(CARD_ACCOUNTS, accounts={**CARD_ACCOUNTS.accounts, "708000": other["Id"]}))
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    document = invoice(1, customer)
    document.lines[0].account_code = "708000"
    [result] = client.push_invoices([document])
    assert not result.ok and "posting to another account" in result.errors[0]
    assert fake.company().rows("Invoice") == []


# --- payments deleted (cancelled, reset or edited in Odoo) ---------------------------------------------


def _paid_invoice(client, amount="120.00"):
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    invoice_id = client.push_invoice(invoice(1, customer)).remote_id  # 100 + 20 % VAT
    return invoice_id, client.push_payment(payment(1, invoice_id, amount)).remote_id


def test_deleted_payment_lets_the_invoice_owe_again_and_a_second_delete_is_done(qbo, fake, clock):
    client = qbo.client()
    invoice_id, first = _paid_invoice(client, "70.00")
    second = client.push_payment(payment(2, invoice_id, "50.00")).remote_id
    assert fake.company().read("Invoice", invoice_id)["Balance"] == 0, "split payments: both parts count"
    start = dt.datetime.fromtimestamp(clock.time(), dt.timezone.utc)
    clock.advance(60)
    cancel = RecordRef("account.payment", 1, "v2")
    client.delete_payment(first, cancel)
    assert [row["Id"] for row in fake.company().rows("Payment")] == [second]
    assert fake.company().read("Invoice", invoice_id)["Balance"] == 70.0, "the deleted part is owed again"
    client.delete_payment(first, cancel)  # already gone (QBO answers 610 to the read): done, nothing sent
    assert [c.status for c in fake.calls("payment", "delete")] == [200]
    pulled = {(p.remote_id, p.status) for p in client.pull_payments(start)}
    assert (first, RemoteState.DELETED) in pulled, "CDC reports the deletion for the pull"


def test_payment_edited_in_qbo_meanwhile_is_read_again_then_deleted(qbo, fake):
    client = qbo.client()
    invoice_id, paid = _paid_invoice(client)
    fake.faults.add("concurrent_edit", endpoint="payment", operation="delete", changes={"PrivateNote": "checked"})
    client.delete_payment(paid, RecordRef("account.payment", 1, "v2"))
    assert [c.status for c in fake.calls("payment", "delete")] == [400, 200], "5010, re-read, deleted"
    assert client.updater.conflicts == 1
    assert fake.company().rows("Payment") == [] and fake.company().read("Invoice", invoice_id)["Balance"] == 120.0


def test_deleted_bill_payment_lets_the_bill_owe_again(qbo, fake):
    client = qbo.client()
    bill_id = _bill(client)
    paid = client.push_bill_payment(payment(1, bill_id, "40.00")).remote_id
    owed = fake.company().read("Bill", bill_id)["Balance"]
    client.delete_payment(paid, RecordRef("account.payment", 1, "v2"), supplier=True)
    assert fake.company().rows("BillPayment") == []
    assert fake.company().read("Bill", bill_id)["Balance"] == owed + 40.0
    assert fake.calls("payment", "delete") == [], "a supplier payment is a BillPayment, never a Payment"


# --- the fake's side of it -----------------------------------------------------------------------------


def test_fake_refuses_more_credit_than_the_invoices_take(qbo, fake):
    company = fake.company()
    customer = company.create("Customer", {"DisplayName": "Acme"})
    line = {"Amount": 50, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"TaxCodeRef": {"value": "3"}}}
    inv = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line]})
    memo = company.create("CreditMemo", {"CustomerRef": {"value": customer["Id"]}, "Line": [line]})
    lines = [
        {"Amount": 20, "LinkedTxn": [{"TxnId": inv["Id"], "TxnType": "Invoice"}]},
        {"Amount": 30, "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]},
    ]
    with pytest.raises(Exception, match="credit applied exceeds"):
        company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 0, "Line": lines})
    lines[1]["Amount"] = 20
    company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 0, "Line": lines})
    assert company.read("CreditMemo", memo["Id"])["RemainingCredit"] == 30.0
    assert company.read("Invoice", inv["Id"])["Balance"] == 30.0


def test_a_pulled_credit_application_is_not_money_received(qbo, fake, clock):
    client = qbo.client()
    since = dt.datetime.fromtimestamp(clock.time(), dt.timezone.utc)
    clock.advance(60)
    invoice_id, note = _invoice_and_memo(client)
    client.push_credit_note(note)
    cash = client.push_payment(payment(1, invoice_id, "60.00"))
    pulled = {p.remote_id: p for p in client.pull_payments(since)}
    assert pulled[cash.remote_id].status == RemoteState.ACTIVE
    [application] = [p for p in pulled.values() if p.remote_id != cash.remote_id]
    assert application.status == RemoteState.CREDIT_APPLIED
