"""QuickBooks Online as a provider of ``account.sync.connection``: OAuth2 and the engine client per connection.

Endpoints and app credentials are system parameters (``account_sync_qbo.*``), so a test or a staging
database points the unchanged SDKs at another server (``environment`` takes intuit-oauth's discovery
document URL, ``api_url`` python-quickbooks' v3 base).  The realm (QuickBooks company) id arrives with
the consent redirect and is kept per Odoo company in ``tenant_id``.
"""

import datetime
from collections import namedtuple
from contextlib import contextmanager

from odoo import _, fields, models
from odoo.exceptions import UserError

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.errors import ReconnectRequired, SyncError, TransientError
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.records import Bill, CreditNote, ItemResult
from account_sync_qbo.engine.client import QboClient
from account_sync_qbo.engine.oauth import QboAuth
from account_sync_qbo.engine.settings import CDC_MAX_DAYS, QboSettings

CALLBACK_PATH = "/account_sync_qbo/oauth/callback"
PARAM = "account_sync_qbo."
#: pulled payment status (engine) -> the base's vocabulary, where only live payments are registered
PAYMENT_STATUS = {"ACTIVE": "AUTHORISED"}

Realm = namedtuple("Realm", "id name")


class _ConnectionKeyedStore:
    """The connection's ``OrmTokenStore`` under the key ``QboClient`` asks for (``qbo:<realm>``).

    One connection holds one realm's tokens, so every key maps to the connection's own row.
    """

    def __init__(self, store):
        self.store = store

    def get(self, key):
        return self.store.get(self.store.key)

    def save(self, key, pair):
        self.store.save(self.store.key, pair)

    @contextmanager
    def lock(self, key):
        with self.store.lock(self.store.key):
            yield


