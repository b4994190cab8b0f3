"""Vendor bills from supplier files through Odoo's own path, with the engine as the decoder.

Odoo turns every file that reaches a bill -- dropped on the journal
dashboard (``account.journal._create_document_from_attachment``), posted in
the chatter, or mailed to the journal's alias (``message_new``) -- into
``file_data`` dicts (``ir.attachment._unwrap_edi_attachments``) and asks
``_get_edi_decoder`` for a function that fills the bill.  For purchase
documents (vendor bills and refunds) this addon answers with the engine,
for every kind of file: PDF, XML e-invoice, CSV, image, and anything else
(which then fails visibly instead of leaving a silent empty bill).

Odoo's UBL/CII decoder (``account_edi_ubl_cii``, auto-installed) also
recognises XML and Factur-X.  For purchase documents it is put second, on
purpose: only the engine's path gives every bill from a file the same
import record (state, confidence per field, warnings), applies the
supplier's sender mapping, and guards against duplicates -- Odoo's decoder
would make a second bill of an invoice mailed twice.  The engine reads the
same structured data (a Factur-X PDF is read from its embedded XML).  Odoo's
decoder keeps sales documents, and the XML the engine refuses but Odoo
recognises (say, a national UBL flavour): it then fills the bill and the
import record, in *to review*, says so.

Customer invoices and credit notes (the sales journal's address, the
receivables import) take the same path; they are never posted without a
person.

What this file adds to ``account.move``: the import record and its related
fields, the decoder, zips and empty files, automatic posting by the
supplier's rule, and, once a bill is confirmed, the end of its review
(activities closed) and the learning of its supplier's layout (see
``invoice_import_format``), both steps of the import's own loop.  The other
concerns have their own file: mail routing and privacy
(``account_move_mail``), purchase order matching (``account_move_po_match``),
the invoice number lock (``account_move_number_lock``).

``_post`` is overridden here, in ``account_move_po_match`` and in
``account_move_number_lock``; each acts after ``super()`` on its own records
(documents to review here, documents only the match holds an activity on
there, the lock flag), so the result does not depend on the order of the
imports in ``models/__init__.py``.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..engine import archive
from ..engine.sniff import CSV, PDF, XML, sniff
from ..engine.states import QUEUED, READY
from .bill_import import SETTLE_LATER, BillImport
from .invoice_import_document import PURCHASE_TYPES, SALE_TYPES

# the type Odoo's loop routes a file by (its PDF and XML decoders, CSV kept as a text file); images are
# recognised by their bytes (``ir_attachment_image``) and get the type Odoo guesses
UNZIPPED_MIMETYPES = {PDF: "application/pdf", XML: "application/xml", CSV: "text/csv"}


class AccountMove(models.Model):
    _inherit = "account.move"

    invoice_import_document_ids = fields.One2many("invoice.import.document", "move_id", string="Import Documents")
    invoice_import_document_id = fields.Many2one(
        "invoice.import.document",
        compute="_compute_invoice_import_document_id",
        store=True,
        index="btree_not_null",
        string="Import Document",
        help="The import record the bill was filled from (a copy of the file linked later does not replace it).",
    )
    invoice_import_state = fields.Selection(related="invoice_import_document_id.state", string="Import State")
    invoice_import_source = fields.Selection(related="invoice_import_document_id.source", string="Import Source")
    invoice_import_format_id = fields.Many2one(related="invoice_import_document_id.format_id", string="Import Format")
    invoice_import_confidence_html = fields.Html(related="invoice_import_document_id.confidence_html")
    invoice_import_low_confidence = fields.Char(related="invoice_import_document_id.low_confidence_fields")
    invoice_import_warnings = fields.Text(related="invoice_import_document_id.warnings")
    invoice_import_error = fields.Text(related="invoice_import_document_id.error_message")
    invoice_import_duplicate_of_id = fields.Many2one(related="invoice_import_document_id.duplicate_of_move_id")
    invoice_import_duplicate_action = fields.Selection(related="invoice_import_document_id.duplicate_action")

    @api.depends("invoice_import_document_ids.state", "invoice_import_document_ids.duplicate_action")
    def _compute_invoice_import_document_id(self):
        # the record the bill was filled from, not a later copy of the file linked to it
        for move in self:
            documents = move.invoice_import_document_ids.sorted("id", reverse=True)
            move.invoice_import_document_id = documents.filtered(lambda d: not d.duplicate_action)[:1] or documents[:1]

    def write(self, vals):
        # EXTENDS account: Odoo's mail loop sets a decoded bill's attachments to the ones it already has
        # (``_message_post_after_hook``); on a bill with lines that write, changing nothing, would still check
        # the balance and sync the tax and payable lines
        if self._invoice_import_same_attachments(vals):
            return True
        return super().write(vals)

    def _invoice_import_same_attachments(self, vals):
        """Whether ``vals`` only sets the one bill's attachments to exactly the ones it has."""
        if len(self) != 1 or vals.keys() != {"attachment_ids"} or len(vals["attachment_ids"] or ()) != 1:
            return False
        command = vals["attachment_ids"][0]
        if not isinstance(command, (list, tuple)) or len(command) != 3 or command[0] != Command.SET:
            return False
        return set(command[2]) == set(self.attachment_ids.ids)

    def _get_edi_decoder(self, file_data, new=False):
        # EXTENDS account (and account_edi_ubl_cii, which it goes before for purchase documents)
        odoo_decoder = super()._get_edi_decoder(file_data, new=new)
        if self.move_type not in PURCHASE_TYPES + SALE_TYPES:
            return odoo_decoder

        def invoice_import_decoder(invoice, file_data, new=False):
            fallback = odoo_decoder if file_data["type"] == "xml" else None
            return BillImport(invoice, file_data, new).run(odoo_decoder=fallback)

        return invoice_import_decoder

    def _extend_with_attachments(self, attachments, new=False):
        # EXTENDS account: the bills Odoo's loop creates for the second and later files of a
        # mail know nothing of the mail; the sender rides along in the context.
        # Returns Odoo's ``{attachment: the moves it filled}``, a zip mapped to the moves of its files.
        if len(self) == 1 and self.invoice_source_email and not self.env.context.get("invoice_import_sender"):
            self = self.with_context(invoice_import_sender=self.invoice_source_email)
        if len(self) != 1 or self.move_type not in PURCHASE_TYPES + SALE_TYPES:
            return super()._extend_with_attachments(attachments, new=new)
        # Zips and empty files: Odoo's loop would delete them as "rogue binaries" without a trace
        opened = self._invoice_import_open(attachments, new)
        inner = self.env["ir.attachment"].union(*opened.values()) if opened else self.env["ir.attachment"]
        rest = attachments.filtered(lambda a: a not in opened) | inner
        result = super()._extend_with_attachments(rest, new=new) if rest else {}
        result = dict(result or {})
        for original, files in opened.items():  # the zip itself stays with the bills of its files
            moves = self.browse().union(*(result[f] for f in files if result.get(f)))
            result[original] = moves or self
            original.sudo().write({"res_model": self._name, "res_id": (moves or self)[:1].id})
        return result

    def _invoice_import_open(self, attachments, new):
        """``{attachment: its files}`` for the zips (their invoice files, as attachments of their own) and
        the empty files among ``attachments`` (none: a failed document says why, keeping the file)."""
        opened = {}
        for attachment in attachments:
            raw = attachment.raw or b""
            if not raw:
                message = self.env._("The file %s is empty (0 bytes): ask the sender for it again.", attachment.name)
                self._invoice_import_refuse(attachment, new, "empty_file", message)
                opened[attachment] = self.env["ir.attachment"]
            elif archive.is_archive(raw):
                opened[attachment] = self._invoice_import_unzip(attachment, raw, new)
        return opened

    def _invoice_import_unzip(self, attachment, raw, new):
        """The readable files of a zip as attachments of the bill; a refused zip is a failed document."""
        try:
            unpacked = archive.unpack(raw, attachment.name or "archive.zip")
        except archive.ArchiveError as exc:
            self._invoice_import_refuse(attachment, new, exc.code, exc.message)
            return self.env["ir.attachment"]
        if unpacked.left_out:  # in words (engine/archive.py), naming the files as they are inside the zip
            self.message_post(body=archive.describe_left_out(attachment.name or "archive.zip", unpacked.left_out))
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name,
                        "raw": content,
                        **({"mimetype": UNZIPPED_MIMETYPES[kind]} if kind in UNZIPPED_MIMETYPES else {}),
                        "res_model": self._name,
                        "res_id": self.id,
                    }
                    for name, content in unpacked.files
                    for kind in [sniff(content, name)]
                ]
            )
            .with_env(attachment.env)
        )

    def _invoice_import_refuse(self, attachment, new, code, message):
        """A failed import document on this bill keeping ``attachment`` and saying why it was not read."""
        file_data = {"filename": attachment.name, "content": attachment.raw or b"", "attachment": attachment}
        BillImport(self, {**file_data, "type": "binary"}, new)._fail(code, message)

    def _autopost_bill(self):
        # EXTENDS account: an imported bill that needs a look is never posted, not even by
        # Odoo's own per-supplier rule; a ready one of an auto-import supplier is posted.
        self.ensure_one()
        document = self.invoice_import_document_id
        if not document:
            return super()._autopost_bill()
        if document.state != READY:
            return None
        later = self.env.context.get(SETTLE_LATER)
        if later is not None:  # an upload of several files: the journal settles them all in date order
            later.append(self.id)
            return None
        return self._invoice_import_settle()  # Odoo's own rule is one of the rules it reads

    def _check_and_decode_attachment(self, attachments):
        # EXTENDS account: Odoo posts nothing that came by mail; a supplier that asked for
        # automatic import gets the same treatment by mail as by upload.
        # Returns Odoo's ``{attachment: moves}`` unchanged.
        # The bills of the mail post together, oldest invoice first (the extra bills of a CSV are read
        # before the bill Odoo decodes), so that their sequence numbers follow their dates.
        outer = self.env.context.get(SETTLE_LATER)
        later = [] if outer is None else outer
        result = super(AccountMove, self.with_context(**{SETTLE_LATER: later}))._check_and_decode_attachment(
            attachments
        )
        if result and self.env.context.get("from_alias"):
            later += [move.id for moves in result.values() for move in moves if move.id not in later]
        if outer is None:
            self._invoice_import_still_there(later, result).filtered(
                "invoice_import_document_id"
            )._invoice_import_settle_in_order()
        return result

    def _invoice_import_still_there(self, ids, result):
        """The moves of ``ids``, in that order, that still exist after Odoo's loop: a bill a decoder created for
        a file whose decoding then failed went with the loop's savepoint.

        The bills Odoo's loop returns (``result``, ``{attachment: moves}``) were decoded and kept: only the others
        are asked of the database, so that the usual mail, one file and its bill, pays no query for this."""
        kept = {move.id for moves in (result or {}).values() for move in moves}
        unsure = [move_id for move_id in ids if move_id not in kept]
        there = kept | set(self.browse(unsure).exists().ids) if unsure else kept
        return self.browse([move_id for move_id in ids if move_id in there])

    def _invoice_import_wants_post(self):
        """Ready, recognised in a way nobody can forge, and a rule asks for it (``engine/autopost.py``).

        A mapped sender address is trusted; a VAT number read from the file
        only when a person uploaded it: anyone can mail a PDF bearing a
        known supplier's VAT number, and an unknown sender never gets a bill
        posted without a person.
        """
        self.ensure_one()
        return self._invoice_import_autopost().post

    def _invoice_import_trusted_supplier(self):
        """The supplier was recognised by a mapped sender that the receiving server authenticated (SPF, DKIM
        or DMARC; a ``From`` header alone is anyone's to write), or by VAT number in a file a person uploaded."""
        document = self.invoice_import_document_id
        match = document.partner_match
        if match in ("sender", "sender_domain"):
            return document.sender_auth == "pass"
        return match == "vat" and not document.sender_email

    def _invoice_import_post(self):
        """Post, saying which rule posted it; or say on the bill why it could not be (a lock date...)."""
        decision = self._invoice_import_autopost()
        try:
            with self.env.cr.savepoint():
                self.action_post()
        except UserError as exc:
            self.message_post(body=self.env._("This bill could not be posted automatically: %s", exc))
            return None
        self.message_post(body=self.env._(decision.reason))  # noqa: INT001
        return None

    def _post(self, soft=True):
        # EXTENDS account: confirming the bill is the review, nobody needs reminding any more; and a confirmed
        # bill read from a page is what its supplier's layout is learned from
        posted = super()._post(soft=soft)
        posted.invoice_import_document_ids.filtered(lambda d: d.state != QUEUED)._close_activities(
            self.env._("Reviewed: the bill was confirmed.")
        )
        Format = self.env["invoice.import.format"]
        for move in posted.filtered(lambda m: m.move_type in PURCHASE_TYPES and m.invoice_import_document_id):
            Format._learn_from_bill(move)
        return posted

    def action_invoice_import_open_document(self):
        """The form of the bill's import record: an ``ir.actions.act_window`` dict."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "invoice.import.document",
            "res_id": self.invoice_import_document_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_invoice_import_link_to_existing(self):
        self.ensure_one()
        return self.invoice_import_document_id.action_link_to_existing()

    def action_invoice_import_replace_existing(self):
        self.ensure_one()
        return self.invoice_import_document_id.action_replace_existing_document()
