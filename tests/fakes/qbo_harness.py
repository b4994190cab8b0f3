"""Wiring a ``QboClient`` to a running ``FakeQbo`` the way production wires it to Intuit.

The OAuth connection is made through the real consent redirect (the fake consents at once and picks the
realm), so tests exercise the same code path as a user clicking "Connect to QuickBooks".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import requests

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.clock import FakeClock
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.ratelimit import RateLimiterRegistry
from account_sync.engine.records import Address, Contact, Invoice, Line, RecordRef
from account_sync.engine.tokens import InMemoryTokenStore, TokenPair
from account_sync_qbo.engine.client import QboClient, token_key
from account_sync_qbo.engine.oauth import QboAuth
from account_sync_qbo.engine.settings import API_LIMITS, BATCH_LIMITS, QboSettings

from .qbo_server import FakeQbo

REDIRECT_URI = "http://localhost:8069/qbo/callback"
#: local (Odoo-side) codes -> the fake company's seeded QBO ids (see ``qbo_seed``)
ACCOUNTS = AccountMapping(
    accounts={"600000": "6", "512000": "5", "401000": "4"},
    taxes={"VAT20": "2", "VAT0": "3", "VAT5": "4"},
    default_sale_tax="2",
    default_purchase_tax="2",
    default_purchase_account="6",
)


def settings_for(fake: FakeQbo, **overrides) -> QboSettings:
    values = {
        "client_id": fake.oauth.client_id,
        "client_secret": fake.oauth.client_secret,
        "redirect_uri": REDIRECT_URI,
        "environment": fake.discovery_url,
        "api_url": fake.api_url,
        # generous: a 1,000-object CDC answer is validated against the XSDs on a busy 2-core machine;
        # the timeout tests set their own short timeouts
        "timeout": 15.0,
        "retry": RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=30.0),
        "items": {"SERVICE": "1", "GOODS": "2"},
    }
    values.update(overrides)
    return QboSettings(**values)


def connect(auth: QboAuth, store, realm_hint: str | None = None) -> TokenPair:
    """User consent -> redirect with ``code`` and ``realmId`` -> code exchange -> tokens stored for the realm."""
    url = auth.authorization_url(state="csrf-123")
    if realm_hint:
        url += f"&realm_hint={realm_hint}"
    redirect = requests.get(url, allow_redirects=False, timeout=5)
    assert redirect.status_code == 302, redirect.text
    query = parse_qs(urlsplit(redirect.headers["Location"]).query)
    assert query["state"] == ["csrf-123"]
    pair = auth.exchange_code(query["code"][0], query["realmId"][0])
    store.save(token_key(query["realmId"][0]), pair)
    return pair


class Harness:
    """A fake QBO, a simulated clock shared with the client, a token store and connected clients."""

    def __init__(self, fake: FakeQbo, clock: FakeClock, **setting_overrides):
        self.fake = fake
        self.clock = clock
        self.store = InMemoryTokenStore()
        self.settings = settings_for(fake, **setting_overrides)
        self.auth = QboAuth(self.settings, clock)
        self.limiters = RateLimiterRegistry(API_LIMITS, clock)
        self.batch_limiters = RateLimiterRegistry(BATCH_LIMITS, clock)
        self.realm = next(iter(fake.companies))
        self.pair = connect(self.auth, self.store)

    def client(self, settings: QboSettings | None = None, **overrides) -> QboClient:
        options = {
            "accounts": ACCOUNTS,
            "clock": self.clock,
            "limiters": self.limiters,
            "batch_limiters": self.batch_limiters,
            "auth": self.auth,
        }
        options.update(overrides)
        return QboClient(settings or self.settings, self.realm, self.store, **options)


def contact(number: int, name: str | None = None, remote_id: str | None = None) -> Contact:
    return Contact(
        ref=RecordRef("res.partner", number, "v1"),
        name=name or f"Customer {number}",
        email=f"billing{number}@example.com",
        phone="+44 20 7946 0958",
        is_customer=True,
        address=Address(street="1 High Street", city="London", zip="EC1A 1BB", country_code="GB"),
        remote_id=remote_id,
    )


def invoice(number: int, customer: Contact, amounts=("100.00",), tax: str = "VAT20", **extra) -> Invoice:
    return Invoice(
        ref=RecordRef("account.move", number, "v1"),
        contact=customer,
        date=dt.date(2026, 11, 2),
        due_date=dt.date(2026, 12, 2),
        number=f"INV/{number:05d}",
        lines=[
            Line(description=f"Consulting {i}", quantity=Decimal(1), unit_price=Decimal(amount), tax_code=tax)
            for i, amount in enumerate(amounts, 1)
        ],
        **extra,
    )
