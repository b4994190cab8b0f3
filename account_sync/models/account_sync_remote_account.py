"""The remote chart of accounts and tax rates as selectable records (refreshed on demand)."""

from odoo import fields, models

# Xero account types and QuickBooks classifications → the categories the mapping fields filter on
CATEGORIES = {
    "revenue": {"REVENUE", "SALES", "OTHERINCOME", "INCOME", "OTHER INCOME"},
    "expense": {"EXPENSE", "DIRECTCOSTS", "OVERHEADS", "DEPRECIATN", "COST OF GOODS SOLD", "OTHER EXPENSE"},
    "bank": {"BANK"},
    "asset": {"CURRENT", "FIXED", "INVENTORY", "NONCURRENT", "PREPAYMENT", "ASSET"},
    "liability": {"CURRLIAB", "LIABILITY", "TERMLIAB", "PAYGLIABILITY", "SUPERANNUATIONLIABILITY", "CREDIT CARD"},
    "equity": {"EQUITY"},
}


def category_of(account_type: str, is_bank: bool = False) -> str:
    if is_bank:
        return "bank"
    upper = (account_type or "").upper()
    return next((name for name, types in CATEGORIES.items() if upper in types), "other")


class AccountSyncRemoteAccount(models.Model):
    _name = "account.sync.remote.account"
    _description = "Remote account or tax rate"
    _order = "kind, code"
    _rec_names_search = ["code", "name"]

    connection_id = fields.Many2one("account.sync.connection", required=True, ondelete="cascade", index=True)
    kind = fields.Selection([("account", "Account"), ("tax", "Tax rate")], required=True)
    code = fields.Char(required=True)
    remote_id = fields.Char("Remote id", readonly=True, help="The ledger's own id, where it differs from the code")
    name = fields.Char(required=True)
    remote_type = fields.Char()
    category = fields.Selection(
        [(c, c.title()) for c in ["revenue", "expense", "bank", "asset", "liability", "equity", "other"]]
    )
    rate = fields.Float()
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_uniq", "unique(connection_id, kind, code)", "Remote codes are unique.")]

    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.code} {record.name}"

    def _refresh(self, connection, accounts, taxes):
        """Upsert by code; what disappeared remotely is archived, so existing mappings stay readable."""
        existing = {
            (r.kind, r.code): r
            for r in self.with_context(active_test=False).search([("connection_id", "=", connection.id)])
        }
        seen = set()
        rows = [
            ("account", a.code, a.name, a.type, category_of(a.type, a.is_bank), 0.0, a.active, a.remote_id)
            for a in accounts
            if a.code
        ]
        rows += [("tax", t.code, t.name, "", False, float(t.rate), t.active, False) for t in taxes if t.code]
        for kind, code, name, remote_type, category, rate, active, remote_id in rows:
            values = {
                "name": name,
                "remote_type": remote_type,
                "category": category,
                "rate": rate,
                "active": active,
                "remote_id": remote_id or False,
            }
            seen.add((kind, code))
            if (kind, code) in existing:
                existing[(kind, code)].write(values)
            else:
                self.create({"connection_id": connection.id, "kind": kind, "code": code, **values})
        for key, record in existing.items():
            if key not in seen:
                record.active = False
