"""Supplier settings for invoice import, per company like Odoo's own purchase properties."""

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_import_format_id = fields.Many2one(
        "invoice.import.format",
        string="Supplier Invoice Format",
        company_dependent=True,
        domain=lambda self: [("company_id", "in", [False, self.env.company.id])],
        help="The CSV column map or PDF template this supplier's files are read with.",
    )
    invoice_import_auto = fields.Boolean(
        string="Import Invoices Automatically",
        company_dependent=True,
        help="Bills from this supplier whose import is ready (every key field read with high confidence, "
        "no warning) and whose supplier was recognised by a mapped sender address or the VAT number "
        "are posted without waiting for a person. Unticked, every imported bill waits in draft for review.",
    )
    invoice_import_sender_ids = fields.One2many(
        "invoice.import.sender",
        "partner_id",
        string="Invoice Senders",
        help="Addresses or @domains this supplier sends its invoices from.",
    )
    invoice_import_inbox = fields.Char(
        string="Invoices Are Received At",
        compute="_compute_invoice_import_inbox",
        help="The address of the vendor bills journal: mail sent there becomes draft bills.",
    )

    @api.depends_context("company")
    def _compute_invoice_import_inbox(self):
        journals = self.env["account.journal"].sudo()
        journal = journals.search(
            [*journals._check_company_domain(self.env.company), ("type", "=", "purchase")], limit=1
        )
        inbox = journal.alias_email
        for partner in self:
            partner.invoice_import_inbox = inbox
