"""QuickBooks Online as a provider of ``account.sync.connection``: OAuth2 and the engine client per connection.

Endpoints and app credentials are system parameters (``account_sync_qbo.*``; client id, secret and
environment are edited in the settings), so a test or a staging
database points the unchanged SDKs at another server (``environment`` takes intuit-oauth's discovery
document URL, ``api_url`` python-quickbooks' v3 base).  The realm (QuickBooks company) id arrives with
the consent redirect and is kept per Odoo company in ``tenant_id``.
"""

from collections import namedtuple
from contextlib import contextmanager

from odoo import _, fields, models
from odoo.addons.account_sync.models.account_sync_connection import _remote_account
from odoo.exceptions import UserError

from account_sync.engine.backoff import RetryPolicy
from account_sync.engine.errors import ReconnectRequired
from account_sync.engine.mapping import AccountMapping
from account_sync.engine.states import RecordKind
from account_sync_qbo.engine.client import QboClient
from account_sync_qbo.engine.oauth import QboAuth
from account_sync_qbo.engine.settings import QUERY_PAGE, QboSettings

CALLBACK_PATH = "/account_sync_qbo/oauth/callback"
PARAM = "account_sync_qbo."

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

    # --- QuickBooks' own settings -------------------------------------------------------------------------
    qbo_lead_source_definition = fields.Selection(
        [("1", "Custom field 1"), ("2", "Custom field 2"), ("3", "Custom field 3")],
        string="Lead source custom field",
        help="The invoice custom field (QuickBooks: Settings > Sales > Custom fields) that receives the lead "
        "source: the invoice's UTM source, else the customer's lead source. Empty: not sent.",
    )
    qbo_lead_source_name = fields.Char(
        "Custom field name", default="Lead source", help="The custom field's name as set up in QuickBooks"
    )
    qbo_accept_credit_cards = fields.Boolean(
        "Accept credit card payments",
        help="Invoices let customers pay online by card; card payments registered in Odoo are pushed into the "
        "credit card account with QuickBooks' credit card payment method",
    )
    qbo_deposit_account_id = _remote_account(
        "Deposit account (polled)",
        ["bank", "asset"],
        "Customer payments from Odoo are deposited here (card payments: the credit card account), and only "
        "payments recorded in QuickBooks into this account (or the card account) are registered in Odoo. "
        "Empty: the payments account, and every QuickBooks payment is registered.",
    )

    # --- configuration ------------------------------------------------------------------------------------

    def _qbo_param(self, name, default=""):
        return self.env["ir.config_parameter"].sudo().get_param(PARAM + name) or default

    def _qbo_settings(self):
        client_id, secret, redirect_uri = self._app_credentials(PARAM, "QuickBooks", CALLBACK_PATH)
        return QboSettings(
            client_id=client_id,
            client_secret=secret,
            redirect_uri=redirect_uri,
            environment=self._qbo_param("environment", "production"),
            api_url=self._qbo_param("api_url") or None,
            timeout=float(self._qbo_param("timeout", "30")),
            lead_source_definition=self.qbo_lead_source_definition or "",
            lead_source_name=self.qbo_lead_source_name or "Lead source",
            accept_credit_cards=self.qbo_accept_credit_cards,
            deposit_account=self.qbo_deposit_account_id.code or "",
            polled_accounts=frozenset(self._qbo_polled_accounts()),
            query_page=int(self._qbo_param("query_page", str(QUERY_PAGE))),
            retry=RetryPolicy(
                max_attempts=int(self._qbo_param("max_attempts", "4")),
                base_delay=float(self._qbo_param("retry_base_delay", "2.0")),
                max_delay=60.0,
            ),
        )

    def _qbo_mapping(self):
        """Mapped account numbers to QuickBooks ids (the base's passthrough would send numbers)."""
        ids = {
            record.code: record.remote_id
            for record in self.remote_account_ids.with_context(active_test=False)
            if record.kind == "account" and record.remote_id
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

    def _qbo_finish_connect(self, code, realm_id, store=None):
        """Exchange the code, then keep the realm; with the callback's ``store`` (``_oauth_finish``) tokens
        and grant commit together in its locked cursor."""
        self.ensure_one()
        if not realm_id:
            raise UserError(_("QuickBooks named no company (realmId) in its answer."))
        pair = QboAuth(self._qbo_settings()).exchange_code(code, realm_id)
        store = store or self._token_store()
        store.save(store.key, pair)
        return self._store_grant([Realm(realm_id, _("QuickBooks company %s", realm_id))])

    def _qbo_polled_accounts(self):
        """QBO ids of the accounts whose payments are registered in Odoo; empty: every account."""
        if not self.qbo_deposit_account_id:
            return set()
        accounts = self.qbo_deposit_account_id
        if self.qbo_accept_credit_cards:
            accounts |= self.credit_card_account_id
        return {account.remote_id for account in accounts if account.remote_id}


class AccountSyncProviderQbo(models.AbstractModel):
    """QuickBooks' hooks: its client, its consent screen and revocation, the lead source it sends with
    invoices, and the customer import's binding by name and refresh of what it imported."""

    _name = "account.sync.provider.qbo"
    _inherit = "account.sync.provider"
    _description = "QuickBooks Online (sync provider hooks)"

    def _client(self, connection):
        return connection._qbo_client()

    def _authorize(self, connection):
        url = QboAuth(connection._qbo_settings()).authorization_url(connection._oauth_state())
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def _revoke(self, connection):
        store = connection._token_store()
        pair = store.get(store.key)
        if pair:
            QboAuth(connection._qbo_settings()).revoke(pair)

    def _document_extras(self, connection, move):
        """The invoice's UTM source (sale adds it to invoices), else its customer's lead source."""
        if move.move_type != "out_invoice":
            return {}
        source = move["source_id"] if "source_id" in move._fields else None
        source = source or move.partner_id.commercial_partner_id.account_sync_lead_source_id
        return {"lead_source": (source.name or "") if source else ""}

    def _contacts_pulled(self, connection, contacts):
        """An unbound Odoo company with exactly a customer's name (case aside) is bound to it instead of
        being duplicated by the import."""
        Binding = self.env["account.sync.binding"].sudo()
        bound = Binding._by_remote(connection, "res.partner")
        Partner = self.env["res.partner"].sudo()
        for contact in contacts:
            if contact.remote_id in bound:
                continue
            same_name = Partner.search(
                [
                    ("name", "=ilike", contact.name),
                    ("parent_id", "=", False),
                    ("company_id", "in", [False, connection.company_id.id]),
                ]
            ).filtered(lambda p: not Binding._of(connection, p))
            if len(same_name) == 1:
                Binding.bind(connection, same_name, RecordKind.CONTACT, contact.remote_id, origin="local")

    def _contacts_imported(self, connection, contacts):
        """Every imported customer refreshed from QuickBooks (address included): QuickBooks owns what was
        imported from it; a partner pushed from Odoo is left alone."""
        bound = self.env["account.sync.binding"].sudo()._by_remote(connection, "res.partner")
        for contact in contacts:
            binding = bound.get(contact.remote_id)
            partner = binding._record() if binding and binding.origin == "remote" else None
            if partner:
                partner.write(self._partner_values(contact))

    def _partner_values(self, contact):
        values = {
            "name": contact.name,
            "email": contact.email or False,
            "phone": contact.phone or False,
            "mobile": contact.mobile or False,
        }
        address = contact.address
        if address:
            country = self.env["res.country"].search([("code", "=", address.country_code)], limit=1)
            values.update(
                street=address.street or False,
                street2=address.street2 or False,
                city=address.city or False,
                zip=address.zip or False,
                country_id=country.id or False,
            )
        return values
