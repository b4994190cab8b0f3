"""Which local record is which remote record, and in which version it was last pushed.

A binding makes pushes idempotent: the same version is never pushed twice, a new version updates the
remote record instead of creating a second one, and the idempotency key sent with a create is derived
from the record and its version, so a timed-out create that is retried cannot duplicate either.
"""

from odoo import fields, models
from odoo.tools.sql import create_index

from account_sync.engine.states import RETRY_STATES, RecordKind, SyncState

#: the binding's states: every sync state but "none" (a record without binding)
BINDING_STATES = SyncState.selection(exclude=(SyncState.NONE,))
RECORD_STATES = SyncState.selection()


class AccountSyncBinding(models.Model):
    _name = "account.sync.binding"
    _description = "Accounting sync binding"
    _order = "write_date desc"

    connection_id = fields.Many2one("account.sync.connection", required=True, ondelete="cascade", index=True)
    model = fields.Char(required=True, index=True)
    res_id = fields.Integer(required=True, index=True)
    kind = fields.Selection(RecordKind.selection(), required=True)
    remote_id = fields.Char("Remote id", index=True)
    remote_number = fields.Char()
    version = fields.Char(help="Hash of the content last pushed")
    state = fields.Selection(BINDING_STATES, default=SyncState.PENDING.value, required=True)
    origin = fields.Selection(
        [("local", "Pushed from Odoo"), ("remote", "Pulled from the accounting package")], default="local"
    )
    last_error = fields.Text()
    last_sync_at = fields.Datetime()
    record_write_date = fields.Datetime(help="The record's write_date when this version was read and pushed")
    record_gone = fields.Boolean(help="The record was deleted in Odoo; its remote twin is deleted next run")
    # the remote ledger refused the document's number as already used (QuickBooks' 6140): not pushed again
    # until the user binds it to that document (the same one) or accepts the suggested number
    duplicate_remote_id = fields.Char("Remote document with this number")
    duplicate_number = fields.Char("Number already used")
    duplicate_same = fields.Boolean("Same document", help="Same party, date and amount as the remote one")
    duplicate_suggestion = fields.Char("Suggested number")
    number_override = fields.Char("Number sent", help="Pushed under this number instead of the document's own")

    _sql_constraints = [
        ("record_uniq", "unique(connection_id, model, res_id)", "A record is bound once per connection."),
    ]

    def init(self):
        # the sync run's retry list: failures and deleted records only, whatever the number of bindings
        create_index(
            self.env.cr,
            "account_sync_binding_todo_index",
            self._table,
            ["connection_id", "model"],
            where=f"state IN {tuple(state.value for state in RETRY_STATES)} OR record_gone",
        )

    # --- the binder: local record <-> remote id, per connection (as OCA connector's binder) -------------

    def _of(self, connection, records):
        """{record id: binding} for the records that have one."""
        found = self.search(
            [("connection_id", "=", connection.id), ("model", "=", records._name), ("res_id", "in", records.ids)]
        )
        return {b.res_id: b for b in found}

    def _by_remote(self, connection, model, remote_ids=None):
        """{remote id: binding} of ``model``'s records bound to those remote ids (None: to any)."""
        domain = [("connection_id", "=", connection.id), ("model", "=", model), ("remote_id", "!=", False)]
        if remote_ids is not None:
            domain.append(("remote_id", "in", list(remote_ids)))
        return {b.remote_id: b for b in self.search(domain)}

    def to_internal(self, connection, model, remote_id):
        """The ``model`` record bound to ``remote_id`` (an empty recordset when none is, or it is gone)."""
        binding = self._by_remote(connection, model, [remote_id]).get(remote_id) if remote_id else None
        return binding._record() if binding else self.env[model]

    def to_external(self, connection, records):
        """{record id: remote id} of ``records`` that are bound to a remote record."""
        return {res_id: b.remote_id for res_id, b in self._of(connection, records).items() if b.remote_id}

    def bind(self, connection, record, kind, remote_id, **values):
        """Bind ``record`` to ``remote_id`` (synced), creating or updating its binding; returns it."""
        return self._set(connection, record, kind, remote_id=remote_id, state=SyncState.SYNCED, **values)

    def _record(self):
        self.ensure_one()
        return self.env[self.model].browse(self.res_id).exists()

    def action_bind_duplicate(self):
        """The remote document holding the number is this one: bind to it instead of creating another."""
        for binding in self.filtered(lambda b: b.duplicate_remote_id and b.duplicate_same):
            label = binding.duplicate_number
            binding.write(
                {
                    "remote_id": binding.duplicate_remote_id,
                    "remote_number": binding.duplicate_number,
                    "state": SyncState.SYNCED,
                    "last_error": False,
                    **self._no_duplicate(),
                }
            )
            binding.connection_id._log(
                "push", "info", self.env._("Bound to the existing remote document %s", label), binding._record()
            )

    def action_push_renumbered(self):
        """Push under the suggested free number (the next run sends it; Odoo's own number stays)."""
        for binding in self.filtered(lambda b: b.duplicate_remote_id and b.duplicate_suggestion):
            number = binding.duplicate_suggestion
            binding.write(
                {"number_override": number, "state": SyncState.PENDING, "last_error": False, **self._no_duplicate()}
            )
            binding.connection_id._log(
                "push", "info", self.env._("To be pushed as number %s", number), binding._record()
            )

    @staticmethod
    def _no_duplicate():
        return {
            "duplicate_remote_id": False,
            "duplicate_number": False,
            "duplicate_same": False,
            "duplicate_suggestion": False,
        }

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

    def init(self):
        super().init()
        if self._account_sync_track_writes and not self._abstract and self._auto:
            # the sync run picks records written since its last scan: a range on write_date, not a scan
            create_index(self.env.cr, f"{self._table}_write_date_index", self._table, ["write_date"])

    _account_sync_track_writes = False  # documents and payments: a write marks their binding to be read again

    def write(self, vals):
        result = super().write(vals)
        if self._account_sync_track_writes and self.ids:
            # write_date alone misses a change made in the same transaction as the last push (one
            # timestamp per transaction); clearing record_write_date makes the next run read it again
            Binding = self.env["account.sync.binding"]
            Binding.flush_model(["record_write_date"])
            self.env.cr.execute(
                "UPDATE account_sync_binding SET record_write_date = NULL"
                " WHERE model = %s AND res_id IN %s AND record_write_date IS NOT NULL",
                [self._name, tuple(self.ids)],
            )
            Binding.invalidate_model(["record_write_date"])
        return result

    def unlink(self):
        if self.ids:
            bindings = self.env["account.sync.binding"].sudo()
            bindings.search([("model", "=", self._name), ("res_id", "in", self.ids)]).record_gone = True
        return super().unlink()

    account_sync_state = fields.Selection(
        RECORD_STATES,
        string="Sync state",
        compute="_compute_account_sync",
    )
    account_sync_remote_id = fields.Char("Remote id", compute="_compute_account_sync")
    account_sync_remote_number = fields.Char("Remote number", compute="_compute_account_sync")
    account_sync_error = fields.Text("Sync error", compute="_compute_account_sync")
    account_sync_at = fields.Datetime("Last synced", compute="_compute_account_sync")
    account_sync_duplicate = fields.Selection(
        [("same", "The same document is there"), ("other", "Another document has this number")],
        string="Number already used remotely",
        compute="_compute_account_sync",
    )
    account_sync_duplicate_suggestion = fields.Char("Suggested number", compute="_compute_account_sync")

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
            record.account_sync_state = binding.state if binding else SyncState.NONE
            record.account_sync_remote_id = binding.remote_id if binding else False
            record.account_sync_remote_number = binding.remote_number if binding else False
            record.account_sync_error = binding.last_error if binding else False
            record.account_sync_at = binding.last_sync_at if binding else False
            duplicate = binding and binding.duplicate_remote_id
            record.account_sync_duplicate = ("same" if binding.duplicate_same else "other") if duplicate else False
            record.account_sync_duplicate_suggestion = binding.duplicate_suggestion if duplicate else False

    def _account_sync_duplicate_bindings(self):
        return (
            self.env["account.sync.binding"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "in", self.ids), ("duplicate_remote_id", "!=", False)])
        )

    def action_account_sync_bind_duplicate(self):
        self.check_access("write")
        self._account_sync_duplicate_bindings().action_bind_duplicate()

    def action_account_sync_push_renumbered(self):
        self.check_access("write")
        self._account_sync_duplicate_bindings().action_push_renumbered()
