"""Settings → Accounts integration: the company's connection, edited through related fields."""

from odoo import api, fields, models

ALL_CATEGORIES = ["revenue", "expense", "bank", "asset", "liability", "equity", "other"]


def _related(field_class, name):
    """The connection's field, edited in place (the settings record writes through to it)."""
    return field_class(related=f"account_sync_connection_id.{name}", readonly=False)


def _account(name, categories):
    """Only accounts of the fitting type, unless restrictions are relaxed (the connection's own rule)."""
    return fields.Many2one(
        related=f"account_sync_connection_id.{name}",
        readonly=False,
        domain=f"[('connection_id', '=', account_sync_connection_id), ('kind', '=', 'account'),"
        f" ('category', 'in', account_sync_relax_account_restrictions and {ALL_CATEGORIES} or {categories})]",
    )


def _tax(name):
    return fields.Many2one(
        related=f"account_sync_connection_id.{name}",
        readonly=False,
        domain="[('connection_id', '=', account_sync_connection_id), ('kind', '=', 'tax')]",
    )


def app_fields(prefix, app, param, callback_path):
    """A provider's app in the settings: ``(client_id, client_secret, redirect_uri)`` fields, to be named
    ``<prefix>_client_id`` / ``_client_secret`` / ``_redirect_uri``.

    The id and secret are the system parameters ``<param>client_id`` / ``client_secret``, where the provider's
    connection has always read them (a database set up by hand keeps working); only administrators see them.
    The redirect URI is what to register with the provider: the callback Connect sends."""

    @api.depends("company_id")
    def compute_redirect_uri(settings_records):
        for settings in settings_records:
            settings[prefix + "_redirect_uri"] = settings.env["account.sync.connection"]._app_redirect_uri(
                param, callback_path
            )

    return (
        fields.Char(f"{app} client id", config_parameter=param + "client_id", groups="base.group_system"),
        fields.Char(f"{app} client secret", config_parameter=param + "client_secret", groups="base.group_system"),
        fields.Char(f"{app} redirect URI", compute=compute_redirect_uri, groups="base.group_system"),
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    account_sync_connection_id = fields.Many2one(
        "account.sync.connection", compute="_compute_account_sync_connection_id"
    )
    account_sync_state = fields.Selection(related="account_sync_connection_id.state")
    account_sync_tenant_name = fields.Char(related="account_sync_connection_id.tenant_name")
    account_sync_last_error = fields.Text(related="account_sync_connection_id.last_error")
    account_sync_chart_loaded = fields.Boolean(compute="_compute_account_sync_chart_loaded")

    account_sync_provider = _related(fields.Selection, "provider")
    account_sync_start_date = _related(fields.Date, "start_date")
    account_sync_invoice_reference_field = _related(fields.Selection, "invoice_reference_field")
    account_sync_relax_account_restrictions = _related(fields.Boolean, "relax_account_restrictions")
    account_sync_payment_account_id = _account("payment_account_id", ["bank"])
    account_sync_credit_card_account_id = _account("credit_card_account_id", ["bank", "liability"])
    account_sync_default_payment_method_line_id = _related(fields.Many2one, "default_payment_method_line_id")
    account_sync_supplier_invoice_account_id = _account("supplier_invoice_account_id", ["expense"])
    account_sync_supplier_expense_account_id = _account("supplier_expense_account_id", ["expense"])
    account_sync_rounding_account_id = _account("rounding_account_id", ["revenue", "expense"])
    account_sync_labour_income_account_id = _account("labour_income_account_id", ["revenue"])
    account_sync_materials_income_account_id = _account("materials_income_account_id", ["revenue"])
    account_sync_credit_note_account_id = _account("credit_note_account_id", ["revenue"])
    account_sync_sales_tax_id = _tax("sales_tax_id")
    account_sync_sales_tax_free_id = _tax("sales_tax_free_id")
    account_sync_purchase_tax_id = _tax("purchase_tax_id")
    account_sync_purchase_tax_free_id = _tax("purchase_tax_free_id")
    account_sync_line_mode = _related(fields.Selection, "line_mode")
    account_sync_push_lines_as_items = _related(fields.Boolean, "push_lines_as_items")
    account_sync_push_work_undertaken = _related(fields.Boolean, "push_work_undertaken")

    @api.depends("company_id")
    def _compute_account_sync_connection_id(self):
        for settings in self:
            settings.account_sync_connection_id = self.env["account.sync.connection"]._for_company(settings.company_id)

    @api.depends("account_sync_connection_id")
    def _compute_account_sync_chart_loaded(self):
        """Whether the mapping fields have anything to offer: until the chart is refreshed they are empty, and
        the settings say what to do instead of showing empty drop-downs."""
        for settings in self:
            settings.account_sync_chart_loaded = bool(settings.account_sync_connection_id.sudo().remote_account_ids)

    def _account_sync_action(self, method):
        self.execute()
        connection = self.env["account.sync.connection"]._for_company(self.company_id)
        return getattr(connection, method)() if method else True

    def action_account_sync_connect(self):
        return self._account_sync_action("action_connect")

    def action_account_sync_disconnect(self):
        self._account_sync_action("action_disconnect")
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_account_sync_sync_now(self):
        self._account_sync_action("action_sync_now")
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_account_sync_open_surcharges(self):
        """The surcharge table lives on the connection (a list does not fit a settings row)."""
        connection = self._account_sync_action(None) and self.account_sync_connection_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.sync.connection",
            "res_id": connection.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_account_sync_open_tax_map(self):
        return self._account_sync_action("action_open_tax_map")

    def action_account_sync_refresh_chart(self):
        self._account_sync_action("action_refresh_chart")
        return {"type": "ir.actions.client", "tag": "reload"}
