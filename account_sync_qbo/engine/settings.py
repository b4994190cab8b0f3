"""What a QBO connection needs to know besides its tokens, with QuickBooks' documented limits as defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.ratelimit import Limits

#: 500 requests per minute and 10 in flight per realm; QBO has no daily cap, so the day window is moot.
API_LIMITS = Limits(per_minute=500, per_day=10**9, max_concurrent=10)
#: 40 batch requests per minute per realm (each also counts against ``API_LIMITS``).
BATCH_LIMITS = Limits(per_minute=40, per_day=10**9, max_concurrent=10)
MAX_BATCH_ITEMS = 30
CDC_MAX_DAYS = 30
CDC_MAX_OBJECTS = 1000
QUERY_PAGE = 1000
CUSTOM_FIELD_MAX = 31  # QBO keeps at most 31 characters of a sales form custom field
MINOR_VERSION = 75  # the lowest python-quickbooks (and Intuit, since 2025) still accepts


@dataclass(frozen=True)
class QboSettings:
    client_id: str
    client_secret: str
    redirect_uri: str
    #: "production", "sandbox", or a discovery document URL (the fake server's, in tests)
    environment: str = "production"
    #: base URL of the v3 API; None: the SDK's own production/sandbox URL
    api_url: str | None = None
    minor_version: int = MINOR_VERSION
    timeout: float = 30.0
    retry: RetryPolicy = RetryPolicy(max_attempts=4, base_delay=2.0, max_delay=60.0)
    #: how many times an update is re-read and re-applied after a stale SyncToken before giving up
    max_conflict_retries: int = 3
    #: sales lines reference Items, not accounts: local product/item code -> QBO Item Id
    items: Mapping[str, str] = field(default_factory=dict)
    default_item: str = "1"
    #: the invoice custom field (DefinitionId "1" to "3", as set up in QBO's sales form settings) that
    #: carries the lead source; "" sends none
    lead_source_definition: str = ""
    lead_source_name: str = "Lead source"
    #: invoices let the customer pay online by credit card (QuickBooks Payments)
    accept_credit_cards: bool = False
    #: the local code of the account customer payments from Odoo are deposited into ("": the payment's own)
    deposit_account: str = ""
    #: QBO ids of the accounts whose payments are registered in Odoo; empty: every account
    polled_accounts: frozenset[str] = frozenset()
    #: rows per page when reading whole lists (the customer import)
    query_page: int = QUERY_PAGE
