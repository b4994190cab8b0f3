"""Xero as a provider of ``account.sync.connection``: the OAuth2 flow and the engine client per connection.

Endpoints and app credentials are system parameters (``account_sync_xero.*``; the client id and secret are
edited in the settings), so a test or a staging database points the unchanged client at another server.
The per-request OAuth ``state`` is the base's (``_oauth_state``: signed, bound to the connection and the
user, expiring).  Everything else (what is pushed, in which order, bindings, pulls) is the base's;
``account.sync.provider.xero`` holds the hooks.
"""

from odoo import fields, models

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.ratelimit import RateLimiterRegistry
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
        return XeroApp(*self._app_credentials(PARAM, "Xero", CALLBACK_PATH))

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
            mapping=self._account_mapping(),
        )

    # --- OAuth2 -------------------------------------------------------------------------------------------

    def _xero_finish_connect(self, code, store=None):
        """Exchange the code, then pick the organisation; with the callback's ``store``
        (``_oauth_finish``) tokens and grant commit together in its locked cursor."""
        self.ensure_one()
        client = self._xero_client(tenant_id="-", store=store)
        client.connect(code)
        return self._store_grant(client.list_connections())


class AccountSyncProviderXero(models.AbstractModel):
    """Xero's hooks: its client, its consent screen, its revocation."""

    _name = "account.sync.provider.xero"
    _inherit = "account.sync.provider"
    _description = "Xero (sync provider hooks)"

    def _client(self, connection):
        return connection._xero_client()

    def _authorize(self, connection):
        url = connection._xero_client().authorization_url(connection._oauth_state())
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def _revoke(self, connection):
        connection._xero_client().disconnect()
