"""Attach a file to an existing customer invoice, without reading it.

Dropping a file in an invoice's chatter makes Odoo decode it into the
invoice (``_check_and_decode_attachment``); a signed copy, a delivery note
or the customer's purchase order must just be kept.  The file is attached
and posted with ``no_new_invoice``, which turns Odoo's decoding off.
Whoever may read the invoice may attach a file to it: attaching needs
write access on the invoice, which users of *Receivables import: own
customers* do not have, hence the attachment is created as superuser
after the read check.
"""

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.invoice_import_document import SALE_TYPES


class InvoiceImportAttach(models.TransientModel):
    _name = "invoice.import.attach"
    _description = "Attach a File to a Customer Invoice"

    move_id = fields.Many2one("account.move", "Invoice", required=True, ondelete="cascade")
    file = fields.Binary(required=True)
    file_name = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "account.move" and "move_id" in fields_list:
            values.setdefault("move_id", self.env.context.get("active_id"))
        return values

    def action_attach(self):
        self.ensure_one()
        move = self.move_id
        move.check_access("read")
        if move.move_type not in SALE_TYPES:
            raise UserError(_("Files are attached this way to customer invoices and credit notes only."))
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create({"name": self.file_name, "datas": self.file, "res_model": "account.move", "res_id": move.id})
        )
        move.sudo().with_context(no_new_invoice=True).message_post(
            body=_("%(user)s attached %(file)s.", user=self.env.user.name, file=self.file_name),
            attachment_ids=attachment.ids,
            author_id=self.env.user.partner_id.id,
        )
        return {"type": "ir.actions.act_window_close"}
