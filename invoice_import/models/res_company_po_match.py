from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    invoice_import_match_autopost = fields.Boolean(
        "Validate Matched Bills Automatically",
        help="An imported bill whose every line matches a purchase order line within the tolerance rules, "
        "from a trusted sender, is posted without a person.",
    )
    invoice_import_tolerance_rule_ids = fields.One2many("invoice.import.tolerance.rule", "company_id")
