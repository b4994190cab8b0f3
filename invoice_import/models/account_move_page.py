"""The bill's *Import* tab shows the page beside the fields too (see invoice_import_document_page.py)."""

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    invoice_import_page_view = fields.Json(related="invoice_import_document_id.page_view", string="On the Page")
    invoice_import_located_count = fields.Integer(related="invoice_import_document_id.located_count")

    def invoice_import_page_images(self):
        """The page images of the file the bill was read from (the import document's), for the page widget."""
        self.ensure_one()
        self.check_access("read")
        document = self.invoice_import_document_id
        return document.invoice_import_page_images() if document else []
