"""QuickBooks references accounts by their Id, while people (and the base's mappings) know them by number.

The chart refresh keeps the Id next to the code, so a mapped account is sent by Id without asking
QuickBooks again at every push.  Tax codes need nothing: their code already is the Id.
"""

from odoo import fields, models


class AccountSyncRemoteAccount(models.Model):
    _inherit = "account.sync.remote.account"

    qbo_id = fields.Char("QuickBooks id", readonly=True)

    def _refresh(self, connection, accounts, taxes):
        result = super()._refresh(connection, accounts, taxes)
        if connection.provider == "qbo":
            ids = {account.code: account.remote_id for account in accounts if account.code}
            for record in self.with_context(active_test=False).search(
                [("connection_id", "=", connection.id), ("kind", "=", "account"), ("code", "in", list(ids))]
            ):
                record.qbo_id = ids[record.code]
        return result
