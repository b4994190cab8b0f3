"""The shared sync base: limits, backoff, idempotency keys, tokens, phone splitting, mapping (no network)."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from decimal import Decimal

import pytest

from account_sync.engine.backoff import Retry, RetryPolicy, parse_retry_after, run_with_retries
from account_sync.engine.batching import chunks
from account_sync.engine.clock import FakeClock
from account_sync.engine.errors import DailyLimitReached, MappingError, ReconnectRequired
from account_sync.engine.idempotency import MAX_KEY_LENGTH, batch_key, idempotency_key, payload_fingerprint
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.phone import split_phone
from account_sync.engine.ratelimit import Limits, RateLimiter, RateLimiterRegistry
from account_sync.engine.records import Bill, CreditNote, Invoice, RecordRef
from account_sync.engine.tokens import InMemoryTokenStore, TokenManager, TokenPair

# --- rate limiting --------------------------------------------------------------------------------------


def test_minute_window_makes_the_61st_call_wait():
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_minute=60, per_day=5000, max_concurrent=5), clock)
    for _ in range(60):
        clock.advance(0.1)
        with limiter.slot():
            pass
    assert clock.slept == 0
    with limiter.slot():
        pass
    assert clock.monotonic() == pytest.approx(60.1)  # the first call (at 0.1 s) left the window


def test_day_window_refuses_instead_of_sleeping():
    clock = FakeClock()
    limiter = RateLimiter(Limits(per_minute=1000, per_day=3, max_concurrent=5), clock)
    for _ in range(3):
        limiter.acquire()
        limiter.release()
    with pytest.raises(DailyLimitReached) as caught:
        limiter.acquire()
    assert caught.value.retry_after == pytest.approx(86_400)

    def refused_many_times():  # a refused call gives its concurrency slot back, or the 6th would hang
        for _ in range(6):
            with pytest.raises(DailyLimitReached):
                limiter.acquire()

    thread = threading.Thread(target=refused_many_times)
    thread.start()
    thread.join(2)
    assert not thread.is_alive()
    clock.advance(86_400)
    with limiter.slot():
        pass


def test_concurrency_cap_blocks_the_sixth_caller():
    limiter = RateLimiter(Limits(per_minute=1000, per_day=10_000, max_concurrent=5), FakeClock())
    for _ in range(5):
        limiter.acquire()
    entered = threading.Event()

    def sixth():
        with limiter.slot():
            entered.set()

    thread = threading.Thread(target=sixth)
    thread.start()
    assert not entered.wait(0.2)
    limiter.release()
    assert entered.wait(2)
    thread.join()


def test_pause_and_server_reported_exhaustion():
    clock = FakeClock()
    limiter = RateLimiter(Limits(60, 5000, 5), clock)
    limiter.pause(12)
    with limiter.slot():
        pass
    assert clock.slept == pytest.approx(12)
    limiter.observe(minute_remaining=0)  # another process spent the tenant's minute
    with limiter.slot():
        pass
    assert clock.monotonic() >= 60
    limiter.observe(day_remaining=0)
    with pytest.raises(DailyLimitReached):
        limiter.acquire()


def test_registry_shares_one_limiter_per_tenant():
    registry = RateLimiterRegistry(Limits(60, 5000, 5), FakeClock())
    assert registry.get("tenant-a") is registry.get("tenant-a")
    assert registry.get("tenant-a") is not registry.get("tenant-b")


# --- backoff --------------------------------------------------------------------------------------------


def test_backoff_grows_caps_and_jitters():
    policy = RetryPolicy(base_delay=1, max_delay=5, multiplier=2, jitter=0.1)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 5]
    jittered = policy.delay(2, random.Random(7))
    assert 1.8 <= jittered <= 2.2 and jittered != 2


def test_retry_after_forms():
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", now_epoch=1445412475.0) == 10.0
    assert parse_retry_after(None) is None and parse_retry_after("later") is None


def test_run_with_retries_is_bounded_and_uses_the_servers_delay():
    clock, calls = FakeClock(), []

    def flaky(attempt):
        calls.append(attempt)
        if attempt < 3:
            raise ConnectionError("boom")
        return "done"

    def classify(exc, attempt):
        return Retry(delay=7) if attempt == 1 else Retry()

    assert run_with_retries(flaky, classify, RetryPolicy(max_attempts=3, base_delay=1, jitter=0), clock) == "done"
    assert calls == [1, 2, 3] and clock.slept == pytest.approx(7 + 2)

    def always(attempt):
        raise ConnectionError(f"attempt {attempt}")

    with pytest.raises(ConnectionError, match="attempt 3"):
        run_with_retries(always, lambda e, a: Retry(), RetryPolicy(max_attempts=3, jitter=0), clock)
    with pytest.raises(ValueError):
        run_with_retries(lambda a: int("x"), lambda e, a: None, RetryPolicy(), clock)


# --- idempotency ----------------------------------------------------------------------------------------


def test_idempotency_keys_follow_the_record_version():
    write_date = dt.datetime(2024, 5, 1, 10, 0, 0)
    key = idempotency_key("account.move", 42, write_date)
    assert key == idempotency_key("account.move", 42, write_date), "a retry reuses the key"
    assert key != idempotency_key("account.move", 42, write_date + dt.timedelta(seconds=1)), "an edit gets a new one"
    assert key != idempotency_key("account.move", 43, write_date)
    assert key != idempotency_key("account.move", 42, write_date, operation="void")
    assert len(idempotency_key("x" * 200, 1, "v")) <= MAX_KEY_LENGTH
    assert RecordRef("account.move", 42, "v1").idempotency_key() == idempotency_key("account.move", 42, "v1")


def test_batch_keys_and_fingerprints():
    assert batch_key(["a", "b"], "invoices") == batch_key(["a", "b"], "invoices")
    assert batch_key(["a", "b"], "invoices") != batch_key(["b", "a"], "invoices")
    assert len(batch_key([str(n) for n in range(500)], "invoices")) <= MAX_KEY_LENGTH
    assert payload_fingerprint({"a": 1, "b": [1, 2]}) == payload_fingerprint({"b": [1, 2], "a": 1})


# --- tokens ---------------------------------------------------------------------------------------------


def _pair(suffix: str, expires_at: float) -> TokenPair:
    return TokenPair(f"access-{suffix}", f"refresh-{suffix}", expires_at, ("offline_access",))


def test_token_pair_from_a_token_endpoint_answer():
    pair = TokenPair.from_token_response(
        {
            "access_token": "a",
            "refresh_token": "r",
            "expires_in": 1800,
            "scope": "openid offline_access",
            "token_type": "Bearer",
            "x_refresh_token_expires_in": 8_726_400,
        },
        now=1000.0,
    )
    assert pair.expires_at == 2800.0 and pair.scope == ("openid", "offline_access")
    assert pair.extra == {"x_refresh_token_expires_in": 8_726_400}
    assert pair.expires_within(120, now=2700.0) and not pair.expires_within(120, now=2000.0)


def test_token_manager_refreshes_once_for_many_threads():
    clock = FakeClock()
    store = InMemoryTokenStore({"conn": _pair("0", clock.time() + 30)})
    calls = []

    def refresh(old):
        calls.append(old.refresh_token)
        time.sleep(0.05)  # a slow identity server widens the race window
        return _pair(str(len(calls)), clock.time() + 1800)

    managers = [TokenManager(store, "conn", refresh, clock) for _ in range(8)]
    barrier = threading.Barrier(8)
    seen = []

    def work(manager):
        barrier.wait()
        seen.append(manager.current().access_token)

    threads = [threading.Thread(target=work, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == ["refresh-0"] and set(seen) == {"access-1"}


def test_force_refresh_after_401_skips_when_someone_already_refreshed():
    clock = FakeClock()
    store = InMemoryTokenStore({"conn": _pair("1", clock.time() + 1800)})
    calls = []
    manager = TokenManager(store, "conn", lambda old: calls.append(old) or _pair("2", clock.time() + 1800), clock)
    assert manager.force_refresh("access-0").access_token == "access-1"  # the 401 was for an older token
    assert calls == []
    assert manager.force_refresh("access-1").access_token == "access-2"
    assert len(calls) == 1 and store.get("conn").refresh_token == "refresh-2"


def test_token_manager_without_tokens_asks_for_a_reconnect():
    manager = TokenManager(InMemoryTokenStore(), "conn", lambda old: old, FakeClock())
    with pytest.raises(ReconnectRequired, match="connect"):
        manager.current()


# --- phones ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, region, expected",
    [
        ("+1 650-253-0000", None, ("1", "650", "2530000")),
        ("020 7946 0958", "GB", ("44", "20", "79460958")),
        ("+49 30 1234567", None, ("49", "30", "1234567")),
        ("+33 1 42 68 53 00", None, ("33", "1", "42685300")),
        ("+33 6 12 34 56 78", None, ("33", "6", "12345678")),  # mobile: the operator prefix
        ("09 377 1234", "nz", ("64", "9", "3771234")),
        ("+45 33 12 34 56", None, ("45", "", "33123456")),  # Denmark has no area codes
    ],
)
def test_split_phone(raw, region, expected):
    parts = split_phone(raw, region)
    assert (parts.country_code, parts.area_code, parts.number) == expected


def test_split_phone_keeps_what_it_cannot_parse():
    assert split_phone("ask reception", "FR").number == "ask reception"
    assert split_phone("  ") is None
    with_extension = split_phone("+1 650-253-0000 ext. 123")
    assert with_extension.extension == "123" and with_extension.e164 == "+16502530000"


# --- records and mapping --------------------------------------------------------------------------------


def test_account_mapping_resolves_or_fails_loudly():
    mapping = AccountMapping(accounts={"706000": "200"}, taxes={"T20": "OUTPUT2"}, default_purchase_account="429")
    assert mapping.account("706000") == "200"
    assert mapping.account("607000", purchase=True) == "429"
    with pytest.raises(MappingError, match="607000"):
        mapping.account("607000")
    with pytest.raises(MappingError):
        mapping.tax("T5.5")
    assert AccountMapping(passthrough=True).account("400") == "400"


def test_documents_know_their_side():
    kwargs = dict(ref=RecordRef("account.move", 1), contact=None, date=dt.date(2024, 1, 1), lines=[])
    assert not Invoice(**kwargs).purchase and Bill(**kwargs).purchase
    assert CreditNote(**kwargs, supplier=True).purchase and not CreditNote(**kwargs).purchase


def test_chunks():
    assert [len(c) for c in chunks(list(range(120)), 50)] == [50, 50, 20]
    with pytest.raises(ValueError):
        list(chunks([1], 0))
    assert Decimal("1") in list(chunks([Decimal("1")], 5))[0]
