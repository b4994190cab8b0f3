"""What each sync run did, so an administrator can see why something did not arrive."""

from odoo import fields, models


class AccountSyncLog(models.Model):
    _name = "account.sync.log"
    _description = "Accounting sync log"
    _order = "id desc"

    connection_id = fields.Many2one("account.sync.connection", required=True, ondelete="cascade", index=True)
    operation = fields.Char(required=True)
    level = fields.Selection(
        [("info", "Done"), ("retry", "Will retry"), ("error", "Error")], required=True, default="info"
    )
    message = fields.Text()
    model = fields.Char()
    res_id = fields.Integer()
