"""Helpers shared by the Xero engine tests and the bench: a connected client and sample records.

Connecting goes through the real flow (consent URL → redirect with a code → code exchange →
/Connections → tenant pick), so every test starts from state the production code would have.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import urllib3

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.clock import Clock, FakeClock
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.ratelimit import RateLimiter
from account_sync.engine.records import Address, Bill, Contact, Invoice, Line, RecordRef
from account_sync.engine.tokens import InMemoryTokenStore
from account_sync_xero.engine.client import XeroClient, choose_tenant
from account_sync_xero.engine.config import XERO_LIMITS, XeroApp, XeroEndpoints

from .xero_server import FakeXero

APP = XeroApp("fake-client-id", "fake-client-secret", "http://localhost:8069/xero/oauth/callback")
STORE_KEY = "xero-connection-1"
MAPPING = AccountMapping(
    accounts={"700000": "200", "600000": "429", "512000": "090"},
    taxes={"TVA20": "OUTPUT2", "TVA20-ACH": "INPUT2"},
    default_sale_account="200",
    default_purchase_account="429",
    default_sale_tax="OUTPUT2",
    default_purchase_tax="INPUT2",
)
FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.5, jitter=0.0)


def consent(fake: FakeXero, authorization_url: str) -> dict[str, str]:
    """Play the user: open the consent URL and read the redirect's query (code, state)."""
    http = urllib3.PoolManager(retries=False)
    response = http.request("GET", authorization_url, redirect=False)
    assert response.status == 302, response.data
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query))


def new_client(
    fake: FakeXero,
    clock: Clock | None = None,
    store: InMemoryTokenStore | None = None,
    timeout: tuple[float, float] = (2.0, 5.0),
    retry: RetryPolicy = FAST_RETRY,
    **kwargs,
) -> XeroClient:
    clock = clock or FakeClock()
    kwargs.setdefault("limiter", RateLimiter(XERO_LIMITS, clock))
    return XeroClient(
        APP,
        store if store is not None else InMemoryTokenStore(),
        STORE_KEY,
        endpoints=XeroEndpoints.local(fake.base_url),
        clock=clock,
        timeout=timeout,
        retry=retry,
        **kwargs,
    )


def connect(client: XeroClient, fake: FakeXero, tenant_name: str | None = None) -> XeroClient:
    answer = consent(fake, client.authorization_url("state-123"))
    assert answer["state"] == "state-123"
    client.connect(answer["code"])
    client.tenant_id = choose_tenant(client.list_connections(), tenant_name or fake.tenants[0][1]).id
    return client


def contact(n: int, **overrides) -> Contact:
    values = dict(
        ref=RecordRef("res.partner", n, "2024-05-01 10:00:00"),
        name=f"Customer {n:04d}",
        email=f"customer{n}@example.com",
        phone="+64 9 377 1234",
        country_code="NZ",
        address=Address(street=f"{n} Queen Street", city="Auckland", zip="1010", country_code="NZ"),
    )
    values.update(overrides)
    return Contact(**values)


def line(amount: str = "100.00", account: str = "700000", tax: str = "TVA20", **overrides) -> Line:
    values = dict(
        description="Consulting", quantity=Decimal("1"), unit_price=Decimal(amount), account_code=account, tax_code=tax
    )
    values.update(overrides)
    return Line(**values)


def invoice(n: int, partner: Contact, amount: str = "100.00", **overrides) -> Invoice:
    values = dict(
        ref=RecordRef("account.move", n, "2024-05-01 10:00:00"),
        contact=partner,
        date=dt.date(2024, 5, 1),
        due_date=dt.date(2024, 5, 31),
        number=f"INV/2024/{n:05d}",
        lines=[line(amount)],
    )
    values.update(overrides)
    return Invoice(**values)


def bill(n: int, partner: Contact, amount: str = "80.00") -> Bill:
    return Bill(
        ref=RecordRef("account.move", 10_000 + n, "2024-05-02 09:00:00"),
        contact=partner,
        date=dt.date(2024, 5, 2),
        due_date=dt.date(2024, 6, 1),
        number=f"SUP-{n}",
        lines=[line(amount, account="600000", tax="TVA20-ACH", description="Office supplies")],
    )


def raw(fake: FakeXero, method: str, path: str, token: str | None, tenant: str | None, body=None, **headers):
    """A request that bypasses the SDK, to probe the fake itself."""
    all_headers = {"Accept": "application/json", "Content-Type": "application/json", **headers}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    if tenant:
        all_headers["xero-tenant-id"] = tenant
    data = json.dumps(body).encode() if body is not None else None
    # retries=False: urllib3 would otherwise sleep through a 429's Retry-After and retry by itself
    http = urllib3.PoolManager(retries=False)
    response = http.request(method, fake.base_url + path, body=data, headers=all_headers)
    payload = json.loads(response.data) if response.data else None
    return response.status, payload, response.headers
