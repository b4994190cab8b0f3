"""After the first connection: *Yes, import all my customers* or *Not right now* (also in Contacts)."""

from odoo import _, fields, models


class AccountSyncImportWizard(models.TransientModel):
    _name = "account.sync.import.wizard"
    _description = "Import customers from the accounting package"

    connection_id = fields.Many2one("account.sync.connection", required=True, ondelete="cascade")
    tenant_name = fields.Char(related="connection_id.tenant_name")

    def action_import(self):
        created = self.connection_id.action_import_customers()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Customers imported"),
                "message": _("%s customers imported from %s.", created, self.tenant_name),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_later(self):
        return {"type": "ir.actions.act_window_close"}
