"""Which local record is which remote record, and in which version it was last pushed.

A binding makes pushes idempotent: the same version is never pushed twice, a new version updates the
remote record instead of creating a second one, and the idempotency key sent with a create is derived
from the record and its version, so a timed-out create that is retried cannot duplicate either.
"""

from odoo import fields, models


class AccountSyncBinding(models.Model):
    _name = "account.sync.binding"
    _description = "Accounting sync binding"
    _order = "write_date desc"

    connection_id = fields.Many2one("account.sync.connection", required=True, ondelete="cascade", index=True)
    model = fields.Char(required=True, index=True)
    res_id = fields.Integer(required=True, index=True)
    kind = fields.Selection(
        [
            ("contact", "Contact"),
            ("invoice", "Invoice"),
            ("bill", "Bill"),
            ("credit_note", "Credit note"),
            ("payment", "Payment"),
        ],
        required=True,
    )
    remote_id = fields.Char("Remote id", index=True)
    remote_number = fields.Char()
    version = fields.Char(help="Hash of the content last pushed")
    state = fields.Selection(
        [("pending", "Pending"), ("synced", "Synced"), ("error", "Error"), ("voided", "Voided")],
        default="pending",
        required=True,
    )
    origin = fields.Selection(
        [("local", "Pushed from Odoo"), ("remote", "Pulled from the accounting package")], default="local"
    )
    last_error = fields.Text()
    last_sync_at = fields.Datetime()

    _sql_constraints = [
        ("record_uniq", "unique(connection_id, model, res_id)", "A record is bound once per connection."),
    ]

    def _of(self, connection, records):
        """{record id: binding} for the records that have one."""
        found = self.search(
            [("connection_id", "=", connection.id), ("model", "=", records._name), ("res_id", "in", records.ids)]
        )
        return {b.res_id: b for b in found}

    def _record(self):
        self.ensure_one()
        return self.env[self.model].browse(self.res_id).exists()

    def _set(self, connection, record, kind, **values):
        binding = self._of(connection, record).get(record.id)
        values.setdefault("last_sync_at", fields.Datetime.now())
        if binding:
            binding.write(values)
            return binding
        return self.create(
            {"connection_id": connection.id, "model": record._name, "res_id": record.id, "kind": kind, **values}
        )


class AccountSyncBound(models.AbstractModel):
    """What a synced record shows: its sync state, remote id and last error."""

    _name = "account.sync.bound"
    _description = "Record synced with an accounting package"

    account_sync_state = fields.Selection(
        [
            ("none", "Not synced"),
            ("pending", "Pending"),
            ("synced", "Synced"),
            ("error", "Error"),
            ("voided", "Voided"),
        ],
        string="Sync state",
        compute="_compute_account_sync",
    )
    account_sync_remote_id = fields.Char("Remote id", compute="_compute_account_sync")
    account_sync_remote_number = fields.Char("Remote number", compute="_compute_account_sync")
    account_sync_error = fields.Text("Sync error", compute="_compute_account_sync")
    account_sync_at = fields.Datetime("Last synced", compute="_compute_account_sync")

    def _compute_account_sync(self):
        bindings = {}
        if self.ids:
            for binding in (
                self.env["account.sync.binding"]
                .sudo()
                .search([("model", "=", self._name), ("res_id", "in", self.ids)], order="id")
            ):
                bindings[binding.res_id] = binding
        for record in self:
            binding = bindings.get(record.id)
            record.account_sync_state = binding.state if binding else "none"
            record.account_sync_remote_id = binding.remote_id if binding else False
            record.account_sync_remote_number = binding.remote_number if binding else False
            record.account_sync_error = binding.last_error if binding else False
            record.account_sync_at = binding.last_sync_at if binding else False
