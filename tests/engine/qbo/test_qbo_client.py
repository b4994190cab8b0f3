"""QboClient through the unchanged python-quickbooks / intuit-oauth SDKs against the fake QuickBooks server.

Every request and answer is checked against Intuit's XSDs by the fake (a violation fails the test at
teardown).  Time is simulated: the client and the fake share a ``FakeClock``, so back-off waits cost
nothing and CDC windows can be moved; only the timeout test waits for real (under a second).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace
from decimal import Decimal

import pytest

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.errors import (
    ConfigurationError,
    MappingError,
    ReconnectRequired,
    RemoteNotFound,
    RemoteTimeout,
    TransientError,
)
from account_sync.engine.records import Bill, Contact, CreditNote, Line, Payment, RecordRef
from account_sync.engine.states import RemoteState
from account_sync_qbo.engine.client import token_key
from account_sync_qbo.engine.errors import RemoteStateConflict
from tests.fakes.qbo_harness import Harness, connect, contact, invoice
from tests.fakes.qbo_limits import QboLimits
from tests.fakes.qbo_server import FakeQbo


def supplier(number: int = 1) -> Contact:
    return Contact(ref=RecordRef("res.partner", 900 + number, "v1"), name=f"Supplier {number} Ltd", is_supplier=True)


def bill(number: int, vendor: Contact) -> Bill:
    return Bill(
        ref=RecordRef("account.move", 5000 + number, "v1"),
        contact=vendor,
        date=dt.date(2026, 11, 3),
        due_date=dt.date(2026, 12, 3),
        number=f"SUP-{number}",
        lines=[Line(description="Paper", quantity=Decimal(10), unit_price=Decimal("12.50"), account_code="600000")],
    )


def payment(number: int, document_id: str, amount: str, **extra) -> Payment:
    return Payment(
        ref=RecordRef("account.payment", number, "v1"),
        document_remote_id=document_id,
        amount=Decimal(amount),
        date=dt.date(2026, 11, 20),
        account_code="512000",
        reference=f"PAY{number}",
        **extra,
    )


# --- OAuth ---------------------------------------------------------------------------------------------


def test_connect_stores_a_pair_for_the_realm_and_calls_the_api(qbo, fake):
    pair = qbo.store.get(token_key(qbo.realm))
    assert pair.extra["realm_id"] == qbo.realm
    assert pair.expires_at == pytest.approx(qbo.clock.time() + 3600, abs=5)
    assert fake.oauth.live_refresh_tokens(qbo.realm) == [pair.refresh_token]
    assert {account.code for account in qbo.client().list_accounts()} >= {"1200", "7500"}


def test_expired_access_token_is_refreshed_once_and_the_rotated_pair_stored(qbo, fake):
    old = qbo.store.get(token_key(qbo.realm))
    fake.faults.add("expired_token", endpoint="customer")
    remote_id = qbo.client().push_customer(contact(1))
    new = qbo.store.get(token_key(qbo.realm))
    assert remote_id and new.access_token != old.access_token and new.refresh_token != old.refresh_token
    assert fake.oauth.live_refresh_tokens(qbo.realm) == [new.refresh_token]  # the old one is spent
    assert [call.status for call in fake.calls("customer")] == [401, 200]


def test_token_near_expiry_is_refreshed_before_the_call(qbo, fake):
    qbo.clock.advance(3600 - 60)  # inside the client's 120 s margin
    qbo.client().list_tax_rates()
    assert fake.oauth.refresh_calls == 1 and not fake.calls(status=401)


def test_two_threads_hitting_401_refresh_once_and_keep_one_valid_pair(qbo, fake):
    clients = [qbo.client(), qbo.client()]
    fake.oauth.expire()  # both hold an access token QBO now rejects
    barrier = threading.Barrier(2)
    errors = []

    def work(client, number):
        barrier.wait()
        try:
            client.push_customer(contact(number))
        except Exception as exc:  # collected: an assert in a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(client, n)) for n, client in enumerate(clients, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert fake.oauth.refresh_calls == 1 and fake.oauth.rejected_refreshes == 0
    assert fake.oauth.live_refresh_tokens(qbo.realm) == [qbo.store.get(token_key(qbo.realm)).refresh_token]
    assert len(fake.company().rows("Customer")) == 2


def test_refresh_token_rotated_elsewhere_asks_for_reconnection(qbo, fake):
    stored = qbo.store.get(token_key(qbo.realm))
    qbo.auth.refresh(stored)  # another installation refreshed with the same token: ours is now spent
    fake.oauth.expire()
    with pytest.raises(ReconnectRequired, match="invalid_grant"):
        qbo.client().push_customer(contact(1))
    assert fake.oauth.rejected_refreshes == 1


# --- customers and invoices ----------------------------------------------------------------------------


def test_push_customer_then_invoice_with_vat(qbo, fake):
    client = qbo.client()
    customer = contact(7, name="Ŀondon Caffè Ltd")  # non-ASCII goes through queries and bodies as UTF-8
    result = client.push_invoice(invoice(1, customer, amounts=("100.00", "50.50")))
    stored = fake.company().read("Invoice", result.remote_id)
    assert result.ok and result.number == "INV/00001"
    assert stored["TotalAmt"] == 180.6 and stored["TxnTaxDetail"]["TotalTax"] == 30.1
    assert stored["CustomerRef"]["value"] == fake.company().rows("Customer")[0]["Id"]
    assert [line["LineNum"] for line in stored["Line"][:2]] == [1, 2]
    assert all(call.requestid for call in fake.calls(operation="write"))


def test_retried_create_after_a_timeout_creates_one_invoice(qbo, fake):
    client = qbo.client(replace(qbo.settings, timeout=0.3))
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    fake.faults.add("slow", endpoint="invoice", delay=0.8)  # created, but the answer comes too late
    result = client.push_invoice(invoice(1, customer))
    writes = fake.calls("invoice", "write")
    assert len(writes) == 2 and writes[0].requestid == writes[1].requestid and writes[1].replayed
    assert [row["Id"] for row in fake.company().rows("Invoice")] == [result.remote_id]


def test_batch_of_70_invoices_with_two_invalid(qbo, fake):
    client = qbo.client()
    known = contact(1, remote_id=client.push_customer(contact(1)))
    ghost = contact(2, remote_id="999")  # deleted in QBO meanwhile: QBO refuses the reference
    invoices = [invoice(n, ghost if n in (17, 48) else known) for n in range(1, 71)]
    results = client.push_invoices(invoices)
    assert [r.ok for r in results].count(True) == 68
    failed = [r for r in results if not r.ok]
    assert [r.ref.id for r in failed] == [17, 48]
    assert all("2500" in r.errors[0] and "Invalid Reference Id" in r.errors[0] for r in failed)
    assert len(fake.calls("batch")) == 3 and len(fake.company().rows("Invoice")) == 68
    assert {r.number for r in results if r.ok} == {f"INV/{n:05d}" for n in range(1, 71) if n not in (17, 48)}


def test_customer_update_is_sparse_and_keeps_what_qbo_users_added(qbo, fake):
    client = qbo.client()
    remote_id = client.push_customer(contact(1))
    fake.company().edit_as_another_user("Customer", remote_id, Notes="Pays late", PrintOnCheckName="ACME")
    moved = replace(contact(1, remote_id=remote_id), email="new@example.com", ref=RecordRef("res.partner", 1, "v2"))
    assert qbo.client().push_customer(moved) == remote_id
    stored = fake.company().read("Customer", remote_id)
    assert stored["PrimaryEmailAddr"] == {"Address": "new@example.com"}
    assert (stored["Notes"], stored["PrintOnCheckName"], stored["SyncToken"]) == ("Pays late", "ACME", "2")


def test_at_most_ten_requests_in_flight_per_realm(clock):
    with FakeQbo(clock=clock, limits=QboLimits()) as fake:
        harness = Harness(fake, clock)
        fake.faults.add("slow", endpoint="customer", times=14, delay=0.3)
        errors = []

        def work(number):
            try:
                harness.client().push_customer(contact(number))
            except Exception as exc:  # collected: an assert in a thread would be lost
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(14)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert errors == [] and len(fake.company().rows("Customer")) == 14
        assert fake.throttle.refused == 0 and 1 < fake.throttle.peak_in_flight <= 10


def test_batch_creates_customers_and_binds_duplicates(qbo, fake):
    client = qbo.client()
    taken = client.push_customer(contact(50, name="Already There"))
    contacts = [contact(n) for n in range(1, 4)] + [contact(51, name="already there")]
    results = client.push_customers(contacts)
    assert all(r.ok for r in results) and results[-1].remote_id == taken
    assert results[-1].warnings == ("bound to the existing customer",)
    assert len(fake.company().rows("Customer")) == 4


def test_stale_sync_token_rereads_reapplies_and_keeps_the_other_edit(qbo, fake):
    client = qbo.client()
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    first = client.push_invoice(invoice(1, customer))
    fake.faults.add(
        "concurrent_edit", endpoint="invoice", operation="write", changes={"CustomerMemo": {"value": "Thank you!"}}
    )
    changed = invoice(1, customer, amounts=("300.00",), remote_id=first.remote_id)
    client.push_invoice(changed)
    stored = fake.company().read("Invoice", first.remote_id)
    assert client.updater.conflicts == 1
    assert stored["CustomerMemo"] == {"value": "Thank you!"}  # the other user's change survived
    assert stored["TotalAmt"] == 360.0 and stored["SyncToken"] == "2"  # the edit, then ours
    assert [c.status for c in fake.calls("invoice", "write")][-2:] == [400, 200]


def test_conflicts_that_never_settle_end_in_a_clear_error(qbo, fake):
    client = qbo.client()
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    first = client.push_invoice(invoice(1, customer))
    fake.faults.add("stale", endpoint="invoice", operation="write", times=10)
    with pytest.raises(TransientError, match="still changing remotely after 3 re-reads"):
        client.push_invoice(invoice(1, customer, remote_id=first.remote_id))


def test_void_invoice_is_idempotent_and_blocks_later_updates(qbo, fake):
    client = qbo.client()
    customer = contact(1, remote_id=client.push_customer(contact(1)))
    created = client.push_invoice(invoice(1, customer))
    client.void_invoice(created.remote_id, RecordRef("account.move", 1, "v2"))
    client.void_invoice(created.remote_id, RecordRef("account.move", 1, "v2"))
    stored = fake.company().read("Invoice", created.remote_id)
    assert stored["TotalAmt"] == 0 and stored["PrivateNote"] == "Voided"
    assert len(fake.calls("invoice", "void")) == 1
    with pytest.raises(RemoteStateConflict, match="voided"):
        client.push_invoice(invoice(1, customer, remote_id=created.remote_id))


def test_credit_memo_and_vendor_credit(qbo, fake):
    client = qbo.client()
    note = CreditNote(
        ref=RecordRef("account.move", 77, "v1"),
        contact=contact(3),
        date=dt.date(2026, 11, 5),
        number="RINV/0001",
        lines=[Line(description="Refund", quantity=Decimal(2), unit_price=Decimal("25"), tax_code="VAT20")],
    )
    memo = fake.company().read("CreditMemo", client.push_credit_note(note).remote_id)
    assert memo["TotalAmt"] == 60.0 and memo["RemainingCredit"] == 60.0
    supplier_line = replace(note.lines[0], account_code="600000")
    supplier_note = replace(note, ref=RecordRef("account.move", 78, "v1"), contact=supplier(), lines=[supplier_line])
    supplier_note.supplier = True
    credit = fake.company().read("VendorCredit", client.push_credit_note(supplier_note).remote_id)
    assert credit["TotalAmt"] == 60.0 and credit["VendorRef"]["value"] == fake.company().rows("Vendor")[0]["Id"]


def test_bill_then_bill_payment(qbo, fake):
    client = qbo.client()
    created = client.push_bill(bill(1, supplier()))
    stored = fake.company().read("Bill", created.remote_id)
    assert (
        stored["TotalAmt"] == 150.0 and stored["Line"][0]["AccountBasedExpenseLineDetail"]["AccountRef"]["value"] == "6"
    )
    client.push_bill_payment(payment(1, created.remote_id, "150.00"))
    assert fake.company().read("Bill", created.remote_id)["Balance"] == 0


def test_payment_reduces_the_invoice_balance(qbo, fake):
    client = qbo.client()
    created = client.push_invoice(invoice(1, contact(1)))
    result = client.push_payment(payment(1, created.remote_id, "50.00"))
    stored = fake.company().read("Payment", result.remote_id)
    assert stored["DepositToAccountRef"]["value"] == "5" and stored["PaymentRefNum"] == "PAY1"
    assert fake.company().read("Invoice", created.remote_id)["Balance"] == 70.0


def test_payment_into_an_unmapped_bank_account_is_refused_before_any_write(qbo, fake):
    client = qbo.client()
    created = client.push_invoice(invoice(1, contact(1)))
    with pytest.raises(MappingError, match="no QBO bank account mapped for local account code '999999'"):
        client.push_payment(replace(payment(1, created.remote_id, "5.00"), account_code="999999"))
    assert not fake.calls("payment")


def test_pull_payments_changed_since_t(qbo, fake):
    client = qbo.client()
    documents = [client.push_invoice(invoice(n, contact(1))).remote_id for n in (1, 2, 3)]
    early = client.push_payment(payment(1, documents[0], "10.00"))
    qbo.clock.advance(600)
    since = dt.datetime.fromtimestamp(qbo.clock.time(), dt.timezone.utc)
    qbo.clock.advance(60)
    late = client.push_payment(payment(2, documents[1], "20.00"))
    gone = client.push_payment(payment(3, documents[2], "30.00"))
    company = fake.company()
    company.void("Payment", {"Id": early.remote_id, "SyncToken": company.read("Payment", early.remote_id)["SyncToken"]})
    company.delete("Payment", {"Id": gone.remote_id, "SyncToken": "0"})
    pulled = client.pull_payments(since)
    assert {(p.remote_id, p.status) for p in pulled} == {
        (early.remote_id, RemoteState.DELETED),  # voided: the money was taken back, as when deleted
        (late.remote_id, RemoteState.ACTIVE),
        (gone.remote_id, RemoteState.DELETED),
    }
    active = next(p for p in pulled if p.status == RemoteState.ACTIVE)
    assert (active.document_remote_id, active.amount, active.reference) == (documents[1], Decimal("20.0"), "PAY2")
    assert active.updated_at >= since and client.changes.cdc_calls == 1


def test_pull_payments_older_than_the_cdc_window_uses_queries(qbo, fake):
    client = qbo.client()
    created = client.push_invoice(invoice(1, contact(1)))
    client.push_payment(payment(1, created.remote_id, "10.00"))
    since = dt.datetime.fromtimestamp(qbo.clock.time(), dt.timezone.utc) - dt.timedelta(days=1)
    qbo.clock.advance(40 * 86400)
    pulled = client.pull_payments(since)
    assert len(pulled) == 1 and client.changes.query_calls == 1 and not fake.calls("cdc")


def test_cdc_over_1000_changes_continues_past_the_cap(qbo, fake):
    client = qbo.client()
    customer = client.push_customer(contact(1))
    company = fake.company()
    for n in range(1205):  # straight into the store: 1,205 HTTP creates would only slow the test down
        company.create("Payment", {"CustomerRef": {"value": customer}, "TotalAmt": 1, "PaymentRefNum": str(n)})
        if n % 400 == 0:
            qbo.clock.advance(1)
    since = dt.datetime.fromtimestamp(qbo.clock.time(), dt.timezone.utc) - dt.timedelta(hours=1)
    pulled = client.pull_payments(since)
    assert len({p.remote_id for p in pulled}) == 1205 and client.changes.cdc_calls == 2


def test_accounts_and_tax_rates(qbo):
    client = qbo.client()
    accounts = {account.code: account for account in client.list_accounts()}
    assert accounts["1200"].is_bank and accounts["1200"].remote_id == "5"
    rates = {rate.name: rate.rate for rate in client.list_tax_rates()}
    assert rates == {"20.0% S": 20, "0.0% Z": 0, "5.0% R": 5, "Exempt": 0}


def test_tax_inclusive_documents_are_refused_before_any_call(qbo, fake):
    with pytest.raises(ConfigurationError, match="tax-inclusive"):
        qbo.client().push_invoice(invoice(1, contact(1, remote_id="1"), amounts_include_tax=True))
    assert not fake.calls("invoice")


# --- throttling, failures, timeouts --------------------------------------------------------------------


def test_429_xml_backs_off_for_retry_after_then_succeeds(qbo, fake):
    client = qbo.client()
    fake.faults.add("throttle", endpoint="customer", times=2, retry_after=7)
    before = qbo.clock.slept
    client.push_customer(contact(1))
    assert [c.status for c in fake.calls("customer")] == [429, 429, 200]
    assert qbo.clock.slept - before == pytest.approx(14)
    assert client.transport.throttled == 2


def test_429_without_retry_after_uses_exponential_backoff(qbo, fake):
    client = qbo.client()
    fake.faults.add("throttle", endpoint="query", times=2)
    before = qbo.clock.slept
    client.list_accounts()
    assert 2.7 <= qbo.clock.slept - before <= 3.3  # 1 s then 2 s, ±10 % jitter


def test_throttle_that_never_ends_is_a_rate_limited_error(qbo, fake):
    fake.faults.add("throttle", endpoint="query", times=10, retry_after=5)
    with pytest.raises(TransientError, match="kept throttling"):
        qbo.client().list_accounts()
    assert len(fake.calls("query", status=429)) == 4


def test_500_is_retried_a_bounded_number_of_times_then_a_clear_error(qbo, fake):
    fake.faults.add("server_error", endpoint="query", times=10)
    with pytest.raises(TransientError, match=r"QBO failed POST .*/query: HTTP 500"):
        qbo.client().list_accounts()
    assert len(fake.calls("query", status=500)) == 4


def test_500_once_is_absorbed(qbo, fake):
    fake.faults.add("server_error", endpoint="customer")
    assert qbo.client().push_customer(contact(1))
    assert [c.status for c in fake.calls("customer")] == [500, 200]


def test_read_timeout_ends_in_remote_timeout(qbo, fake):
    fake.faults.add("slow", endpoint="query", times=2, delay=0.5)
    with pytest.raises(RemoteTimeout, match="within 0.2s"):
        qbo.client(replace(qbo.settings, timeout=0.2, retry=RetryPolicy(2, 0.1))).list_accounts()
    assert len(fake.calls("query")) == 2


def test_duplicate_name_binds_the_existing_customer(qbo, fake):
    client = qbo.client()
    existing = fake.company().create("Customer", {"DisplayName": "O'Brien & Søns Ŀtd"})  # quotes, UTF-8 query
    company_copy = contact(1, name="O'Brien & Søns Ŀtd")
    assert client.push_customer(company_copy) == existing["Id"]
    assert len(fake.company().rows("Customer")) == 1
    assert [c.status for c in fake.calls("customer")] == [400]


def test_duplicate_name_of_an_inactive_customer_reactivates_it(qbo, fake):
    existing = fake.company().create("Customer", {"DisplayName": "Sleeping Ltd", "Active": False})
    assert qbo.client().push_customer(contact(1, name="Sleeping Ltd")) == existing["Id"]
    assert fake.company().read("Customer", existing["Id"])["Active"] is True


def test_object_not_found_is_a_clear_error(qbo):
    with pytest.raises(RemoteNotFound, match=r"read Invoice 4242: QBO 610: Object Not Found"):
        qbo.client().push_payment(payment(1, "4242", "10.00"))


def test_update_of_a_deleted_invoice_is_a_clear_error(qbo, fake):
    client = qbo.client()
    created = client.push_invoice(invoice(1, contact(1)))
    fake.company().delete("Invoice", {"Id": created.remote_id, "SyncToken": "0"})
    with pytest.raises(RemoteNotFound, match="610"):
        client.push_invoice(invoice(1, contact(1, remote_id="1"), remote_id=created.remote_id))


def test_every_realm_uses_its_own_tokens(clock):
    with FakeQbo(realms=("1111", "2222"), clock=clock) as fake:
        harness = Harness(fake, clock)
        connect(harness.auth, harness.store, realm_hint="2222")
        harness.realm = "2222"
        harness.client().push_customer(contact(1))
        assert fake.company("2222").rows("Customer") and not fake.company("1111").rows("Customer")
        assert {c.realm for c in fake.calls("customer")} == {"2222"}
