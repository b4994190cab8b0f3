"""Scans mailed as images reach the decoder instead of being thrown away.

Odoo hands an image to the decoders as a plain *binary*, and its attachment
loop skips and deletes any binary that came by a mail alias whose mimetype
is not an office document (``ALLOWED_MIMETYPES``: signature logos and
marketing pictures).  A supplier's photographed or scanned invoice is an
image, so images get a file type of their own, which that rule does not
touch.  They are recognised by their bytes (``engine.sniff``), not by a
mimetype a mailer may have set to ``application/octet-stream``.  Only the
engine's decoder reads them (bills, and customer invoices of the
receivables import), through the OCR queue.  A logo beside a PDF invoice is not
read: Odoo's loop attaches files of another kind to the bill of the first.
"""

from odoo import api, models

from ..engine.sniff import IMAGE, sniff

# after PDF (10) and XML (20...), before any other binary (100): an image beside a PDF is an extra file
IMAGE_SORT_WEIGHT = 90


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _get_edi_supported_formats(self):
        # EXTENDS account
        formats = super()._get_edi_supported_formats()
        image = {
            "format": "image",
            "check": lambda attachment: sniff(attachment.raw or b"", attachment.name) == IMAGE,
            "decoder": self._decode_edi_image,
        }
        at = next((i for i, f in enumerate(formats) if f.get("format") == "binary"), len(formats))
        return formats[:at] + [image] + formats[at:]

    def _decode_edi_image(self, filename, content):
        return [
            {
                "filename": filename,
                "content": content,
                "attachment": self,
                "sort_weight": IMAGE_SORT_WEIGHT,
                "type": "image",
            }
        ]
