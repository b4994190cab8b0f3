"""The Xero client wrapper driving the unchanged xero-python SDK against the spec-checking fake Xero."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from decimal import Decimal

import pytest

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.clock import FakeClock
from account_sync.engine.errors import (
    DailyLimitReached,
    ReconnectRequired,
    RemoteTimeout,
    TransientError,
)
from account_sync.engine.records import Allocation, CreditNote, Payment, RecordRef
from account_sync.engine.states import RemoteState
from account_sync.engine.tokens import InMemoryTokenStore, TokenPair
from account_sync_xero.engine.client import choose_tenant
from tests.fakes import xero_faults as faults
from tests.fakes.xero_harness import MAPPING, STORE_KEY, bill, connect, consent, contact, invoice, line, new_client
from tests.fakes.xero_server import FakeXero


@pytest.fixture
def fake():
    server = FakeXero().start()
    yield server
    server.stop()
    assert server.violations == [], "the fake saw requests or answered responses that Xero's spec rejects"


@pytest.fixture
def client(fake):
    return connect(new_client(fake), fake)


def _near_expiry(client, seconds=30.0):
    """Make the stored access token look about to expire, as after half an hour of work."""
    pair = client.tokens.store.get(STORE_KEY)
    aged = TokenPair(pair.access_token, pair.refresh_token, client.clock.time() + seconds, pair.scope)
    client.tokens.store.save(STORE_KEY, aged)


# --- connection -----------------------------------------------------------------------------------------


def test_oauth_code_exchange_and_tenant_pick(fake):
    client = new_client(fake)
    url = client.authorization_url("csrf-state", code_challenge="abc")
    assert url.startswith(fake.authorize_url) and "offline_access" in url and "accounting.transactions" in url
    answer = consent(fake, url)
    pair = client.connect(answer["code"])
    assert pair.refresh_token and pair.expires_at > time.time() + 1700
    assert client.tokens.store.get(STORE_KEY) == pair
    tenants = client.list_connections()
    assert [t.name for t in tenants] == ["Demo Company (NZ)", "Second Org Ltd"]
    with pytest.raises(Exception, match="choose one"):
        choose_tenant(tenants)
    client.tenant_id = choose_tenant(tenants, "Second Org Ltd").id
    assert client.list_accounts()  # the chosen tenant answers
    assert fake.calls("getAccounts")[0].tenant == fake.tenants[1][0]
    with pytest.raises(ReconnectRequired, match="invalid_grant"):
        client.connect(answer["code"])  # a code is single-use


def test_revoke_disconnects(client, fake):
    client.disconnect()
    with pytest.raises(ReconnectRequired):
        client.list_accounts()
    assert fake.identity.counts["revocation"] == 1


# --- pushing documents ----------------------------------------------------------------------------------


def test_push_contact_then_invoice(client, fake):
    partner = contact(1, phone="+64 9 377 1234", mobile="021 555 0101")
    results = client.push_invoices([invoice(1, partner, "100.00")], MAPPING)
    assert [r.ok for r in results] == [True]
    assert partner.remote_id and results[0].number == "INV/2024/00001"
    order = [c.operation for c in fake.calls() if c.operation in ("createContacts", "createInvoices")]
    assert order == ["createContacts", "createInvoices"]
    ledger = fake.ledger()
    stored = ledger.invoices[results[0].remote_id]
    assert stored["Contact"]["ContactID"] == partner.remote_id
    assert stored["Total"] == Decimal("115.00") and stored["Status"] == "AUTHORISED"
    phones = {p["PhoneType"]: p for p in ledger.contacts[partner.remote_id]["Phones"]}
    assert (phones["DEFAULT"]["PhoneCountryCode"], phones["DEFAULT"]["PhoneAreaCode"]) == ("64", "9")
    assert phones["DEFAULT"]["PhoneNumber"] == "3771234"
    assert (phones["MOBILE"]["PhoneAreaCode"], phones["MOBILE"]["PhoneNumber"]) == ("21", "5550101")
    # a second push of the same partner reuses the link: no new contact
    client.push_invoices([invoice(2, partner)], MAPPING)
    assert len(ledger.contacts) == 1 and len(ledger.invoices) == 2
    assert all(c.idempotency_key for c in fake.calls() if c.method in ("PUT", "POST") and "api.xro" in c.path)


def test_timeout_then_urllib3_retry_creates_one_invoice(fake):
    """The SDK's urllib3 re-sends a timed-out PUT by itself; the Idempotency-Key makes that harmless."""
    client = connect(new_client(fake, timeout=(2.0, 0.3)), fake)
    fake.faults.add(faults.SLOW, "createInvoices", times=1, delay=0.8)
    results = client.push_invoices([invoice(1, contact(1))], MAPPING)
    assert results[0].ok
    calls = fake.calls("createInvoices")
    assert len(calls) == 2, "urllib3 retried the PUT once, inside a single SDK call"
    assert client.stats["calls:create_invoices"] == 1
    assert calls[0].idempotency_key == calls[1].idempotency_key and calls[1].replayed
    assert len(fake.ledger().invoices) == 1


