"""One link per company between Odoo and an online ledger, and the sync run that uses it.

Provider addons extend ``provider`` and define ``account.sync.provider.<code>`` (``account_sync_provider``):
its hooks build the engine client and run the consent; everything that does not depend on the vendor
(what to push and when, bindings, error handling, the chart of accounts, pulled payments) lives here.
"""

import datetime
import logging
import re
import secrets
import threading

from odoo import _, api, fields, models
from odoo.exceptions import AccessDenied, UserError
from odoo.tools.misc import hash_sign, verify_hash_signed
from psycopg2 import errors as pg_errors

from account_sync.engine import errors as sync_errors
from account_sync.engine.mapping import AccountMapping

from . import sync_mapper
from .account_sync_oauth_nonce import answer_digest
from .token_store import OrmTokenStore, key_for

_logger = logging.getLogger(__name__)

ALL_CATEGORIES = ["revenue", "expense", "bank", "asset", "liability", "equity", "other"]


def _remote_account(string, categories, help_text=""):
    """A mapping to a remote account; only fitting account types unless restrictions are relaxed."""
    return fields.Many2one(
        "account.sync.remote.account",
        string=string,
        domain=f"[('connection_id', '=', id), ('kind', '=', 'account'), ('active', '=', True),"
        f" ('category', 'in', relax_account_restrictions and {ALL_CATEGORIES} or {categories})]",
        help=help_text,
    )


def _remote_tax(string):
    return fields.Many2one(
        "account.sync.remote.account",
        string=string,
        domain="[('connection_id', '=', id), ('kind', '=', 'tax'), ('active', '=', True)]",
    )


#: What two runs at once may meet: the transaction is rolled back and the next run does the work.
RETRYABLE_DB_ERRORS = (pg_errors.SerializationFailure, pg_errors.LockNotAvailable, pg_errors.DeadlockDetected)

OAUTH_STATE_SCOPE = "account_sync.oauth_state"
OAUTH_STATE_TTL = datetime.timedelta(minutes=15)


