"""The supplier's form says in a sentence what of its bills is posted automatically (``engine/autopost.py``)."""

from odoo import api, fields, models

from ..engine.autopost import Switches, describe_policy


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_import_autopost_policy = fields.Char(
        "Automatic Posting",
        compute="_compute_invoice_import_autopost_policy",
        help="What the supplier's Import invoices automatically, the company's Validate matched bills "
        "automatically and Odoo's Auto-validate bills decide together for this supplier's imported bills.",
    )

    @api.depends("invoice_import_auto", "autopost_bills", "name")
    @api.depends_context("company")
    def _compute_invoice_import_autopost_policy(self):
        company = self.env.company
        for partner in self:
            switches = Switches(
                supplier_auto=bool(partner.invoice_import_auto),
                match_autopost=bool(company.invoice_import_match_autopost),
                odoo_autopost=bool(company.autopost_bills and partner.autopost_bills == "always"),
            )
            name = partner.commercial_partner_id.name or partner.name or self.env._("this supplier")
            partner.invoice_import_autopost_policy = self.env._(describe_policy(switches, name))  # noqa: INT001