def test_timeouts_beyond_urllib3_retries_are_retried_with_the_same_key(fake):
    client = connect(new_client(fake, timeout=(2.0, 0.2)), fake)
    fake.faults.add(faults.SLOW, "createInvoices", times=4, delay=0.5)  # urllib3: 1 try + 3 retries
    results = client.push_invoices([invoice(1, contact(1))], MAPPING)
    assert results[0].ok
    calls = fake.calls("createInvoices")
    assert len(calls) == 5 and len({c.idempotency_key for c in calls}) == 1
    assert client.stats["timeouts"] == 1 and client.stats["calls:create_invoices"] == 2
    assert len(fake.ledger().invoices) == 1


def test_timeout_that_never_ends_is_a_clear_error(fake):
    client = connect(new_client(fake, timeout=(2.0, 0.2), retry=RetryPolicy(max_attempts=2, jitter=0)), fake)
    fake.faults.add(faults.SLOW, "getAccounts", times=10, delay=0.4)
    with pytest.raises(RemoteTimeout, match="did not answer get_accounts in time"):
        client.list_accounts()


def test_batch_of_120_with_2_invalid(client, fake):
    partners = [contact(n) for n in range(12)]
    documents = [invoice(n, partners[n % 12]) for n in range(120)]
    documents[7].lines = [line(account="999999")]  # unmapped: refused before sending
    documents[64].lines = [line(account="477", tax="TVA20")]  # mapped through, but archived at Xero
    mapping = dataclasses.replace(MAPPING, accounts={**MAPPING.accounts, "477": "477"}, default_sale_account="")
    results = client.push_invoices(documents, mapping)
    assert sum(r.ok for r in results) == 118
    failed = {i: r.errors for i, r in enumerate(results) if not r.ok}
    assert set(failed) == {7, 64}
    assert "999999" in failed[7][0]
    assert failed[64] == ("Account code '477' is not a valid code for this document.",)
    assert len(fake.ledger().invoices) == 118
    batches = fake.calls("createInvoices")
    assert [len(b.query) for b in batches] and len(batches) == 3  # 50 + 50 + 19
    assert all(("summarizeErrors", "false") in b.query for b in batches)
    assert len(fake.calls("createContacts")) == 1  # 12 distinct partners, one request
    assert [r.ref for r in results] == [d.ref for d in documents]


def test_partial_batch_failure_injected_by_xero(client, fake):
    fake.faults.add(faults.ITEM_ERROR, "createInvoices", indices=[1], message="Organisation is locked")
    results = client.push_invoices([invoice(n, contact(1)) for n in range(3)], MAPPING)
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].errors == ("Organisation is locked",)


