"""Files Odoo's unwrapping cannot parse still reach the decoders, so none is silently dropped.

``_decode_edi_pdf`` and ``_decode_edi_xml`` return nothing for a PDF or an
XML they cannot parse, and the file then never meets a decoder: a damaged
PDF mailed to the bills alias would leave an empty bill and no trace of
why.  Handed on as a plain binary instead, it reaches the engine, which
names the problem (``corrupt_pdf``, ``invalid_xml``) on a failed import
document.  Only top-level attachments are concerned: an unreadable XML
embedded in a PDF is the engine's business when it reads the PDF.
"""

from odoo import models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _decode_edi_pdf(self, filename, content):
        # EXTENDS account
        return super()._decode_edi_pdf(filename, content) or self._decode_edi_unparsable(filename, content)

    def _decode_edi_xml(self, filename, content):
        # EXTENDS account
        return super()._decode_edi_xml(filename, content) or self._decode_edi_unparsable(filename, content)

    def _decode_edi_unparsable(self, filename, content):
        return self._decode_edi_binary(filename, content) if len(self) == 1 else []
