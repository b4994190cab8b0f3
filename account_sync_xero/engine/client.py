"""The Xero connector's single door to the API: the official SDK, wrapped so that every call is safe.

Every call gets a timeout (the SDK has none by default), a place in the tenant's rate-limit windows,
a valid token (refreshed under the token store's lock, once, even with many workers), and bounded
retries: 429 waits for Retry-After, 401 refreshes and retries once, 5xx and timeouts back off.  Every
create or update carries an Idempotency-Key derived from the records, so a retry (ours, or urllib3's
own silent re-send of a timed-out PUT) never creates a second document.

Batches: Xero takes up to 50 documents per request and 3.5 MB per body; with ``summarizeErrors=false``
it answers 200 with a per-item verdict, so one bad invoice never blocks the other 49.  Results come back as one
``ItemResult`` per input record, in input order.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from typing import Any, TypeVar

import urllib3
from xero_python.accounting import AccountingApi
from xero_python.accounting import models as xm
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token
from xero_python.api_client.serializer import serialize
from xero_python.exceptions import (
    AccessTokenExpiredError,
    AccountingBadRequestException,
    HTTPStatusException,
    NotFoundException,
    RateLimitException,
)
from xero_python.identity import IdentityApi

from account_sync.engine.backoff import Retry, RetryPolicy, parse_retry_after, run_with_retries
from account_sync.engine.batching import sized_chunks
from account_sync.engine.clock import Clock, SystemClock
from account_sync.engine.errors import (
    ConfigurationError,
    DailyLimitReached,
    MappingError,
    RateLimited,
    ReconnectRequired,
    RemoteNotFound,
    RemoteTimeout,
    RemoteValidationError,
    SyncError,
    TransientError,
)
from account_sync.engine.idempotency import batch_key
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.provider import Capabilities, contacts_first, outcome
from account_sync.engine.ratelimit import RateLimiter
from account_sync.engine.records import (
    Bill,
    Contact,
    CreditNote,
    Document,
    Invoice,
    ItemResult,
    Line,
    Payment,
    RecordRef,
    RemoteAccount,
    RemoteTaxRate,
    Tenant,
)
from account_sync.engine.states import RecordKind
from account_sync.engine.tokens import TokenManager, TokenPair, TokenStore

from . import mapping as xmap
from .config import BATCH_SIZE, MAX_REQUEST_BYTES, PAGE_SIZE, SUMMARIZE_ERRORS, XERO_LIMITS, XeroApp, XeroEndpoints
from .oauth import Timeout, XeroOAuth

T = TypeVar("T")
RATE_HEADERS = ("X-MinLimit-Remaining", "X-AppMinLimit-Remaining")


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    value = headers.get(name)
    if value is None:  # a plain dict is case-sensitive; urllib3's HTTPHeaderDict is not
        value = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
    return value


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def choose_tenant(tenants: Sequence[Tenant], wanted: str | None = None) -> Tenant:
    """Pick by id or name; with one connection there is nothing to choose."""
    if wanted:
        for tenant in tenants:
            if wanted in (tenant.id, tenant.name):
                return tenant
        raise ConfigurationError(f"no connected Xero organisation is {wanted!r}")
    if len(tenants) != 1:
        names = ", ".join(t.name for t in tenants) or "none"
        raise ConfigurationError(f"choose one of the connected Xero organisations: {names}")
    return tenants[0]


class XeroClient:
    """One Xero organisation, as the sync's ``Provider``: neutral records in, ``ItemResult`` out."""

    def __init__(
        self,
        app: XeroApp,
        token_store: TokenStore,
        store_key: str,
        tenant_id: str | None = None,
        *,
        endpoints: XeroEndpoints | None = None,
        limiter: RateLimiter | None = None,
        clock: Clock | None = None,
        timeout: Timeout = (5.0, 30.0),
        retry: RetryPolicy | None = None,
        rng: random.Random | None = None,
        batch_size: int = BATCH_SIZE,
        page_size: int = PAGE_SIZE,
        max_request_bytes: int = MAX_REQUEST_BYTES,
        mapping: AccountMapping | None = None,
    ):
        self.app = app
        self.mapping = mapping or AccountMapping(passthrough=True)
        self.capabilities = Capabilities(batch_size=batch_size, max_request_bytes=max_request_bytes)
        self.endpoints = endpoints or XeroEndpoints()
        self.tenant_id = tenant_id
        self.clock = clock or SystemClock()
        self.limiter = limiter or RateLimiter(XERO_LIMITS, self.clock)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.rng = rng or random.Random()
        self.page_size = page_size
        self.stats: Counter = Counter()
        self._local = threading.local()
        self._item_codes: set[str] | None = None  # item codes Xero has (lower case), read once per client
        # The SDK's own token object gets no client credentials: it can never refresh behind our back.
        configuration = Configuration(oauth2_token=OAuth2Token())
        self.api_client = ApiClient(
            configuration, oauth2_token_getter=self._sdk_token, oauth2_token_saver=self._sdk_token_saved
        )
        # urllib3 (under the SDK) would sleep through a 429's Retry-After by itself, up to 3 times, in real
        # time and unseen by the tenant's limiter; keep its re-sends of timed-out requests, drop that.
        pool = self.api_client.rest_client.pool_manager
        pool.connection_pool_kw["retries"] = urllib3.Retry(3, respect_retry_after_header=False)
        self.accounting = AccountingApi(self.api_client, base_url=self.endpoints.api_base)
        self.identity = IdentityApi(self.api_client, base_url=self.endpoints.identity_base)
        self.oauth = XeroOAuth(app, self.api_client, self.endpoints, self.clock, timeout)
        self.tokens = TokenManager(token_store, store_key, self._refresh, self.clock)

    # --- connection -----------------------------------------------------------------------------------

    def authorization_url(self, state: str, code_challenge: str | None = None) -> str:
        return self.oauth.authorization_url(state, code_challenge)

    def connect(self, code: str, code_verifier: str | None = None) -> TokenPair:
        """Finish the consent flow: exchange the code and store the tokens (under the store's lock)."""
        pair = self.oauth.exchange_code(code, code_verifier)
        with self.tokens.store.lock(self.tokens.key):
            self.tokens.store.save(self.tokens.key, pair)
        return pair

    def disconnect(self) -> None:
        self.oauth.revoke(self.tokens.current())

    def list_connections(self) -> list[Tenant]:
        connections = self._call(self.identity.get_connections, write=False, limited=False)
        return [xmap.tenant_from_xero(c) for c in connections or []]

    def _refresh(self, pair: TokenPair) -> TokenPair:
        self.stats["token_refreshes"] += 1
        return self.oauth.refresh(pair)

    def _sdk_token(self) -> dict:
        pair = self.tokens.current()
        self._local.access_token = pair.access_token
        return {
            "access_token": pair.access_token,
            "refresh_token": pair.refresh_token,
            "scope": list(pair.scope),
            "expires_in": max(int(pair.expires_at - self.clock.time()), 0),
            "expires_at": pair.expires_at,
            "token_type": pair.token_type,
            "id_token": pair.id_token,
        }

    @staticmethod
    def _sdk_token_saved(token: dict) -> None:
        raise SyncError("xero-python tried to store a token itself; tokens are refreshed by TokenManager only")

    # --- the one call path ----------------------------------------------------------------------------

    def _tenant(self) -> str:
        if not self.tenant_id:
            raise ConfigurationError("no Xero organisation chosen for this connection")
        return self.tenant_id

    def _call(self, method: Callable[..., Any], *args, write: bool, limited: bool = True, **kwargs) -> Any:
        """Run one SDK method with timeout, limits, token handling and bounded retries.

        ``write`` calls must carry an ``idempotency_key`` so that retrying them is harmless.
        """
        if write and not kwargs.get("idempotency_key"):
            raise ValueError(f"{method.__name__} changes data and needs an idempotency key")
        refreshed_once = False
        name = method.__name__

        def attempt(number: int) -> Any:
            self.stats["calls"] += 1
            self.stats[f"calls:{name}"] += 1
            with self.limiter.slot() if limited else nullcontext():
                data, _status, headers = method(
                    *args, _return_http_data_only=False, _request_timeout=self.timeout, **kwargs
                )
            if limited:
                self._observe(headers)
            return data

        def classify(exc: Exception, number: int) -> Retry | None:
            nonlocal refreshed_once
            if isinstance(exc, RateLimitException):
                return self._on_rate_limit(exc)
            if _is_unauthorized(exc) and not refreshed_once:
                refreshed_once = True
                self.tokens.force_refresh(getattr(self._local, "access_token", ""))
                return Retry(delay=0, reason="token refreshed")
            if isinstance(exc, HTTPStatusException) and (exc.status or 0) >= 500:
                self.stats["server_errors"] += 1
                return Retry(reason=f"HTTP {exc.status}")
            if isinstance(exc, urllib3.exceptions.HTTPError):
                self.stats["timeouts" if _is_timeout(exc) else "transport_errors"] += 1
                return Retry(reason="no answer")
            return None

        try:
            return run_with_retries(attempt, classify, self.retry, self.clock, self.rng)
        except Exception as exc:
            translated = _translate(exc, name, self.retry.max_attempts)
            if translated is exc:
                raise
            raise translated from exc

    def _on_rate_limit(self, exc: RateLimitException) -> Retry | None:
        self.stats["rate_limited"] += 1
        retry_after = parse_retry_after(_header(exc.headers, "Retry-After"), self.clock.time())
        if exc.rate_limit == "day":
            self.limiter.pause_day(retry_after)
            return None
        self.limiter.pause(retry_after if retry_after is not None else self.retry.base_delay)
        return Retry(delay=0, reason=f"429 {exc.rate_limit}")  # the limiter itself waits out the pause

    def _observe(self, headers: Any) -> None:
        minute = [_int(_header(headers, name)) for name in RATE_HEADERS]
        minute = [value for value in minute if value is not None]
        day = _int(_header(headers, "X-DayLimit-Remaining"))
        self.limiter.observe(minute_remaining=min(minute) if minute else None, day_remaining=day)

    # --- contacts -------------------------------------------------------------------------------------

    def push_contacts(self, contacts: Sequence[Contact]) -> list[ItemResult]:
        """Create new contacts (PUT) and update linked ones (POST); ``remote_id`` is set on success.

        Xero's contact names are unique among active contacts: a new contact whose name is taken is bound
        to the contact holding it (and updated) when their details agree (``mapping.same_contact``), else
        it fails with a message naming both.  Creates and updates carry different Idempotency-Keys: the
        update of a contact created in the same version would otherwise replay the create.
        """
        results: dict[int, ItemResult] = {}
        new = [(i, c) for i, c in enumerate(contacts) if not c.remote_id]
        linked = [(i, c) for i, c in enumerate(contacts) if c.remote_id]
        for index, contact, result in self._write_contacts(new, create=True):
            if result.ok or not xmap.name_taken(result.errors):
                results[index] = result
                continue
            holder = self._contact_named(contact.name)
            same, why = xmap.same_contact(contact, holder)
            if not same:
                results[index] = ItemResult(contact.ref, False, errors=(why,))
                continue
            contact.remote_id = holder.contact_id
            linked.append((index, contact))
            results[index] = ItemResult(contact.ref, True, holder.contact_id, warnings=(why,))
        for index, contact, result in self._write_contacts(linked, create=False):
            bound = results.get(index)  # bound above: keep its warning, or report why the update failed
            if bound is not None and result.ok:
                result = bound
            elif bound is not None:
                contact.remote_id = None
            results[index] = result
        return [results[i] for i in range(len(contacts))]

    def _write_contacts(self, group: list[tuple[int, Contact]], create: bool):
        """(index, contact, result) for each contact, in sized batches; ``remote_id`` set on success."""
        operation = "create" if create else "update"
        method = self.accounting.create_contacts if create else self.accounting.update_or_create_contacts
        prepared = [(index, contact, xmap.contact_to_xero(contact)) for index, contact in group]
        for chunk in self._batches(prepared):
            key = batch_key(
                [c.ref.idempotency_key(f"contact-{operation}") for _, c, _ in chunk], f"contacts-{operation}"
            )
            answer = self._call(
                method,
                self._tenant(),
                xm.Contacts(contacts=[model for _, _, model in chunk]),
                summarize_errors=SUMMARIZE_ERRORS,
                idempotency_key=key,
                write=True,
            )
            for (index, contact, _), remote in zip(chunk, answer.contacts, strict=True):
                result = self._item_result(contact.ref, remote, remote.contact_id, "")
                if result.ok:
                    contact.remote_id = remote.contact_id
                yield index, contact, result

    def _contact_named(self, name: str) -> xm.Contact | None:
        """The active contact whose name is ``name`` (Xero compares names without case)."""
        wanted = name.strip().lower()
        answer = self._call(self.accounting.get_contacts, self._tenant(), search_term=name.strip(), write=False)
        return next((c for c in answer.contacts or [] if (c.name or "").strip().lower() == wanted), None)

    def _batches(self, prepared: list[tuple]) -> Iterator[list[tuple]]:
        """Batches of at most ``batch_size`` records and under Xero's 3.5 MB per request; a record too big
        on its own still goes alone (Xero's refusal then names it)."""
        return sized_chunks(
            prepared,
            self.capabilities.batch_size,
            self.capabilities.max_request_bytes,
            lambda entry: self._weight(entry[-1]),
            overhead=64,
        )

    def _weight(self, model: Any) -> int:
        """Bytes this SDK model adds to a request body, serialised as the SDK's REST client does (json.dumps
        with its default separators and ASCII escapes), plus the separator between records."""
        return len(json.dumps(serialize(model))) + 2

    # --- invoices, bills, credit notes ----------------------------------------------------------------

    def push_documents(self, documents: Sequence[Document]) -> list[ItemResult]:
        """Invoices and bills, then credit notes (allocated to invoices pushed before them), with the
        client's mapping; results in input order."""
        notes = [(i, d) for i, d in enumerate(documents) if isinstance(d, CreditNote)]
        others = [(i, d) for i, d in enumerate(documents) if not isinstance(d, CreditNote)]
        results = {}
        if others:
            pushed = self.push_invoices([d for _i, d in others], self.mapping)
            results.update(zip([i for i, _d in others], pushed, strict=True))
        if notes:
            pushed = self.push_credit_notes([d for _i, d in notes], self.mapping)
            results.update(zip([i for i, _d in notes], pushed, strict=True))
        return [results[i] for i in range(len(documents))]

    def push_invoices(self, documents: Sequence[Invoice | Bill], mapping: AccountMapping) -> list[ItemResult]:
        """Sales invoices (ACCREC) and supplier bills (ACCPAY), contacts first, 50 per request."""
        return self._push_documents(
            documents,
            mapping,
            to_xero=xmap.invoice_to_xero,
            wrap=lambda models: xm.Invoices(invoices=models),
            create=self.accounting.create_invoices,
            update=self.accounting.update_or_create_invoices,
            collection="invoices",
            remote_id=lambda remote: remote.invoice_id,
            number=lambda remote: remote.invoice_number or "",
        )

    push_bills = push_invoices

    def push_credit_notes(self, notes: Sequence[CreditNote], mapping: AccountMapping) -> list[ItemResult]:
        """Create credit notes, then allocate each to its invoices; an allocation failure is reported on
        the note's result (``ok`` False, ``remote_id`` set) so the caller keeps the link and shows why."""
        results = self._push_documents(
            notes,
            mapping,
            to_xero=xmap.credit_note_to_xero,
            wrap=lambda models: xm.CreditNotes(credit_notes=models),
            create=self.accounting.create_credit_notes,
            update=self.accounting.update_or_create_credit_notes,
            collection="credit_notes",
            remote_id=lambda remote: remote.credit_note_id,
            number=lambda remote: remote.credit_note_number or "",
        )
        return [
            self._allocate(note, result) if result.ok and note.allocations else result
            for note, result in zip(notes, results, strict=True)
        ]

    def _allocate(self, note: CreditNote, result: ItemResult) -> ItemResult:
        allocations = xm.Allocations(allocations=[xmap.allocation_to_xero(a, note.date) for a in note.allocations])
        answer = self._call(
            self.accounting.create_credit_note_allocation,
            self._tenant(),
            note.remote_id,
            allocations,
            summarize_errors=SUMMARIZE_ERRORS,
            idempotency_key=note.ref.idempotency_key("allocate"),
            write=True,
        )
        errors = tuple(m for item in answer.allocations or [] for m in xmap.validation_messages(item))
        if not errors:
            return result
        return ItemResult(result.ref, False, result.remote_id, result.number, errors, result.warnings)

    def ensure_items(self, documents: Sequence[Document]) -> dict[str, str]:
        """Create, once, the Xero items the documents' lines name by code (Xero refuses a line whose
        ``ItemCode`` it does not know); returns the codes it could not create, with Xero's reason."""
        wanted: dict[str, Line] = {}
        for doc in documents:
            for line in doc.lines:
                if xmap.item_key(line):
                    wanted.setdefault(xmap.item_key(line), line)
        if not wanted:
            return {}
        if self._item_codes is None:
            answer = self._call(self.accounting.get_items, self._tenant(), write=False)
            self._item_codes = {(item.code or "").lower() for item in answer.items or []}
        missing = [
            (code, line, xmap.item_to_xero(line)) for code, line in wanted.items() if code not in self._item_codes
        ]
        failed: dict[str, str] = {}
        for chunk in self._batches(missing):
            answer = self._call(
                self.accounting.create_items,
                self._tenant(),
                xm.Items(items=[model for _, _, model in chunk]),
                summarize_errors=SUMMARIZE_ERRORS,
                idempotency_key=batch_key([model.code for _, _, model in chunk], "items"),
                write=True,
            )
            for (code, _, model), remote in zip(chunk, answer.items, strict=True):
                errors = xmap.validation_messages(remote)
                if errors:
                    failed[code] = f"item {model.code}: {'; '.join(errors)}"
                else:
                    self._item_codes.add(code)
        return failed

    def _push_documents(
        self, documents, mapping, *, to_xero, wrap, create, update, collection, remote_id, number
    ) -> list[ItemResult]:
        results: dict[int, ItemResult] = {}
        failed_contacts = contacts_first(documents, self.push_contacts, self.capabilities)
        failed_items = self.ensure_items(documents)
        new, linked = [], []
        for index, doc in enumerate(documents):
            failure = failed_contacts.get((doc.contact.ref.model, doc.contact.ref.id))  # Xero: one list
            if failure is not None:
                results[index] = ItemResult(doc.ref, False, errors=tuple(f"contact: {e}" for e in failure.errors))
                continue
            item_errors = {failed_items[key] for line in doc.lines if (key := xmap.item_key(line)) in failed_items}
            if item_errors:
                results[index] = ItemResult(doc.ref, False, errors=tuple(sorted(item_errors)))
                continue
            try:
                model = to_xero(doc, mapping)
            except (MappingError, ValueError) as exc:
                results[index] = ItemResult(doc.ref, False, errors=(str(exc),))
                continue
            (linked if doc.remote_id else new).append((index, doc, model))
        for method, group in ((create, new), (update, linked)):
            for chunk in self._batches(group):
                key = batch_key([doc.ref.idempotency_key(collection) for _, doc, _ in chunk], collection)
                answer = self._call(
                    method,
                    self._tenant(),
                    wrap([model for _, _, model in chunk]),
                    summarize_errors=SUMMARIZE_ERRORS,
                    idempotency_key=key,
                    write=True,
                )
                for (index, doc, _), remote in zip(chunk, getattr(answer, collection), strict=True):
                    results[index] = self._item_result(doc.ref, remote, remote_id(remote), number(remote))
                    if results[index].ok:
                        doc.remote_id = results[index].remote_id
        return [results[i] for i in range(len(documents))]

    @staticmethod
    def _item_result(ref: RecordRef | None, remote: Any, remote_id: str | None, number: str) -> ItemResult:
        errors = xmap.validation_messages(remote)
        warnings = tuple(w.message for w in getattr(remote, "warnings", None) or [] if w.message)
        if errors or not remote_id or remote_id == xmap.NIL_UUID:
            return ItemResult(ref, False, errors=errors or ("Xero returned no id",), warnings=warnings)
        return ItemResult(ref, True, remote_id, number, warnings=warnings)

    def void(self, remote_id: str, ref: RecordRef, kind: RecordKind, supplier: bool | None = None) -> ItemResult:
        """Void a pushed invoice, bill (Xero's ACCPAY invoice) or credit note of either side."""
        if kind == RecordKind.CREDIT_NOTE:
            return outcome(ref, lambda: self.void_credit_note(remote_id, ref), remote_id)
        return outcome(ref, lambda: self.void_invoice(remote_id, ref), remote_id)

    def void_invoice(self, remote_id: str, ref: RecordRef) -> ItemResult:
        """Void an approved invoice or bill (Xero keeps it, with status VOIDED)."""
        try:
            answer = self._call(
                self.accounting.update_invoice,
                self._tenant(),
                remote_id,
                xm.Invoices(invoices=[xmap.void_to_xero(remote_id)]),
                idempotency_key=ref.idempotency_key("void"),
                write=True,
            )
        except RemoteValidationError as exc:
            return ItemResult(ref, False, remote_id, errors=exc.messages or (str(exc),))
        invoice = answer.invoices[0]
        if invoice.status != "VOIDED":
            return ItemResult(ref, False, remote_id, errors=(f"Xero left the invoice {invoice.status}",))
        return ItemResult(ref, True, remote_id, invoice.invoice_number or "")

    def void_credit_note(self, remote_id: str, ref: RecordRef) -> ItemResult:
        """Void an approved credit note; its allocations are deleted first, since Xero refuses to void an
        allocated note (the invoices it was applied to are due again, as in Odoo once the note is cancelled).
        A note with refund payments is refused by Xero and reported, not forced."""
        try:
            note = self._call(self.accounting.get_credit_note, self._tenant(), remote_id, write=False).credit_notes[0]
            if note.status == "VOIDED":
                return ItemResult(ref, True, remote_id, note.credit_note_number or "")
            if note.payments:  # checked before touching the allocations: a refusal changes nothing
                message = "the credit note has refund payments in Xero; delete them there before voiding it"
                return ItemResult(ref, False, remote_id, errors=(message,))
            for allocation in note.allocations or []:
                if not allocation.is_deleted:
                    self._delete_allocation(remote_id, allocation.allocation_id)
            answer = self._call(
                self.accounting.update_credit_note,
                self._tenant(),
                remote_id,
                xm.CreditNotes(credit_notes=[xmap.void_credit_note_to_xero(remote_id)]),
                idempotency_key=ref.idempotency_key("void"),
                write=True,
            )
        except RemoteValidationError as exc:
            return ItemResult(ref, False, remote_id, errors=exc.messages or (str(exc),))
        note = answer.credit_notes[0]
        if note.status != "VOIDED":
            return ItemResult(ref, False, remote_id, errors=(f"Xero left the credit note {note.status}",))
        return ItemResult(ref, True, remote_id, note.credit_note_number or "")

    def _delete_allocation(self, note_id: str, allocation_id: str) -> None:
        """A DELETE carries no Idempotency-Key at Xero; deleting is idempotent once it is known to be gone,
        so a refusal after a retried (timed-out) delete is checked against the note before it counts."""
        try:
            self._call(
                self.accounting.delete_credit_note_allocations, self._tenant(), note_id, allocation_id, write=False
            )
        except (RemoteValidationError, RemoteNotFound):
            note = self._call(self.accounting.get_credit_note, self._tenant(), note_id, write=False).credit_notes[0]
            if any(a.allocation_id == allocation_id and not a.is_deleted for a in note.allocations or []):
                raise

    # --- payments -------------------------------------------------------------------------------------

    def delete_payment(self, remote_id: str, ref: RecordRef, supplier: bool = False) -> ItemResult:
        """Delete (reverse) a payment: Xero's POST /Payments/{id} with Status DELETED (a bill's payment
        alike: ``supplier`` changes nothing). A payment already deleted counts as done; a reconciled one is
        refused by Xero and reported."""
        try:
            answer = self._call(
                self.accounting.delete_payment,
                self._tenant(),
                remote_id,
                xm.PaymentDelete(status="DELETED"),
                idempotency_key=ref.idempotency_key("delete"),
                write=True,
            )
        except RemoteValidationError as exc:
            current = self._call(self.accounting.get_payment, self._tenant(), remote_id, write=False).payments[0]
            if current.status == "DELETED":
                return ItemResult(ref, True, remote_id)
            return ItemResult(ref, False, remote_id, errors=exc.messages or (str(exc),))
        status = answer.payments[0].status
        if status != "DELETED":
            return ItemResult(ref, False, remote_id, errors=(f"Xero left the payment {status}",))
        return ItemResult(ref, True, remote_id)

    def push_payments(self, payments: Sequence[Payment], mapping: AccountMapping | None = None) -> list[ItemResult]:
        """Payments of pushed documents, in batches; ``mapping`` defaults to the client's."""
        mapping = mapping or self.mapping
        results: dict[int, ItemResult] = {}
        ready = []
        for index, payment in enumerate(payments):
            try:
                ready.append((index, payment, xmap.payment_to_xero(payment, mapping)))
            except MappingError as exc:
                results[index] = ItemResult(payment.ref, False, errors=(str(exc),))
        for chunk in self._batches(ready):
            key = batch_key([p.ref.idempotency_key("payment") for _, p, _ in chunk], "payments")
            answer = self._call(
                self.accounting.create_payments,
                self._tenant(),
                xm.Payments(payments=[m for _, _, m in chunk]),
                summarize_errors=SUMMARIZE_ERRORS,
                idempotency_key=key,
                write=True,
            )
            for (index, payment, _), remote in zip(chunk, answer.payments, strict=True):
                results[index] = self._item_result(payment.ref, remote, remote.payment_id, "")
                if results[index].ok:
                    payment.remote_id = remote.payment_id
        return [results[i] for i in range(len(payments))]

    def pull_payments(self, modified_since: dt.datetime | None = None) -> list[Payment]:
        """Payments created or changed since ``modified_since`` (UTC), all pages."""
        return [
            xmap.payment_from_xero(p) for p in self._paged(self.accounting.get_payments, "payments", modified_since)
        ]

    def pull_contacts(self, modified_since: dt.datetime | None = None) -> list[Contact]:
        """Contacts created or changed since ``modified_since`` (all of them without it), all pages."""
        remote = self._paged(self.accounting.get_contacts, "contacts", modified_since)
        return [xmap.contact_from_xero(c) for c in remote]

    def pull_invoices(self, modified_since: dt.datetime | None = None) -> list[Invoice | Bill]:
        """Invoices and bills changed since ``modified_since`` (status, amounts due), all pages."""
        remote = self._paged(self.accounting.get_invoices, "invoices", modified_since)
        return [xmap.document_from_xero(i) for i in remote]

    def _paged(self, method: Callable, collection: str, modified_since: dt.datetime | None) -> list:
        found, page = [], 1
        extra = {"if_modified_since": modified_since} if modified_since else {}
        while True:
            answer = self._call(method, self._tenant(), page=page, page_size=self.page_size, write=False, **extra)
            items = getattr(answer, collection) or []
            found.extend(items)
            pagination = getattr(answer, "pagination", None)
            last = pagination.page_count if pagination and pagination.page_count else None
            if len(items) < self.page_size or (last is not None and page >= last):
                return found
            page += 1

    # --- chart of accounts ----------------------------------------------------------------------------

    def list_accounts(self) -> list[RemoteAccount]:
        answer = self._call(self.accounting.get_accounts, self._tenant(), write=False)
        return [xmap.account_from_xero(a) for a in answer.accounts or []]

    def list_tax_rates(self) -> list[RemoteTaxRate]:
        answer = self._call(self.accounting.get_tax_rates, self._tenant(), write=False)
        return [xmap.tax_rate_from_xero(t) for t in answer.tax_rates or []]


