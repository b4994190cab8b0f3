"""Import customer invoices from files, for any customer, by any user who may import them.

The mail address on the sales journal is the main way in and runs as the
mail gateway's superuser.  This is the same path for a file at hand: the
files go through Odoo's journal upload (``_create_document_from_attachment``)
and the engine, as superuser, because the invoice's customer -- and so
whether the user may see it -- is only known once the file is read.  The
user is sent to the import documents, which they may always see.
"""

from odoo import _, fields, models
from odoo.exceptions import UserError


class InvoiceImportUpload(models.TransientModel):
    _name = "invoice.import.upload"
    _description = "Import Customer Invoices from Files"

    attachment_ids = fields.Many2many("ir.attachment", string="Files", required=True)

    def action_import(self):
        self.ensure_one()
        journal = self.env.company._invoice_import_sales_journal()
        if not journal:
            raise UserError(_("This company has no sales journal."))
        files = self.attachment_ids.sudo()
        moves = journal.with_context(default_move_type="out_invoice")._create_document_from_attachment(files.ids)
        documents = self.env["invoice.import.document"].search([("move_id", "in", moves.ids)])
        return {
            "type": "ir.actions.act_window",
            "name": _("Imported Customer Invoices"),
            "res_model": "invoice.import.document",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", documents.ids)],
            "context": {"create": False},
        }