def test_void_invoice(client, fake):
    doc = invoice(1, contact(1))
    [created] = client.push_invoices([doc], MAPPING)
    result = client.void_invoice(created.remote_id, doc.ref)
    assert result.ok
    assert fake.ledger().invoices[created.remote_id]["Status"] == "VOIDED"
    again = client.void_invoice(created.remote_id, RecordRef("account.move", 1, "later"))
    assert not again.ok and "voided" in again.errors[0]


def test_credit_note_with_allocation(client, fake):
    partner = contact(1)
    doc = invoice(1, partner, "200.00")
    [created] = client.push_invoices([doc], MAPPING)
    note = CreditNote(
        ref=RecordRef("account.move", 50, "v1"),
        contact=partner,
        date=dt.date(2024, 5, 10),
        lines=[line("50.00")],
        allocations=[Allocation(invoice_remote_id=created.remote_id, amount=Decimal("57.50"))],
    )
    [result] = client.push_credit_notes([note], MAPPING)
    assert result.ok and result.number == "CN-0001"
    stored_invoice = fake.ledger().invoices[created.remote_id]
    assert stored_invoice["AmountCredited"] == Decimal("57.50")
    assert stored_invoice["AmountDue"] == Decimal("172.50")
    assert fake.ledger().credit_notes[result.remote_id]["Status"] == "PAID"
    too_much = CreditNote(
        ref=RecordRef("account.move", 51, "v1"),
        contact=partner,
        date=dt.date(2024, 5, 11),
        lines=[line("10.00")],
        allocations=[Allocation(invoice_remote_id=created.remote_id, amount=Decimal("500"))],
    )
    [partial] = client.push_credit_notes([too_much], MAPPING)
    assert not partial.ok and partial.remote_id, "the note exists remotely even though allocation failed"
    assert any("exceeds" in e for e in partial.errors)


def _allocated_note(client, partner, invoice_remote_id, amount="46.00", n=60):
    note = CreditNote(
        ref=RecordRef("account.move", n, "v1"),
        contact=partner,
        date=dt.date(2024, 5, 10),
        lines=[line("40.00")],
        allocations=[Allocation(invoice_remote_id=invoice_remote_id, amount=Decimal(amount))],
    )
    [result] = client.push_credit_notes([note], MAPPING)
    assert result.ok, result.errors
    return result


def test_void_allocated_credit_note_deletes_its_allocation_first(client, fake):
    partner = contact(1)
    [created] = client.push_invoices([invoice(1, partner, "100.00")], MAPPING)
    note = _allocated_note(client, partner, created.remote_id)
    ledger = fake.ledger()
    assert ledger.invoices[created.remote_id]["AmountDue"] == Decimal("69.00")
    # Xero itself refuses to void a note while credit is allocated from it
    stored = ledger.credit_notes[note.remote_id]
    assert ledger.update_credit_note(note.remote_id, {"Status": "VOIDED"})[1] == [
        "Only AUTHORISED or SUBMITTED credit notes can be voided (this one is PAID)."
    ]
    result = client.void_credit_note(note.remote_id, RecordRef("account.move", 60, "v1"))
    assert result.ok, result.errors
    assert stored["Status"] == "VOIDED" and stored["Allocations"][0]["IsDeleted"] is True
    assert ledger.invoices[created.remote_id]["AmountDue"] == Decimal("115.00"), "the invoice is due again"
    assert ledger.invoices[created.remote_id]["CreditNotes"] == []
    assert len(fake.calls("deleteCreditNoteAllocations")) == 1
    assert client.void_credit_note(note.remote_id, RecordRef("account.move", 60, "v2")).ok, "voided already: done"
    assert len(fake.calls("updateCreditNote")) == 1
    assert client.void_invoice(created.remote_id, RecordRef("account.move", 1, "x")).ok, "no credit left on it"