def _is_timeout(exc: Exception) -> bool:
    """A request that may have reached Xero (read timeout), unlike a refused connection.

    urllib3 makes NewConnectionError a subclass of ConnectTimeoutError, hence the explicit exclusion.
    """
    error = getattr(exc, "reason", None) or exc  # MaxRetryError wraps the last error
    return isinstance(error, urllib3.exceptions.TimeoutError) and not isinstance(
        error, urllib3.exceptions.NewConnectionError
    )


def _is_unauthorized(exc: Exception) -> bool:
    return isinstance(exc, AccessTokenExpiredError) or (isinstance(exc, HTTPStatusException) and exc.status == 401)


def _bad_request_messages(exc: AccountingBadRequestException) -> tuple[str, ...]:
    try:
        data = exc.error_data
    except ValueError:
        return ()
    messages = [
        error.get("Message", "")
        for element in data.get("Elements") or []
        for error in element.get("ValidationErrors") or []
    ]
    return tuple(m for m in messages if m) or ((data.get("Message") or ""),)


def _translate(exc: Exception, operation: str, attempts: int) -> Exception:
    """One exception vocabulary for the ORM layer, whatever the SDK or urllib3 raised."""
    if isinstance(exc, SyncError):
        return exc
    if isinstance(exc, RateLimitException):
        retry_after = parse_retry_after(_header(exc.headers, "Retry-After"))
        cls = DailyLimitReached if exc.rate_limit == "day" else RateLimited
        return cls(
            f"Xero rate limit ({exc.rate_limit}) on {operation}", retry_after=retry_after, problem=exc.rate_limit
        )
    if _is_unauthorized(exc):
        return ReconnectRequired(f"Xero refused a freshly refreshed token on {operation}: reconnect needed")
    if isinstance(exc, AccountingBadRequestException):
        messages = _bad_request_messages(exc)
        return RemoteValidationError(f"Xero rejected {operation}: {'; '.join(messages)}", messages)
    if isinstance(exc, NotFoundException):
        return RemoteNotFound(f"Xero has no such record ({operation})")
    if isinstance(exc, HTTPStatusException) and exc.status == 403:
        return ReconnectRequired(f"Xero refused access to the organisation on {operation}: reconnect needed")
    if isinstance(exc, HTTPStatusException) and (exc.status or 0) >= 500:
        return TransientError(f"Xero answered HTTP {exc.status} to {operation} {attempts} times; try again later")
    if isinstance(exc, urllib3.exceptions.HTTPError) and _is_timeout(exc):
        return RemoteTimeout(f"Xero did not answer {operation} in time ({attempts} attempts): {exc}")
    if isinstance(exc, urllib3.exceptions.HTTPError):
        return TransientError(f"could not reach Xero for {operation} ({attempts} attempts): {exc}")
    return exc
