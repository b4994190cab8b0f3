from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    invoice_import_match_autopost = fields.Boolean(related="company_id.invoice_import_match_autopost", readonly=False)

    def action_invoice_import_tolerance_rules(self):
        return self.env["ir.actions.act_window"]._for_xml_id("invoice_import.invoice_import_tolerance_rule_action")