def test_timed_out_allocation_delete_resent_by_urllib3_still_voids(fake):
    """A DELETE has no Idempotency-Key: urllib3's re-send is refused (already deleted); the client checks."""
    client = connect(new_client(fake, timeout=(2.0, 0.3)), fake)
    partner = contact(1)
    [created] = client.push_invoices([invoice(1, partner, "100.00")], MAPPING)
    note = _allocated_note(client, partner, created.remote_id)
    fake.faults.add(faults.SLOW, "deleteCreditNoteAllocations", times=1, delay=0.8)
    result = client.void_credit_note(note.remote_id, RecordRef("account.move", 60, "v1"))
    assert result.ok, result.errors
    calls = fake.calls("deleteCreditNoteAllocations")
    assert len(calls) == 2 and calls[1].status == 400, "re-sent by urllib3, refused: it was gone"
    assert fake.ledger().credit_notes[note.remote_id]["Status"] == "VOIDED"
    assert fake.ledger().invoices[created.remote_id]["AmountDue"] == Decimal("115.00"), "credit taken back once"


def test_void_credit_note_with_a_refund_payment_is_refused(client, fake):
    partner = contact(1)
    [created] = client.push_invoices([invoice(1, partner, "100.00")], MAPPING)
    note = _allocated_note(client, partner, created.remote_id, amount="20.00")
    refund = Payment(
        ref=RecordRef("account.payment", 5, "v1"),
        document_remote_id=note.remote_id,
        amount=Decimal("26.00"),
        date=dt.date(2024, 5, 12),
        account_code="512000",
        on_credit_note=True,
    )
    assert client.push_payments([refund], MAPPING)[0].ok
    result = client.void_credit_note(note.remote_id, RecordRef("account.move", 60, "v1"))
    assert not result.ok and "refund payments" in result.errors[0]
    stored = fake.ledger().credit_notes[note.remote_id]
    assert stored["Status"] == "PAID" and not stored["Allocations"][0]["IsDeleted"], "refused: nothing changed"
    assert fake.ledger().update_credit_note(note.remote_id, {"Status": "VOIDED"})[1], "Xero refuses it too"


def test_delete_payment_reopens_the_invoice_unless_reconciled(client, fake):
    [created] = client.push_invoices([invoice(1, contact(1), "100.00")], MAPPING)
    payments = [
        Payment(
            ref=RecordRef("account.payment", n, "v1"),
            document_remote_id=created.remote_id,
            amount=Decimal(amount),
            date=dt.date(2024, 5, 20),
            account_code="512000",
        )
        for n, amount in ((1, "65.00"), (2, "50.00"))
    ]
    first, second = client.push_payments(payments, MAPPING)
    ledger = fake.ledger()
    assert ledger.invoices[created.remote_id]["Status"] == "PAID", "two payments, split, pay it"
    assert client.delete_payment(first.remote_id, payments[0].ref).ok
    stored = ledger.invoices[created.remote_id]
    assert (stored["Status"], stored["AmountDue"], stored["AmountPaid"]) == (
        "AUTHORISED",
        Decimal("65.00"),
        Decimal("50.00"),
    )
    assert ledger.payments[first.remote_id]["Status"] == "DELETED"
    assert client.delete_payment(first.remote_id, RecordRef("account.payment", 1, "v2")).ok, "gone already: done"
    ledger.reconcile_payment(second.remote_id)
    refused = client.delete_payment(second.remote_id, payments[1].ref)
    assert not refused.ok and "reconciled" in refused.errors[0]
    assert ledger.payments[second.remote_id]["Status"] == "AUTHORISED"
    pulled = {p.remote_id: p.status for p in client.pull_payments()}
    assert pulled == {first.remote_id: RemoteState.DELETED, second.remote_id: RemoteState.ACTIVE}


def test_supplier_bill(client, fake):
    supplier = contact(7, name="Office Supplies Ltd")
    [result] = client.push_bills([bill(1, supplier)], MAPPING)
    stored = fake.ledger().invoices[result.remote_id]
    assert stored["Type"] == "ACCPAY" and stored["InvoiceNumber"] == "SUP-1"
    assert stored["LineItems"][0]["AccountCode"] == "429" and stored["LineItems"][0]["TaxType"] == "INPUT2"
    assert fake.ledger().contacts[supplier.remote_id]["IsSupplier"] is True


