"""Text files attached to a mail keep their bytes: the engine, not the mail parser, decides their encoding.

Odoo's mail parser decodes every text part to ``str`` and encodes it again
when it stores the attachment; a part that names no charset is declared
UTF-8 first (``_message_parse_extract_payload``).  A supplier's cp1252 CSV
mailed as ``text/csv`` without a charset (or with a wrong one) therefore
reaches the decoders with each accented letter and euro sign replaced by
U+FFFD, and nothing downstream can repair it.  A file's content is the
bytes its sender attached, so the text parts Odoo stores as attachments are
shown to its loop as ``application/octet-stream``, whose content it keeps
as bytes; the engine then reads the encoding as it does for an upload (a
byte-order mark, valid UTF-8, the supplier format's encoding, else
detection).  This applies to every mail, since parsing happens before
routing: an attachment whose charset was right keeps the very bytes it got
before (decoding and encoding again gave them), the stored type still comes
from the file name, and body parts (``text/plain``, ``text/html`` without a
file name or an attachment disposition) are read as before.
"""

from odoo import models

BODY_TYPES = ("text/plain", "text/html")
BINARY = "application/octet-stream"


def is_text_file(part):
    """A text part that Odoo's loop stores as an attachment rather than reading it as the body."""
    if part.is_multipart() or part.get_content_maintype() != "text":
        return False
    disposition = (part.get("Content-Disposition") or "").strip().lower()
    return (
        bool(part.get_filename()) or disposition.startswith("attachment") or part.get_content_type() not in BODY_TYPES
    )


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_parse_extract_payload(self, message, message_dict, save_original=False):
        # EXTENDS mail: text attachments as bytes (see the module docstring).  The original mail is
        # saved here, before the parts' types are changed, and the types are put back afterwards.
        files = [part for part in message.walk() if is_text_file(part)] if message.is_multipart() else []
        if not files:
            return super()._message_parse_extract_payload(message, message_dict, save_original=save_original)
        original = self._Attachment("original_email.eml", message.as_string(), {}) if save_original else None
        types = [part.get("Content-Type") for part in files]
        for part, content_type in zip(files, types, strict=True):
            _type, separator, parameters = str(content_type or "").partition(";")
            if content_type is None:
                part["Content-Type"] = BINARY
            else:
                part.replace_header("Content-Type", BINARY + separator + parameters)
        try:
            payload = super()._message_parse_extract_payload(message, message_dict, save_original=False)
        finally:
            for part, content_type in zip(files, types, strict=True):
                if content_type is None:
                    del part["Content-Type"]
                else:
                    part.replace_header("Content-Type", content_type)
        if original:
            payload["attachments"].insert(0, original)
        return payload
