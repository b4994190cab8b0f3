"""A company's tolerance rules for matching supplier invoices to purchase orders.

The arithmetic and the choice of the rule live in ``engine/tolerance.py``;
this model stores the rules and turns them into the engine's dataclasses.
"""

from decimal import Decimal

from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

from ..engine.decimals import to_decimal
from ..engine.tolerance import MODES, SCOPES, ToleranceRule, overlapping

SCOPE_LABELS = {"order_total": "Order total", "line_total": "Line total", "unit_price": "Line unit price"}
MODE_LABELS = {"absolute": "Amount (document currency)", "percent": "Percent of the document value"}


class InvoiceImportToleranceRule(models.Model):
    _name = "invoice.import.tolerance.rule"
    _description = "Purchase Order Matching Tolerance"
    _order = "company_id, scope, sequence, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    scope = fields.Selection([(s, SCOPE_LABELS[s]) for s in SCOPES], required=True, default="unit_price")
    mode = fields.Selection([(m, MODE_LABELS[m]) for m in MODES], required=True, default="absolute")
    min_value = fields.Float("Minimum Document Value", default=0.0, digits="Product Price")
    max_value = fields.Float(
        "Maximum Document Value", digits="Product Price", help="Leave empty (0) for no upper bound."
    )
    value = fields.Float(
        "Tolerance",
        required=True,
        digits="Product Price",
        help="How far the document value may be above or below the ordered value: an amount in the document's "
        "currency, or a percentage (0-100) of the document value.",
    )
    overlap_warning = fields.Char(compute="_compute_overlap_warning")

    @api.depends("scope", "mode", "value", "min_value", "max_value")
    def _compute_name(self):
        for rule in self:
            rule.name = rule._engine_rule().describe() if rule.scope and rule.mode else ""

    @api.model
    def _name_in_words(self):
        """Give every rule its name in words (``engine.tolerance.ToleranceRule.describe``) where the stored one
        differs: a rule stored before names were words keeps its old name until edited. Run on install and
        upgrade (``data/invoice_import_tolerance_rule_data.xml``); returns the rules renamed."""
        rules = self.sudo().with_context(active_test=False).search([])
        renamed = rules.filtered(lambda rule: rule.scope and rule.mode and rule.name != rule._engine_rule().describe())
        for rule in renamed:
            rule.name = rule._engine_rule().describe()
        return renamed

    @api.depends("scope", "min_value", "max_value", "company_id")
    def _compute_overlap_warning(self):
        for rule in self:
            mine = rule._engine_rule()
            others = self.search(
                [("company_id", "=", rule.company_id.id), ("scope", "=", rule.scope), ("id", "!=", rule._origin.id)]
            )
            clashes = [other.name for other in others if overlapping([mine, other._engine_rule()])]
            rule.overlap_warning = (
                _("This range overlaps with: %s. The first rule by sequence applies.", "; ".join(clashes))
                if clashes
                else False
            )

    @api.constrains("mode", "value", "min_value", "max_value", "scope")
    def _check_engine_rule(self):
        for rule in self:
            try:
                ToleranceRule(**rule._engine_values())
            except (ValueError, TypeError) as exc:
                raise ValidationError(_("Invalid tolerance rule: %s", exc)) from exc

    def _engine_values(self):
        """``{scope, mode, value, min_value, max_value, sequence}``: ``ToleranceRule``'s keyword arguments."""
        return {
            "scope": self.scope,
            "mode": self.mode,
            "value": to_decimal(self.value),
            "min_value": to_decimal(self.min_value),
            "max_value": to_decimal(self.max_value) if self.max_value else None,
            "sequence": self.sequence,
        }

    def _engine_rule(self):
        self.ensure_one()
        try:
            return ToleranceRule(**self._engine_values())
        except (ValueError, TypeError):
            return ToleranceRule(self.scope, self.mode, Decimal(0), sequence=self.sequence)

    @api.model
    def _engine_rules(self, company):
        """The company's rules as the engine's ``ToleranceRule``s, in order (a list).

        Every purchase order match reads them, and they change only when a person edits them: they are kept in
        Odoo's registry cache (``ormcache``), which a rule created, changed or deleted clears (every worker's:
        Odoo signals it), as a transaction that did so and failed does.
        """
        return list(self._engine_rules_of(company.id))

    @api.model
    @tools.ormcache("company_id")
    def _engine_rules_of(self, company_id):
        return tuple(rule._engine_rule() for rule in self.sudo().search([("company_id", "=", company_id)]))

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()  # ``_engine_rules``
        return rules

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()  # ``_engine_rules``
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # ``_engine_rules``
        return result
