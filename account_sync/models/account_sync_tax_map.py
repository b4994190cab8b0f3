"""Which remote tax code each Odoo tax goes to, per connection (so per company).

Rows are proposed after *Refresh chart of accounts* (``account_sync.engine.taxes``: equal rates, then
direction and name); a row a user changed is theirs and a later refresh leaves it alone. A tax without a
row, or whose row has no code, goes to the connection's four defaults (sales/purchase, taxed/tax-free).
"""

from decimal import Decimal

from odoo import api, fields, models

from account_sync.engine.records import RemoteTaxRate
from account_sync.engine.taxes import ChildTax, LocalTax, group_rate, propose_all


class AccountSyncTaxMap(models.Model):
    _name = "account.sync.tax.map"
    _description = "Remote tax code per Odoo tax"
    _order = "type_tax_use, amount desc, tax_id"

    connection_id = fields.Many2one("account.sync.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    tax_id = fields.Many2one(
        "account.tax",
        "Odoo tax",
        required=True,
        ondelete="cascade",
        domain="[('company_id', '=', company_id)]",
    )
    type_tax_use = fields.Selection(related="tax_id.type_tax_use", store=True, string="Used on")
    amount = fields.Float(related="tax_id.amount", store=True, string="Rate")
    remote_tax_id = fields.Many2one(
        "account.sync.remote.account",
        "Remote tax code",
        domain="[('connection_id', '=', connection_id), ('kind', '=', 'tax'), ('active', '=', True)]",
        help="Empty: the default tax code of the settings (sales or purchase, taxed or tax-free)",
    )
    origin = fields.Selection(
        [("proposed", "Proposed"), ("user", "Chosen")],
        default="user",
        required=True,
        readonly=True,
        help="Proposed rows follow the chart when it is refreshed; rows a user chose stay as they are",
    )

    _sql_constraints = [("tax_uniq", "unique(connection_id, tax_id)", "One remote tax code per Odoo tax.")]

    def write(self, vals):
        if "remote_tax_id" in vals and not self.env.context.get("account_sync_proposing"):
            vals = {**vals, "origin": "user"}
        return super().write(vals)

    @api.model
    def _propose(self, connection):
        """Rows for the company's taxes after a chart refresh: new taxes and proposed rows get the engine's
        proposal (or none); rows a user chose are kept. Returns how many rows have a code now."""
        taxes = (
            self.env["account.tax"]
            .with_context(active_test=True)
            .search([("company_id", "=", connection.company_id.id), ("type_tax_use", "in", ("sale", "purchase"))])
        )
        remote = connection.remote_account_ids.filtered(lambda r: r.kind == "tax")
        by_code = {r.code: r for r in remote}
        local = [LocalTax(t.id, t.name, rate, t.type_tax_use) for t in taxes if (rate := self._rate(t)) is not None]
        proposals = propose_all(local, [RemoteTaxRate(r.code, r.name, Decimal(str(r.rate))) for r in remote])
        rows = {row.tax_id.id: row for row in self.search([("connection_id", "=", connection.id)])}
        proposing = self.with_context(account_sync_proposing=True)
        for tax in taxes:
            code = by_code.get(proposals.get(tax.id))
            row = rows.get(tax.id)
            if not row:
                proposing.create(
                    {
                        "connection_id": connection.id,
                        "tax_id": tax.id,
                        "remote_tax_id": code.id if code else False,
                        "origin": "proposed",
                    }
                )
            elif row.origin == "proposed" and row.remote_tax_id != code:
                row.with_context(account_sync_proposing=True).remote_tax_id = code
        return len(self.search([("connection_id", "=", connection.id), ("remote_tax_id", "!=", False)]))

    @api.model
    def _rate(self, tax):
        """The percentage ``tax`` charges, a group's being its children's together; None without one (a fixed
        amount, or a group with such a child): such a tax gets no proposal."""
        if tax.amount_type == "group":
            children = tax.children_tax_ids.sorted(lambda child: (child.sequence, child.id))
            return group_rate(
                [ChildTax(Decimal(str(c.amount)), c.amount_type, c.include_base_amount) for c in children]
            )
        return Decimal(str(tax.amount)) if tax.amount_type in ("percent", "division") else None

    def _codes(self):
        """``{Odoo tax id: remote code}`` of the rows that have a code."""
        return {row.tax_id.id: row.remote_tax_id.code for row in self if row.remote_tax_id}
