from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    invoice_import_mail_privacy = fields.Boolean(related="company_id.invoice_import_mail_privacy", readonly=False)
    invoice_import_alias_email = fields.Char(
        "Supplier Invoice Address", compute="_compute_invoice_import_alias_email", readonly=True
    )

    invoice_import_sales_alias_email = fields.Char(
        "Customer Invoice Address", compute="_compute_invoice_import_alias_email", readonly=True
    )

    @api.depends("company_id")
    def _compute_invoice_import_alias_email(self):
        for settings in self:
            company = settings.company_id
            settings.invoice_import_alias_email = company._invoice_import_purchase_journal().alias_email or False
            settings.invoice_import_sales_alias_email = company._invoice_import_sales_journal().alias_email or False

    def action_invoice_import_new_alias(self):
        """Replace the vendor bills journal's address by a new random one (the old one stops working)."""
        return self._invoice_import_new_alias(self.company_id._invoice_import_purchase_journal())

    def action_invoice_import_new_sales_alias(self):
        """Replace the customer invoices journal's address by a new random one (the old one stops working)."""
        return self._invoice_import_new_alias(self.company_id._invoice_import_sales_journal())

    def _invoice_import_new_alias(self, journal):
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_manager"):
            raise UserError(_("Only accounting managers can change the invoice import addresses."))
        if not journal:
            raise UserError(_("This company has no journal for this address."))
        journal._invoice_import_new_alias()
        return {"type": "ir.actions.client", "tag": "reload"}