class AccountSyncConnection(models.Model):
    _inherit = "account.sync.connection"

    provider = fields.Selection(selection_add=[("qbo", "QuickBooks Online")], ondelete={"qbo": "set null"})

    # --- configuration ------------------------------------------------------------------------------------

    def _qbo_param(self, name, default=""):
        return self.env["ir.config_parameter"].sudo().get_param(PARAM + name) or default

    def _qbo_settings(self):
        client_id, secret = self._qbo_param("client_id"), self._qbo_param("client_secret")
        if not client_id or not secret:
            raise UserError(
                _(
                    "Set the QuickBooks app's client id and secret"
                    " (system parameters account_sync_qbo.client_id/secret)."
                )
            )
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        return QboSettings(
            client_id=client_id,
            client_secret=secret,
            redirect_uri=self._qbo_param("redirect_uri", base_url + CALLBACK_PATH),
            environment=self._qbo_param("environment", "production"),
            api_url=self._qbo_param("api_url") or None,
            timeout=float(self._qbo_param("timeout", "30")),
            retry=RetryPolicy(
                max_attempts=int(self._qbo_param("max_attempts", "4")),
                base_delay=float(self._qbo_param("retry_base_delay", "2.0")),
                max_delay=60.0,
            ),
        )

    def _qbo_mapping(self):
        """Mapped account numbers to QuickBooks ids (the base's passthrough would send numbers)."""
        ids = {
            record.code: record.qbo_id
            for record in self.remote_account_ids.with_context(active_test=False)
            if record.kind == "account" and record.qbo_id
        }
        mapping = self._account_mapping()
        return AccountMapping(
            accounts=ids,
            taxes=mapping.taxes,
            default_sale_account=ids.get(mapping.default_sale_account, ""),
            default_purchase_account=ids.get(mapping.default_purchase_account, ""),
            default_sale_tax=mapping.default_sale_tax,
            default_purchase_tax=mapping.default_purchase_tax,
            passthrough=True,  # tax codes are QuickBooks ids already
        )

    def _qbo_store(self):
        return _ConnectionKeyedStore(self._token_store())

    def _qbo_client(self):
        self.ensure_one()
        if not self.tenant_id:
            raise ReconnectRequired(_("No QuickBooks company is connected."))
        return QboClient(self._qbo_settings(), self.tenant_id, self._qbo_store(), accounts=self._qbo_mapping())

    # --- OAuth2 -------------------------------------------------------------------------------------------

    def _qbo_finish_connect(self, code, realm_id):
        """Exchange the code (tokens saved in the store's own cursor), then keep the realm."""
        self.ensure_one()
        if not realm_id:
            raise UserError(_("QuickBooks named no company (realmId) in its answer."))
        pair = QboAuth(self._qbo_settings()).exchange_code(code, realm_id)
        store = self._token_store()
        store.save(store.key, pair)
        return self._store_grant([Realm(realm_id, _("QuickBooks company %s", realm_id))])

    def _provider_authorize(self):
        if self.provider != "qbo":
            return super()._provider_authorize()
        url = QboAuth(self._qbo_settings()).authorization_url(self._oauth_state())
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    # --- provider hooks -----------------------------------------------------------------------------------

    def _provider_revoke(self):
        if self.provider != "qbo":
            return super()._provider_revoke()
        store = self._token_store()
        pair = store.get(store.key)
        if pair:
            QboAuth(self._qbo_settings()).revoke(pair)

    def _provider_chart(self):
        if self.provider != "qbo":
            return super()._provider_chart()
        client = self._qbo_client()
        return client.list_accounts(), client.list_tax_rates()

    def _provider_push_contacts(self, contacts):
        if self.provider != "qbo":
            return super()._provider_push_contacts(contacts)
        return self._qbo_client().push_customers(contacts)

    def _provider_push_documents(self, documents):
        """New and changed invoices go in batches; credit notes and bills one by one."""
        if self.provider != "qbo":
            return super()._provider_push_documents(documents)
        client = self._qbo_client()
        self._qbo_link_parties(client, documents)
        single = {CreditNote: client.push_credit_note, Bill: client.push_bill}
        invoices = [(i, d) for i, d in enumerate(documents) if type(d) not in single]
        results = {}
        if invoices:
            pushed = client.push_invoices([d for _i, d in invoices])
            results.update(zip([i for i, _d in invoices], pushed, strict=True))
        for i, doc in enumerate(documents):
            if i not in results:
                results[i] = client._safely(doc.ref, lambda d=doc: single[type(d)](d))
        return [results[i] for i in range(len(documents))]

    def _qbo_link_parties(self, client, documents):
        """Customers and vendors first, so the base binds the partners (the client would create them unseen)."""
        waiting = {}
        for doc in documents:
            if not doc.contact.remote_id:
                supplier = isinstance(doc, Bill) or getattr(doc, "supplier", False)
                waiting.setdefault((supplier, doc.contact.ref.id), []).append(doc)
        customers = [docs[0].contact for (supplier, _id), docs in waiting.items() if not supplier]
        found = {r.ref.id: r.remote_id for r in client.push_customers(customers) if r.ok} if customers else {}
        for (supplier, partner_id), docs in waiting.items():
            if supplier:
                try:
                    found[partner_id] = client.push_vendor(docs[0].contact)
                except (ReconnectRequired, TransientError):
                    raise
                except SyncError:
                    continue  # the bill's own push reports it
            for doc in docs:
                doc.contact.remote_id = found.get(partner_id)

    def _provider_void(self, remote_id, ref):
        if self.provider != "qbo":
            return super()._provider_void(remote_id, ref)
        try:
            self._qbo_client().void_invoice(remote_id, ref)
        except (ReconnectRequired, TransientError):
            raise
        except SyncError as exc:
            return ItemResult(ref, False, remote_id, errors=(str(exc),))
        return ItemResult(ref, True, remote_id)

    def _provider_push_payments(self, payments):
        if self.provider != "qbo":
            return super()._provider_push_payments(payments)
        client = self._qbo_client()
        return [client._safely(p.ref, lambda p=p: client.push_payment(p)) for p in payments]

    def _provider_pull_payments(self, since):
        """Payments recorded in QuickBooks; the first pull looks back as far as change data capture allows."""
        if self.provider != "qbo":
            return super()._provider_pull_payments(since)
        now = datetime.datetime.now(datetime.timezone.utc)
        since = since or now - datetime.timedelta(days=CDC_MAX_DAYS - 1)
        pulled = self._qbo_client().pull_payments(since)
        for payment in pulled:
            payment.status = PAYMENT_STATUS.get(payment.status, payment.status)
        return pulled