def test_payment_push_and_pull_modified_since(fake):
    client = connect(new_client(fake, page_size=10), fake)
    docs = [invoice(n, contact(n % 3)) for n in range(30)]
    created = client.push_invoices(docs, MAPPING)
    early = [
        Payment(
            ref=RecordRef("account.payment", n, "v1"),
            document_remote_id=created[n].remote_id,
            amount=Decimal("115.00"),
            date=dt.date(2024, 5, 20),
            account_code="512000",
        )
        for n in range(5)
    ]
    assert all(r.ok for r in client.push_payments(early, MAPPING))
    time.sleep(0.02)
    since = dt.datetime.now(dt.timezone.utc)
    time.sleep(0.02)
    late = [
        Payment(
            ref=RecordRef("account.payment", n, "v1"),
            document_remote_id=created[n].remote_id,
            amount=Decimal("15.00"),
            date=dt.date(2024, 5, 21),
            account_code="512000",
        )
        for n in range(5, 30)
    ]
    late.append(
        Payment(
            ref=RecordRef("account.payment", 99, "v1"),
            document_remote_id=created[0].remote_id,
            amount=Decimal("1.00"),
            date=dt.date(2024, 5, 21),
            account_code="512000",
        )
    )
    results = client.push_payments(late, MAPPING)
    assert [r.ok for r in results] == [True] * 25 + [False]
    assert results[-1].errors == ("Payment cannot be applied to a document with status PAID.",)
    pulled = client.pull_payments(modified_since=since)
    assert len(pulled) == 25
    assert {p.document_remote_id for p in pulled} == {created[n].remote_id for n in range(5, 30)}
    assert all(
        p.amount == Decimal("15.00") and p.account_code == "090" and p.status == RemoteState.ACTIVE for p in pulled
    )
    pages = [dict(c.query).get("page") for c in fake.calls("getPayments")]
    assert pages == ["1", "2", "3"]
    assert len(client.pull_payments()) == 30
    touched = client.pull_invoices(modified_since=since)  # paid after `since`: their amounts due changed
    assert {d.remote_id for d in touched} == {created[n].remote_id for n in range(5, 30)}


# --- faults ---------------------------------------------------------------------------------------------


def test_429_waits_for_retry_after_then_succeeds(client, fake):
    fake.faults.add(faults.RATE_LIMIT, "getAccounts", times=2, retry_after=7, problem="minute")
    before = client.clock.slept
    assert client.list_accounts()
    assert client.clock.slept - before >= 14  # two Retry-After: 7 waits, on the injected clock
    assert len(fake.calls("getAccounts")) == 3 and client.stats["rate_limited"] == 2


def test_daily_limit_stops_instead_of_sleeping(client, fake):
    fake.faults.add(faults.RATE_LIMIT, "getAccounts", retry_after=3600, problem="day")
    with pytest.raises(DailyLimitReached) as caught:
        client.list_accounts()
    assert caught.value.retry_after == 3600
    with pytest.raises(DailyLimitReached):
        client.list_tax_rates()  # the limiter now refuses locally, without a call
    assert not fake.calls("getTaxRates")


def test_500_bounded_retries_then_a_clear_error(client, fake):
    fake.faults.add(faults.SERVER_ERROR, "getTaxRates", times=100)
    with pytest.raises(TransientError, match="HTTP 500 to get_tax_rates 4 times"):
        client.list_tax_rates()
    assert len(fake.calls("getTaxRates")) == 4


def test_500_once_is_absorbed(client, fake):
    fake.faults.add(faults.SERVER_ERROR, "createInvoices")
    assert client.push_invoices([invoice(1, contact(1))], MAPPING)[0].ok
    assert len(fake.ledger().invoices) == 1


