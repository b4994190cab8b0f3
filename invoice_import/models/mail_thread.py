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

import email
import email.policy
import hashlib
import logging
import xmlrpc.client

from odoo import api, models

from ..engine import mailbox

_logger = logging.getLogger(__name__)

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

    @api.model
    def message_process(
        self, model, message, custom_values=None, save_original=False, strip_attachments=False, thread_id=None
    ):
        # EXTENDS mail: whether the receiving server authenticated the sender (``engine.mailbox``) rides in the
        # context to the import of each file, for the rule that only an authenticated supplier's bill is
        # posted without a person; a mail Odoo drops for its known Message-Id keeps its files if they are new
        if "invoice_import_sender_auth" not in self.env.context:
            verdict = _sender_verdict(self.env, message)
            self = self.with_context(invoice_import_sender_auth=(verdict.status, verdict.reason))
        result = super().message_process(
            model,
            message,
            custom_values=custom_values,
            save_original=save_original,
            strip_attachments=strip_attachments,
            thread_id=thread_id,
        )
        if result is False:  # Odoo's gateway returns False only for a Message-Id it already has
            self._invoice_import_reused_message_id(*_parsed_again(self, message, save_original))
        return result

    @api.model
    def message_parse(self, message, save_original=False):
        # EXTENDS mail: attachment names without control characters (a NUL in one made the database refuse
        # the whole mail, the good files with it); a reused Message-Id with other files is shown
        for part in message.walk() if message.is_multipart() else ():
            filename = part.get_filename()
            if filename and mailbox.clean_filename(filename) != filename:
                clean = mailbox.clean_filename(filename)
                if part.get("Content-Disposition"):
                    part.set_param("filename", clean, header="Content-Disposition")
                if part.get_param("name"):
                    part.set_param("name", clean)
        return super().message_parse(message, save_original=save_original)

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

    @api.model
    def _invoice_import_reused_message_id(self, message, msg_dict):
        """A mail with the Message-Id of a bill's mail but other files: Odoo's gateway drops it as a
        duplicate without a word. Its files go to that bill's chatter (not read) with a note, so the person
        who checks the bill sees them and nothing is lost.

        Called only once the gateway has dropped a mail (``message_process``): a new mail, almost every one,
        pays no query for it beyond the gateway's own look-up of its Message-Id."""
        message_id = msg_dict.get("message_id")
        if not message_id:
            return
        existing = self.env["mail.message"].sudo().search([("message_id", "=", message_id)], limit=1)
        if not existing or existing.model != "account.move" or not existing.res_id:
            return
        if not mailbox.attachments_digest(message):
            return
        files_of_bill = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", existing.model), ("res_id", "=", existing.res_id)])
        )
        known = {attachment.checksum for attachment in existing.attachment_ids | files_of_bill}
        files = [a for a in msg_dict.get("attachments") or [] if a.content]
        new_files = [
            a
            for a in files
            if hashlib.sha1(_as_bytes(a.content)).hexdigest() not in known  # noqa: S324 - Odoo's
        ]
        if not new_files:
            return
        move = self.env["account.move"].sudo().browse(existing.res_id).exists()
        if not move:
            return
        _logger.warning("mail %s reuses the Message-Id of bill %s with other files", message_id, move.id)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": mailbox.clean_filename(a.fname),
                        "raw": _as_bytes(a.content),
                        "res_model": move._name,
                        "res_id": move.id,
                    }
                    for a in new_files
                ]
            )
        )
        move.with_context(no_new_invoice=True).message_post(
            body=self.env._(
                "Another mail arrived with this bill's Message-Id %(id)s but other files (%(files)s): Odoo takes a "
                "mail once, so they were not imported. They are attached here; ask the sender to send them again "
                "in a new mail if they are another invoice.",
                id=message_id,
                files=", ".join(attachments.mapped("name")),
            ),
            attachment_ids=attachments.ids,
        )


def _parsed_again(thread, message, save_original):
    """``(message, msg_dict)`` of a mail the gateway took (bytes, text or XML-RPC binary), parsed as it parses it:
    ``message_process`` keeps neither."""
    if isinstance(message, xmlrpc.client.Binary):
        message = bytes(message.data)
    if isinstance(message, str):
        message = message.encode("utf-8")
    parsed = email.message_from_bytes(message, policy=email.policy.SMTP)
    return parsed, thread.message_parse(parsed, save_original=save_original)


def _as_bytes(content):
    return content.encode("utf-8") if isinstance(content, str) else content


def _sender_verdict(env, message):
    """``mailbox.sender_authentication`` of a mail as the gateway receives it (bytes, text or XML-RPC binary);
    the receiving servers named in ``invoice_import.authserv_ids`` (comma-separated), else the topmost."""
    if isinstance(message, xmlrpc.client.Binary):
        message = bytes(message.data)
    raw = message.encode("utf-8") if isinstance(message, str) else bytes(message or b"")
    sender = mailbox.real_sender(mailbox.raw_header(raw, "from"))
    names = env["ir.config_parameter"].sudo().get_param("invoice_import.authserv_ids") or ""
    results = mailbox.header_values(raw, "authentication-results")
    return mailbox.sender_authentication(results, sender, [name.strip() for name in names.split(",")])