class AccountSyncConnection(models.Model):
    _name = "account.sync.connection"
    _description = "Accounting sync connection"
    _rec_name = "display_label"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    provider = fields.Selection([], string="Accounting package")
    state = fields.Selection(
        [("disconnected", "Disconnected"), ("connected", "Connected"), ("broken", "Reconnect needed")],
        default="disconnected",
        required=True,
        readonly=True,
    )
    display_label = fields.Char(compute="_compute_display_label")
    tenant_id = fields.Char("Organisation id", readonly=True, help="Xero tenant id or QuickBooks realm id")
    tenant_name = fields.Char("Organisation", readonly=True)
    tenant_choices = fields.Json(readonly=True, groups="base.group_system")
    tenant_selection = fields.Selection(
        selection="_tenant_selection_values",
        string="Use organisation",
        compute="_compute_tenant_selection",
        inverse="_inverse_tenant_selection",
        help="The grant may give access to several organisations; the first one is used until you choose",
    )
    access_token = fields.Char(groups="base.group_system", copy=False)
    refresh_token = fields.Char(groups="base.group_system", copy=False)
    token_expires_at = fields.Float(groups="base.group_system", copy=False)
    token_scope = fields.Char(groups="base.group_system", copy=False)
    last_error = fields.Text(readonly=True)
    last_error_at = fields.Datetime(readonly=True)
    last_sync_at = fields.Datetime(readonly=True)
    payments_pulled_at = fields.Datetime(
        readonly=True, help="Payments changed remotely after this moment are pulled next (If-Modified-Since)"
    )
    documents_scanned_at = fields.Datetime(
        readonly=True,
        help="Invoices and payments written after this moment (less an hour) are looked at by the next run",
    )
    import_offered = fields.Boolean(readonly=True)
    import_offer_pending = fields.Boolean(readonly=True, help="First connection: offer to import the customers")

    # --- mappings (what the reference products' settings screens list) ---
    start_date = fields.Date(
        help="Invoices, bills and payments dated from this day on are pushed; those dated before it stay in "
        "Odoo only (the accounting package already has them)"
    )
    invoice_reference_field = fields.Selection(
        [
            ("origin", "Job number (source document)"),
            ("ref", "Customer PO number"),
            ("site", "Site address (of the invoice's job)"),
            ("payment_reference", "Client work order (of the invoice's job)"),
        ],
        default="origin",
        required=True,
    )
    relax_account_restrictions = fields.Boolean(help="Offer every remote account, not only those of the fitting type")
    payment_account_id = _remote_account("Payments received into", ["bank"])
    credit_card_account_id = _remote_account("Credit card payments into", ["bank", "liability"])
    default_payment_method_line_id = fields.Many2one(
        "account.payment.method.line",
        string="Default payment method",
        domain="[('payment_type', '=', 'inbound')]",
        help="Used to register payments pulled from the accounting package",
    )
    supplier_invoice_account_id = _remote_account("Supplier invoices", ["expense"])
    supplier_expense_account_id = _remote_account("Supplier expenses", ["expense"])
    rounding_account_id = _remote_account("Rounding", ["revenue", "expense"])
    labour_income_account_id = _remote_account("Labour income", ["revenue"], "Service products")
    materials_income_account_id = _remote_account("Materials income", ["revenue"], "Goods and other products")
    credit_note_account_id = _remote_account("Credit notes", ["revenue"])
    sales_tax_id = _remote_tax("Sales tax")
    sales_tax_free_id = _remote_tax("Sales tax-free")
    purchase_tax_id = _remote_tax("Purchase tax")
    purchase_tax_free_id = _remote_tax("Purchase tax-free")
    line_mode = fields.Selection(
        [("lines", "Each line"), ("summary", "One summary line")], default="lines", required=True
    )
    push_lines_as_items = fields.Boolean(help="Send product internal references as item codes")
    push_work_undertaken = fields.Boolean(help="Add the invoice's narration as a description line")

    surcharge_ids = fields.One2many(
        "account.sync.surcharge", "connection_id", string="Surcharge income accounts per payment method"
    )
    remote_account_ids = fields.One2many("account.sync.remote.account", "connection_id")
    tax_map_ids = fields.One2many("account.sync.tax.map", "connection_id", string="Tax code per tax")
    binding_ids = fields.One2many("account.sync.binding", "connection_id")
    log_ids = fields.One2many("account.sync.log", "connection_id")

    _sql_constraints = [("company_uniq", "unique(company_id)", "One accounting connection per company.")]

    def write(self, vals):
        if "start_date" in vals:  # documents before the last scan may now be in range: look at all once
            vals = {**vals, "documents_scanned_at": False}
        return super().write(vals)

    @api.depends("provider", "company_id", "tenant_name")
    def _compute_display_label(self):
        labels = dict(self._fields["provider"]._description_selection(self.env))
        for connection in self:
            parts = [labels.get(connection.provider) or _("No accounting package"), connection.company_id.name]
            connection.display_label = " / ".join(p for p in parts + [connection.tenant_name] if p)

    @api.model
    def _tenant_selection_values(self):
        values = {}
        for connection in self.sudo().search([]):
            for choice in connection.tenant_choices or []:
                values[choice["id"]] = choice["name"]
        return list(values.items())

    @api.depends("tenant_id")
    def _compute_tenant_selection(self):
        for connection in self:
            connection.tenant_selection = connection.tenant_id or False

    def _inverse_tenant_selection(self):
        self._check_manage()
        for connection in self:
            names = {c["id"]: c["name"] for c in connection.sudo().tenant_choices or []}
            if connection.tenant_selection and connection.tenant_selection != connection.tenant_id:
                if connection.tenant_selection not in names:
                    raise UserError(_("That organisation is not part of this connection's grant."))
                connection.sudo().write(
                    {"tenant_id": connection.tenant_selection, "tenant_name": names[connection.tenant_selection]}
                )
                connection._log("connect", "info", _("Now using %s", connection.tenant_name))

    @api.model
    def _for_company(self, company=None):
        """The company's connection, created on first use (the settings screen edits it)."""
        company = company or self.env.company
        connection = self.sudo().search([("company_id", "=", company.id)], limit=1)
        connection = connection or self.sudo().create({"company_id": company.id})
        # found and created as superuser (a billing user may open the settings first), handed back with the
        # caller's rights: the buttons check them, and a sudo record would pass every check
        return connection.with_env(self.env)

    def _check_manage(self):
        """Raise AccessError unless the caller may change these connections (write on each record).

        Every button that talks to the accounting package or changes the grant calls this first: they run
        parts of their work as superuser (the token fields, bindings, logs), so the model's access rights
        alone would not stop a read-only or billing user. Write access is the ACL (accounting and system
        administrators) and the company rule (another company's administrator is refused too). A caller
        already running as superuser is code that decided so itself (the scheduled sync, tests).
        """
        if not self.env.su:
            self.check_access("write")

    # --- a provider's app -----------------------------------------------------------------------------------

    @api.model
    def _app_redirect_uri(self, param, callback_path):
        """The redirect URI a provider's app registers and Connect sends: the ``<param>redirect_uri`` system
        parameter when an administrator set one, else this server's callback."""
        params = self.env["ir.config_parameter"].sudo()
        base_url = params.get_param("web.base.url", "").rstrip("/")
        return params.get_param(param + "redirect_uri") or base_url + callback_path

    @api.model
    def _app_credentials(self, param, app, callback_path):
        """``(client_id, client_secret, redirect_uri)`` of a provider's app, from the system parameters
        ``<param>client_id`` / ``client_secret`` (Settings → Accounts integration writes them); without both,
        a UserError says where to enter them."""
        params = self.env["ir.config_parameter"].sudo()
        client_id, secret = params.get_param(param + "client_id"), params.get_param(param + "client_secret")
        if not client_id or not secret:
            raise UserError(
                _(
                    "Enter your %(app)s app's client id and secret in Settings → Invoicing → Accounts integration"
                    " (an administrator can), then click Connect again.",
                    app=app,
                )
            )
        return client_id, secret, self._app_redirect_uri(param, callback_path)

    # --- tokens -------------------------------------------------------------------------------------------

    def _token_store(self):
        self.ensure_one()
        return OrmTokenStore(self.env.registry, self.id)

    @property
    def _token_key(self):
        return key_for(self.id)

    # --- OAuth2 state, the callback's CSRF check, for every provider -------------------------------------

    def _oauth_state(self):
        """The per-request OAuth ``state``: signed with the database secret, bound to this connection and
        the user, expiring after ``OAUTH_STATE_TTL``."""
        self.ensure_one()
        payload = {"connection": self.id, "user": self.env.uid, "nonce": secrets.token_urlsafe(8)}
        return hash_sign(self.env(su=True), OAUTH_STATE_SCOPE, payload, expiration=OAUTH_STATE_TTL)

    @api.model
    def _oauth_check_state(self, state, provider):
        """``(connection, nonce)`` the signed ``state`` names, if it is intact, fresh, issued to this user
        for ``provider``, and the user may still change the connection; AccessDenied/AccessError otherwise.

        Whether the state was used already is ``_oauth_finish``'s question (it needs the row lock)."""
        label = self._provider_label(provider)
        try:
            payload = verify_hash_signed(self.env(su=True), OAUTH_STATE_SCOPE, state or "")
        except (ValueError, UnicodeDecodeError):
            payload = None
        if not payload or payload.get("user") != self.env.uid:
            raise AccessDenied(_("This %s authorisation link is invalid or has expired; click Connect again.", label))
        connection = self.browse(payload["connection"]).exists()
        if not connection or connection.provider != provider:
            raise AccessDenied(
                _("This %(provider)s authorisation link names no %(provider)s connection.", provider=label)
            )
        connection.check_access("write")
        return connection, str(payload.get("nonce") or "")

    def _oauth_finish(self, nonce, code, error, exchange, extra=""):
        """Answer one consent once: ``(outcome, message)``, outcome one of ``connected``, ``refused``,
        ``failed`` (first answer), ``repeat`` (the same answer again: a retried request) or ``used`` (another
        answer to a state already answered: a replay, nothing changed).

        ``exchange(connection, store)`` trades the code for tokens through ``store`` and stores the grant;
        it runs inside the token store's locked cursor with the used state, so tokens, grant and state
        commit together. The HTTP request's own transaction writes nothing on the connection row: before,
        the store committed the tokens in its cursor, the request then wrote the same row, PostgreSQL
        refused it (serialization failure), Odoo replayed the whole request and the code was exchanged a
        second time (``invalid_grant``). A refusal at consent (``error``) keeps the connection's state.
        """
        self.ensure_one()
        digest = answer_digest(code, error, extra)
        store = self._token_store()
        with store.transaction() as cr:
            connection = self.with_env(self.env(cr=cr))
            Nonce = connection.env["account.sync.oauth.nonce"].sudo()
            seen = Nonce.search([("nonce", "=", nonce)], limit=1) if nonce else Nonce
            if seen:
                if seen.answer_digest == digest and seen.connection_id == connection:
                    return "repeat", seen.message or ""
                _logger.warning("OAuth state of connection %s answered again with another answer", self.id)
                return "used", _("This authorisation link was used already; click Connect again.")
            label = connection._provider_label()
            if error or not code:
                reason = re.sub(r"[^A-Za-z0-9_.-]", "", error or "")[:64] or _("no authorisation code")
                outcome, message = (
                    "refused",
                    _("%(provider)s: the consent was not given (%(reason)s).", provider=label, reason=reason),
                )
                connection.sudo().write({"last_error": message, "last_error_at": fields.Datetime.now()})
                connection._log("connect", "error", message)
            else:
                try:
                    with cr.savepoint():
                        exchange(connection, store)
                        connection.env.flush_all()
                    outcome, message = "connected", ""
                except (sync_errors.SyncError, UserError) as exc:
                    connection.env.invalidate_all()
                    outcome, message = (
                        "failed",
                        _("%(provider)s refused the connection: %(reason)s", provider=label, reason=exc),
                    )
                    connection.sudo().write({"last_error": message, "last_error_at": fields.Datetime.now()})
                    connection._log("connect", "error", message)
            Nonce.create(
                {
                    "nonce": nonce or secrets.token_urlsafe(8),
                    "connection_id": connection.id,
                    "user_id": self.env.uid,
                    "answer_digest": digest,
                    "outcome": outcome,
                    "message": message,
                }
            )
            connection.env.flush_all()
        self.env.invalidate_all()  # the request's cache holds the row as it was before
        return outcome, message

    def _store_grant(self, tenants):
        """After a successful consent (tokens already saved by the store): first organisation chosen.

        Returns True on the company's first connection, when the customer import is offered.
        """
        self.ensure_one()
        self.env.invalidate_all()
        choices = [{"id": t.id, "name": t.name} for t in tenants]
        if not choices:
            raise UserError(_("The grant gives access to no organisation; connect again and pick one."))
        first_connection = not self.import_offered
        self.sudo().write(
            {
                "tenant_choices": choices,
                "tenant_id": choices[0]["id"],
                "tenant_name": choices[0]["name"],
                "state": "connected",
                "last_error": False,
                "last_error_at": False,
                "import_offered": True,
                "import_offer_pending": first_connection,
            }
        )
        self._log("connect", "info", _("Connected to %s", choices[0]["name"]))
        return first_connection

    def _forget_grant(self):
        self.sudo().write(
            {
                "access_token": False,
                "refresh_token": False,
                "token_expires_at": 0,
                "token_scope": False,
                "tenant_id": False,
                "tenant_name": False,
                "tenant_choices": False,
                "state": "disconnected",
            }
        )

    # --- buttons ------------------------------------------------------------------------------------------

    def action_connect(self):
        self.ensure_one()
        self._check_manage()
        if not self.provider:
            raise UserError(_("Choose an accounting package first."))
        return self._provider()._authorize(self)

    def action_reconnect(self):
        return self.action_connect()

    def action_disconnect(self):
        self._check_manage()
        for connection in self:
            if connection.state == "connected":
                try:
                    connection._provider()._revoke(connection)
                except sync_errors.SyncError as exc:  # forget locally even when the remote side is gone
                    _logger.warning("revoking %s failed: %s", connection.display_label, exc)
            connection._forget_grant()
            connection._log("disconnect", "info", _("Disconnected"))
        return True

    def action_sync_now(self):
        self._check_manage()
        for connection in self:
            if connection.state != "connected":
                raise UserError(_("Connect %s first.", connection.display_label))
            connection._sync()
        return True

    def action_refresh_chart(self):
        self._check_manage()
        for connection in self:
            accounts, taxes = connection._guarded(connection._remote_chart)
            self.env["account.sync.remote.account"]._refresh(connection, accounts, taxes)
            mapped = self.env["account.sync.tax.map"].sudo()._propose(connection)
            connection._log(
                "chart",
                "info",
                _(
                    "%(accounts)s accounts, %(taxes)s tax rates; %(mapped)s Odoo taxes have a tax code",
                    accounts=len(accounts),
                    taxes=len(taxes),
                    mapped=mapped,
                ),
            )
        return True

    def action_open_tax_map(self):
        """The tax code of each Odoo tax (a list: it does not fit a settings row)."""
        self.ensure_one()
        self._check_manage()
        return {
            "type": "ir.actions.act_window",
            "name": _("Tax code per tax"),
            "res_model": "account.sync.tax.map",
            "view_mode": "list",
            "domain": [("connection_id", "=", self.id)],
            "context": {"default_connection_id": self.id},
            "target": "current",
        }

    def action_import_customers(self):
        self.ensure_one()
        self._check_manage()
        contacts = self._guarded(lambda: self._client().pull_contacts())
        provider = self._provider()
        provider._contacts_pulled(self, contacts)
        created = sync_mapper.import_contacts(self, contacts)
        provider._contacts_imported(self, contacts)
        self._log("import", "info", _("%s customers imported, %s already known", created, len(contacts) - created))
        return created

    def action_export_customers(self):
        """Push every customer (not only paying ones) that is not linked yet."""
        self.ensure_one()
        self._check_manage()
        pushed = self._guarded(sync_mapper.SyncRun(self.with_company(self.company_id)).push_customers)
        self._log("export", "info", _("%s customers exported", pushed))
        return pushed

    def action_accept_import(self):
        self._check_manage()
        self.import_offer_pending = False
        self.action_import_customers()
        return True

    def action_decline_import(self):
        self._check_manage()
        self.import_offer_pending = False
        return True

    def action_open_import_wizard(self):
        self._check_manage()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.sync.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_connection_id": self.id},
        }

    # --- the sync run -------------------------------------------------------------------------------------

    @api.model
    def _cron_sync(self):
        """Each connection's run commits on its own; a failure is rolled back, logged, and the others go on.

        Two runs at once (a second worker, *Sync now* during the cron) can meet on the same binding rows and
        PostgreSQL aborts one transaction with a serialization failure: nothing can be read in it any more,
        so the labels are read before any run, and the handler rolls back before it logs.
        """
        connections = self.sudo().search([("state", "=", "connected")])
        labels = {connection.id: connection.display_label for connection in connections}
        for connection in connections:
            try:
                connection._sync()
                connection._commit()
            except Exception as exc:  # noqa: BLE001 - one company's failure must not stop the others
                connection._rollback()  # first: an aborted transaction refuses every query, even a read
                concurrent = isinstance(exc, RETRYABLE_DB_ERRORS)
                _logger.log(
                    logging.INFO if concurrent else logging.ERROR,
                    "account sync of %s stopped: %s",
                    labels[connection.id],
                    exc,
                    exc_info=not concurrent,
                )
                connection._log_run_failure(exc, concurrent)

    def _log_run_failure(self, exc, concurrent):
        """Tell the administrator on the connection's log why a scheduled run stopped (committed)."""
        message = (
            _("Another run was changing the same records at the same time; the next run picks them up.")
            if concurrent
            else _("The run stopped: %s", exc)
        )
        try:
            self._log("sync", "retry" if concurrent else "error", message)
            self._commit()
        except Exception:  # noqa: BLE001 - the log is a courtesy; the other connections matter more
            self._rollback()
            _logger.exception("could not log the failed run of connection %s", self.id)

    def _sync(self):
        """Push what changed (contacts first, then documents, voids, payments), then pull payments."""
        self.ensure_one()
        self = self.with_company(self.company_id)
        run = sync_mapper.SyncRun(self)
        try:
            run.push_documents()
            run.void_cancelled()
            run.delete_payments()
            run.push_payments()
            run.pull_payments()
            run.finish_scan()
        except sync_errors.ReconnectRequired as exc:
            self._fail("broken", exc)
            return False
        except sync_errors.TransientError as exc:  # 429, 5xx, timeouts: the next run picks it up again
            self._log("sync", "retry", str(exc))
            return False
        self.sudo().write({"last_sync_at": fields.Datetime.now()})
        return True

    def _guarded(self, method, *args):
        """Run a provider call from a button: a lost grant marks the connection broken, others explain."""
        try:
            return method(*args)
        except sync_errors.ReconnectRequired as exc:
            self._fail("broken", exc)
            self._commit()  # the UserError below rolls back; the broken state must stay visible
            raise UserError(_("Reconnect needed: %s", exc)) from exc
        except sync_errors.SyncError as exc:
            raise UserError(str(exc)) from exc

    def _commit(self):
        """Keep what a run did (bindings of records already pushed) even if a later step fails."""
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _rollback(self):
        if not getattr(threading.current_thread(), "testing", False):
            self.env.cr.rollback()

    def _fail(self, state, exc):
        self.sudo().write({"state": state, "last_error": str(exc), "last_error_at": fields.Datetime.now()})
        self._log("sync", "error", str(exc))

    def _log(self, operation, level, message, record=None):
        return (
            self.env["account.sync.log"]
            .sudo()
            .create(
                {
                    "connection_id": self.id,
                    "operation": operation,
                    "level": level,
                    "message": message,
                    "model": record._name if record else False,
                    "res_id": record.id if record else False,
                }
            )
        )

    # --- mapping for the engines --------------------------------------------------------------------------

    def _account_mapping(self):
        """Lines already carry remote codes (chosen in ``sync_mapper``); the defaults cover the rest."""
        return AccountMapping(
            passthrough=True,
            default_sale_account=self.materials_income_account_id.code or "",
            default_purchase_account=self.supplier_invoice_account_id.code or "",
            default_sale_tax=self.sales_tax_id.code or "",
            default_purchase_tax=self.purchase_tax_id.code or "",
        )

    def _pull_window_start(self):
        since = self.payments_pulled_at
        return since.replace(tzinfo=datetime.timezone.utc) if since else None

    # --- the provider -------------------------------------------------------------------------------------

    def _provider(self):
        """The hooks of this connection's accounting package: ``account.sync.provider.<code>``."""
        self.ensure_one()
        name = f"account.sync.provider.{self.provider}"
        if not self.provider or name not in self.env:
            raise UserError(_("No connector installed for %s.", self.provider or _("no accounting package")))
        return self.env[name]

    def _provider_label(self, code=None):
        """The accounting package's name as the user reads it ("QuickBooks Online"), of ``code`` or ours."""
        code = code or self.provider
        return dict(self._fields["provider"]._description_selection(self.env)).get(code, code or "")

    def _client(self):
        """The engine client (``account_sync.engine.provider.Provider``) of the connected ledger."""
        return self._provider()._client(self)

    def _remote_chart(self):
        """(list of RemoteAccount, list of RemoteTaxRate)"""
        client = self._client()
        return client.list_accounts(), client.list_tax_rates()
