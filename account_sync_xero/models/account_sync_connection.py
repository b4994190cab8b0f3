"""Xero as a provider of ``account.sync.connection``: the OAuth2 flow and the engine client per connection.

Endpoints and app credentials are system parameters (``account_sync_xero.*``; the client id and secret are
edited in the settings), so a test or a staging database points the unchanged client at another server.
The per-request OAuth ``state`` is the base's (``_oauth_state``: signed, bound to the connection and the
user, expiring).
"""

from odoo import _, fields, models
from odoo.exceptions import UserError

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.ratelimit import RateLimiterRegistry
from account_sync.engine.records import CreditNote
from account_sync_xero.engine.client import XeroClient
from account_sync_xero.engine.config import XERO_LIMITS, XeroApp, XeroEndpoints

CALLBACK_PATH = "/account_sync_xero/oauth/callback"
PARAM = "account_sync_xero."
ENDPOINT_NAMES = ("api_base", "identity_base", "token_url", "revoke_url", "authorize_url")

#: One rate limiter per Xero organisation for the whole process, shared by every worker thread.
LIMITERS = RateLimiterRegistry(XERO_LIMITS)


class AccountSyncConnection(models.Model):
    _inherit = "account.sync.connection"

    provider = fields.Selection(selection_add=[("xero", "Xero")], ondelete={"xero": "set null"})

    # --- configuration ------------------------------------------------------------------------------------

    def _xero_param(self, name, default=""):
        return self.env["ir.config_parameter"].sudo().get_param(PARAM + name) or default

    def _xero_app(self):
        client_id, secret = self._xero_param("client_id"), self._xero_param("client_secret")
        if not client_id or not secret:
            raise UserError(
                _(
                    "Enter your Xero app's client id and secret in Settings → Invoicing → Accounts integration"
                    " (an administrator can), then click Connect again."
                )
            )
        base_url = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        return XeroApp(client_id, secret, self._xero_param("redirect_uri", base_url + CALLBACK_PATH))

    def _xero_endpoints(self):
        default = XeroEndpoints()
        return XeroEndpoints(**{name: self._xero_param(name, getattr(default, name)) for name in ENDPOINT_NAMES})

    def _xero_client(self, tenant_id=None, store=None):
        self.ensure_one()
        store = store or self._token_store()
        tenant = tenant_id or self.tenant_id
        retry = RetryPolicy(
            max_attempts=int(self._xero_param("max_attempts", "4")),
            base_delay=float(self._xero_param("retry_base_delay", "1.0")),
        )
        return XeroClient(
            self._xero_app(),
            store,
            store.key,
            tenant,
            endpoints=self._xero_endpoints(),
            limiter=LIMITERS.get(tenant or "-"),
            retry=retry,
        )

    # --- OAuth2 -------------------------------------------------------------------------------------------

    def _xero_finish_connect(self, code, store=None):
        """Exchange the code, then pick the organisation; with the callback's ``store``
        (``_oauth_finish``) tokens and grant commit together in its locked cursor."""
        self.ensure_one()
        client = self._xero_client(tenant_id="-", store=store)
        client.connect(code)
        return self._store_grant(client.list_connections())

    def _provider_authorize(self):
        if self.provider != "xero":
            return super()._provider_authorize()
        url = self._xero_client().authorization_url(self._oauth_state())
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    # --- provider hooks -----------------------------------------------------------------------------------

    def _provider_revoke(self):
        if self.provider != "xero":
            return super()._provider_revoke()
        self._xero_client().disconnect()

    def _provider_chart(self):
        if self.provider != "xero":
            return super()._provider_chart()
        client = self._xero_client()
        return client.list_accounts(), client.list_tax_rates()

    def _provider_pull_contacts(self):
        if self.provider != "xero":
            return super()._provider_pull_contacts()
        return self._xero_client().pull_contacts()

    def _provider_push_contacts(self, contacts):
        if self.provider != "xero":
            return super()._provider_push_contacts(contacts)
        return self._xero_client().push_contacts(contacts)

    def _provider_push_documents(self, documents):
        if self.provider != "xero":
            return super()._provider_push_documents(documents)
        client, mapping = self._xero_client(), self._account_mapping()
        notes = [(i, d) for i, d in enumerate(documents) if isinstance(d, CreditNote)]
        others = [(i, d) for i, d in enumerate(documents) if not isinstance(d, CreditNote)]
        results = {}
        if others:
            pushed = client.push_invoices([d for _i, d in others], mapping)
            results.update(zip([i for i, _d in others], pushed, strict=True))
        if notes:
            pushed = client.push_credit_notes([d for _i, d in notes], mapping)
            results.update(zip([i for i, _d in notes], pushed, strict=True))
        return [results[i] for i in range(len(documents))]

    def _provider_void(self, remote_id, ref):
        if self.provider != "xero":
            return super()._provider_void(remote_id, ref)
        return self._xero_client().void_invoice(remote_id, ref)

    def _provider_void_credit_note(self, remote_id, ref):
        if self.provider != "xero":
            return super()._provider_void_credit_note(remote_id, ref)
        return self._xero_client().void_credit_note(remote_id, ref)

    def _provider_delete_payment(self, remote_id, ref):
        if self.provider != "xero":
            return super()._provider_delete_payment(remote_id, ref)
        return self._xero_client().delete_payment(remote_id, ref)

    def _provider_push_payments(self, payments):
        if self.provider != "xero":
            return super()._provider_push_payments(payments)
        return self._xero_client().push_payments(payments, self._account_mapping())

    def _provider_pull_payments(self, since):
        if self.provider != "xero":
            return super()._provider_pull_payments(since)
        return self._xero_client().pull_payments(since)
