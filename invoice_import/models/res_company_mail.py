from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    invoice_import_mail_privacy = fields.Boolean(
        "Keep Only Sender, Subject and Attachments",
        help="Of a mail that brings supplier invoices, the bill keeps the sender, the subject and the "
        "attached files, not the text of the mail.",
    )

    def _invoice_import_purchase_journal(self):
        """The company's vendor bills journal: the one its address and its inboxes feed."""
        return self._invoice_import_journal("purchase")

    def _invoice_import_sales_journal(self):
        """The company's customer invoices journal: the one the receivables address feeds."""
        return self._invoice_import_journal("sale")

    def _invoice_import_journal(self, journal_type):
        self.ensure_one()
        journals = self.env["account.journal"].sudo()
        return journals.search([*journals._check_company_domain(self), ("type", "=", journal_type)], limit=1)
