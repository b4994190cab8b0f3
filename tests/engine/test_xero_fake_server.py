"""The fake Xero itself: it must reject what Xero's spec rejects, or the client tests prove nothing."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from account_sync.engine.clock import FakeClock
from tests.fakes import xero_faults as faults
from tests.fakes.xero_harness import connect, new_client, raw
from tests.fakes.xero_server import FakeXero

INVOICE = {
    "Type": "ACCREC",
    "Contact": {"Name": "Walk-in Customer"},
    "Date": "/Date(1714521600000+0000)/",
    "LineItems": [{"Description": "Widget", "Quantity": 2, "UnitAmount": 10, "AccountCode": "200"}],
    "Status": "AUTHORISED",
}


@pytest.fixture
def fake():
    server = FakeXero().start()
    yield server
    server.stop()


@pytest.fixture
def session(fake):
    """(access token, tenant id) obtained through the real consent flow."""
    client = connect(new_client(fake), fake)
    return client.tokens.store.get("xero-connection-1").access_token, client.tenant_id


def test_a_request_the_spec_rejects_gets_400_and_is_recorded(fake, session):
    token, tenant = session
    bad = {"Invoices": [{**INVOICE, "LineItems": [{"Description": "x", "Quantity": "two"}]}]}
    status, body, _ = raw(fake, "PUT", "/api.xro/2.0/Invoices", token, tenant, bad)
    assert status == 400 and body["Type"] == "PostDataInvalidException"
    assert "Quantity" in body["Message"] and "'two' is not of type 'number'" in body["Message"]
    assert len(fake.violations) == 1 and not fake.ledger().invoices


@pytest.mark.parametrize(
    "change",
    [
        {"Type": "SALESINVOICE"},  # not in the enum
        {"Status": "OPEN"},
        {"LineAmountTypes": "Gross"},
        {"CurrencyRate": "1.2"},
    ],
)
def test_enum_and_type_violations_are_caught(fake, session, change):
    token, tenant = session
    status, _, _ = raw(fake, "PUT", "/api.xro/2.0/Invoices", token, tenant, {"Invoices": [{**INVOICE, **change}]})
    assert status == 400 and fake.violations


def test_query_and_header_parameters_are_checked(fake, session):
    token, tenant = session
    status, _, _ = raw(fake, "GET", "/api.xro/2.0/Invoices?page=first", token, tenant)
    assert status == 400 and "page" in fake.violations[-1]
    status, _, _ = raw(fake, "GET", "/api.xro/2.0/Invoices", token, None)  # xero-tenant-id is required
    assert status == 400 and "xero-tenant-id" in fake.violations[-1]
    fake.violations.clear()
    status, _, _ = raw(fake, "PUT", "/api.xro/2.0/Invoices?summarizeErrors=False", token, tenant, {"Invoices": []})
    assert status == 400 and "expected a boolean" in fake.violations[-1], "the spec types it boolean: false"
    fake.violations.clear()
    status, _, _ = raw(fake, "PUT", "/api.xro/2.0/Invoices?summarizeErrors=false", token, tenant, {"Invoices": []})
    assert status == 200 and not fake.violations


def test_a_response_the_spec_rejects_is_recorded(fake, session):
    token, tenant = session
    status, body, _ = raw(fake, "PUT", "/api.xro/2.0/Invoices", token, tenant, {"Invoices": [INVOICE]})
    assert status == 200 and not fake.violations
    stored = fake.ledger().invoices[body["Invoices"][0]["InvoiceID"]]
    stored["Status"] = "OPEN"  # a bug in the fake: a status Xero never answers
    raw(fake, "GET", f"/api.xro/2.0/Invoices/{stored['InvoiceID']}", token, tenant)
    assert fake.violations and "response 200" in fake.violations[0] and "OPEN" in fake.violations[0]


def test_unknown_endpoint_is_a_violation(fake, session):
    token, tenant = session
    status, _, _ = raw(fake, "GET", "/api.xro/2.0/Widgets", token, tenant)
    assert status == 404 and fake.violations


def test_dates_are_xero_ms_dates_and_totals_computed(fake, session):
    token, tenant = session
    _, body, headers = raw(fake, "PUT", "/api.xro/2.0/Invoices", token, tenant, {"Invoices": [INVOICE]})
    invoice = body["Invoices"][0]
    assert invoice["Date"] == "/Date(1714521600000+0000)/"
    assert invoice["UpdatedDateUTC"].startswith("/Date(") and invoice["UpdatedDateUTC"].endswith("+0000)/")
    assert (invoice["SubTotal"], invoice["TotalTax"], invoice["Total"]) == (20.0, 3.0, 23.0)
    assert invoice["Contact"]["Name"] == "Walk-in Customer", "an unknown contact name creates the contact"
    assert int(headers["X-MinLimit-Remaining"]) < 60 and int(headers["X-DayLimit-Remaining"]) < 5000


def test_idempotency_key_same_body_same_answer_one_record(fake, session):
    token, tenant = session
    first = raw(
        fake, "PUT", "/api.xro/2.0/Invoices", token, tenant, {"Invoices": [INVOICE]}, **{"Idempotency-Key": "k1"}
    )
    again = raw(
        fake, "PUT", "/api.xro/2.0/Invoices", token, tenant, {"Invoices": [INVOICE]}, **{"Idempotency-Key": "k1"}
    )
    assert first[1]["Invoices"][0]["InvoiceID"] == again[1]["Invoices"][0]["InvoiceID"]
    assert len(fake.ledger().invoices) == 1
    other = {"Invoices": [{**INVOICE, "Reference": "changed"}]}
    status, body, _ = raw(fake, "PUT", "/api.xro/2.0/Invoices", token, tenant, other, **{"Idempotency-Key": "k1"})
    assert status == 400 and "Idempotency-Key" in body["Message"]
    status, body, _ = raw(fake, "PUT", "/api.xro/2.0/Invoices", token, tenant, other, **{"Idempotency-Key": "k" * 129})
    assert status == 400 and "128" in body["Message"]


def test_summarize_errors_true_rejects_the_whole_batch(fake, session):
    token, tenant = session
    bad = {**INVOICE, "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 1, "AccountCode": "000"}]}
    status, body, _ = raw(fake, "PUT", "/api.xro/2.0/Invoices", token, tenant, {"Invoices": [INVOICE, bad]})
    assert status == 400 and body["Elements"][0]["ValidationErrors"][0]["Message"].startswith("Account code '000'")
    assert not fake.ledger().invoices and not fake.violations
    path = "/api.xro/2.0/Invoices?summarizeErrors=false"
    status, body, _ = raw(fake, "PUT", path, token, tenant, {"Invoices": [INVOICE, bad]})
    assert status == 200 and [i["HasErrors"] for i in body["Invoices"]] == [False, True]
    assert len(fake.ledger().invoices) == 1


def test_pagination_and_if_modified_since(fake, session):
    token, tenant = session
    ledger = fake.ledger()
    for n in range(130):
        record, _ = ledger.create_contact({"Name": f"C{n}"})
        record["_updated"] = 1_000_000 + n  # spread the modification times
    first = raw(fake, "GET", "/api.xro/2.0/Contacts?page=1", token, tenant)[1]
    second = raw(fake, "GET", "/api.xro/2.0/Contacts?page=2", token, tenant)[1]
    assert len(first["Contacts"]) == 100 and len(second["Contacts"]) == 30
    assert first["pagination"] == {"page": 1, "pageSize": 100, "pageCount": 2, "itemCount": 130}
    since = "1970-01-12T13:48:40Z"  # 1,000,120 s after the epoch
    recent = raw(fake, "GET", "/api.xro/2.0/Contacts", token, tenant, **{"If-Modified-Since": since})[1]
    assert [c["Name"] for c in recent["Contacts"]] == [f"C{n}" for n in range(120, 130)]
    assert not fake.violations


def test_bearer_token_and_tenant_are_checked(fake, session):
    token, tenant = session
    assert raw(fake, "GET", "/api.xro/2.0/Accounts", None, tenant)[0] == 401
    assert raw(fake, "GET", "/api.xro/2.0/Accounts", "forged", tenant)[0] == 401
    status, body, headers = raw(fake, "GET", "/api.xro/2.0/Accounts", token, "3f0a9c1e-0000-4000-8000-000000000000")
    assert status == 403 and body["Detail"] == "AuthenticationUnsuccessful"
    fake.identity.expire_access_tokens()
    status, body, headers = raw(fake, "GET", "/api.xro/2.0/Accounts", token, tenant)
    assert (
        status == 401 and body["Detail"].startswith("TokenExpired") and "invalid_token" in headers["WWW-Authenticate"]
    )


def test_refresh_tokens_rotate_and_the_old_one_is_refused(fake):
    client = connect(new_client(fake), fake)
    first = client.tokens.store.get("xero-connection-1")
    second = client.oauth.refresh(first)
    assert second.refresh_token != first.refresh_token
    with pytest.raises(Exception, match="invalid_grant"):
        client.oauth.refresh(first)
    fake.identity.refresh_grace = 1800  # Xero's real grace period replays the successor instead
    assert client.oauth.refresh(second).refresh_token
    assert fake.violations == []


def test_real_limits_minute_window_with_retry_after():
    clock = FakeClock()
    fake = FakeXero(clock=clock).start()
    try:
        fake.enforce_limits = True
        client = connect(new_client(fake, clock=FakeClock()), fake)  # the client's own pacing is not shared
        token, tenant = client.tokens.store.get("xero-connection-1").access_token, client.tenant_id
        statuses = [raw(fake, "GET", "/api.xro/2.0/TaxRates", token, tenant)[0] for _ in range(60)]
        assert statuses == [200] * 60
        status, body, headers = raw(fake, "GET", "/api.xro/2.0/TaxRates", token, tenant)
        assert status == 429 and headers["X-Rate-Limit-Problem"] == "minute"
        assert 1 <= int(headers["Retry-After"]) <= 60 and headers["X-MinLimit-Remaining"] == "0"
        clock.advance(int(headers["Retry-After"]))
        assert raw(fake, "GET", "/api.xro/2.0/TaxRates", token, tenant)[0] == 200
    finally:
        fake.stop()


def test_real_limits_five_concurrent_calls(fake, session):
    token, tenant = session
    fake.enforce_limits = True
    fake.faults.add(faults.SLOW, "getTaxRates", times=6, delay=0.8)
    statuses = []
    threads = [
        threading.Thread(target=lambda: statuses.append(raw(fake, "GET", "/api.xro/2.0/TaxRates", token, tenant)[0]))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert sorted(statuses) == [200] * 5 + [429]
    assert fake.quota.max_in_flight[tenant] == 5


def test_payments_and_allocations_keep_the_books_consistent(fake, session):
    ledger = fake.ledger()
    invoice, _ = ledger.create_invoice(INVOICE)
    assert invoice["AmountDue"] == Decimal("23.00")
    _, problems = ledger.create_payment(
        {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Account": {"Code": "200"}, "Amount": 5}
    )
    assert problems == ["Payments can only be made to BANK accounts or accounts with payments enabled."]
    _, problems = ledger.create_payment(
        {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Account": {"Code": "090"}, "Amount": 50}
    )
    assert problems == ["Payment amount exceeds the amount outstanding on this document"]
    payment, _ = ledger.create_payment(
        {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Account": {"Code": "090"}, "Amount": 23}
    )
    assert payment["PaymentType"] == "ACCRECPAYMENT" and invoice["Status"] == "PAID" and invoice["AmountDue"] == 0
    _, problems = ledger.update_invoice(invoice["InvoiceID"], {"Status": "VOIDED"})
    assert problems and "voided" in problems[0]