def test_expired_access_token_is_refreshed_and_the_call_retried(client, fake):
    old = client.tokens.store.get(STORE_KEY)
    fake.faults.add(faults.TOKEN_EXPIRED, "getAccounts")
    assert client.list_accounts()
    new = client.tokens.store.get(STORE_KEY)
    assert new.access_token != old.access_token and new.refresh_token != old.refresh_token
    assert fake.identity.counts["refresh_token"] == 1 and len(fake.calls("getAccounts")) == 2


def test_token_near_expiry_is_refreshed_before_the_call(client, fake):
    _near_expiry(client)
    assert client.list_tax_rates()
    assert fake.identity.counts["refresh_token"] == 1
    assert [c.status for c in fake.calls("getTaxRates")] == [200]


def test_revoked_or_rotated_refresh_token_means_reconnect(client, fake):
    _near_expiry(client)
    fake.faults.add(faults.INVALID_GRANT, "token")
    with pytest.raises(ReconnectRequired, match="reconnect needed"):
        client.list_accounts()
    assert not fake.calls("getAccounts")


def test_401_twice_means_reconnect(client, fake):
    fake.faults.add(faults.TOKEN_EXPIRED, "getAccounts", times=2)
    with pytest.raises(ReconnectRequired, match="reconnect needed"):
        client.list_accounts()
    assert fake.identity.counts["refresh_token"] == 1


def test_concurrent_refresh_from_two_threads_makes_one_refresh_call(fake):
    store = InMemoryTokenStore()
    first = connect(new_client(fake, store=store), fake)
    second = new_client(fake, store=store, tenant_id=first.tenant_id)  # another worker, same connection
    _near_expiry(first)
    barrier = threading.Barrier(2)
    outcomes = []

    def work(worker):
        barrier.wait()
        outcomes.append(len(worker.list_accounts()))

    threads = [threading.Thread(target=work, args=(w,)) for w in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(outcomes) == 2 and all(outcomes)
    assert fake.identity.counts["refresh_token"] == 1, "rotating refresh tokens allow a single refresh"


# --- chart of accounts, limits --------------------------------------------------------------------------


def test_chart_of_accounts_and_tax_rates(client):
    accounts = {a.code: a for a in client.list_accounts()}
    assert accounts["090"].is_bank and accounts["200"].type == "REVENUE"
    assert accounts["477"].active is False
    rates = {r.code: r for r in client.list_tax_rates()}
    assert rates["OUTPUT2"].rate == Decimal("15") and rates["NONE"].rate == 0


def test_client_paces_itself_under_xero_real_limits():
    clock = FakeClock()
    limited = FakeXero(clock=clock).start()
    try:
        limited.enforce_limits = True
        client = connect(new_client(limited, clock=clock), limited)
        for _ in range(70):
            client.list_tax_rates()
        statuses = [c.status for c in limited.calls("getTaxRates")]
        assert statuses == [200] * 70, "the client never hit a 429"
        assert clock.monotonic() >= 60.0, "the 61st call waited for the minute window"
        assert limited.violations == []
    finally:
        limited.stop()


def test_unreachable_xero_is_a_transient_error(fake):
    client = connect(new_client(fake, retry=RetryPolicy(max_attempts=2, jitter=0)), fake)
    fake.stop()
    with pytest.raises(TransientError, match="could not reach Xero for get_accounts"):
        client.list_accounts()
    fake.start()  # the fixture stops it again


def test_pull_contacts_pages_through_all_of_them(fake):
    """What "import all my customers" reads: every contact, across pages, phones joined back."""
    client = connect(new_client(fake, page_size=10), fake)
    client.push_contacts([contact(n) for n in range(23)])
    pulled = client.pull_contacts()
    assert len(pulled) == 23 and all(c.remote_id for c in pulled)
    assert {c.name for c in pulled} == {f"Customer {n:04d}" for n in range(23)}
    assert pulled[0].phone.startswith("+64 9") and len(fake.calls("getContacts")) == 3
