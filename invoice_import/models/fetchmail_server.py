"""A fetchmail server that is a company's supplier invoice inbox, and connection errors anyone can act on.

Odoo's own fetch loop (``mail/models/fetchmail.py``) marks an IMAP mail seen
whether or not it was processed and never retries it, gives a mail without
Message-Id a new one each time it is fetched, and on POP stops for good when
the first 50 mails all fail.  For an inbox where every mail is an invoice,
the loop here replaces it (other servers keep Odoo's loop):

* a mail is removed from the server (POP ``DELE``; IMAP ``\\Deleted`` and
  expunge, or moved to a folder) only after what it became is committed;
* whatever goes wrong with one mail (undecodable, broken MIME, an
  exception while processing) makes it a failed document keeping the mail
  as ``.eml``, and the loop goes on with the next one;
* a mail is known by its Message-Id, else a hash of its content, in
  ``invoice.import.mail``, written in the same transaction: a mail fetched
  again is only removed, never imported twice;
* a mail over the size limit is not downloaded, only reported.

Every server, invoice inbox or not, keeps its last connection error and
its time on the record, with what to do about it.
"""

import logging
import re
from email.utils import formataddr

from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize, html2plaintext

from ..engine import mail_fetch, mailbox
from ..engine.states import FAILED, FORWARDING, IGNORED, IMPORTED, MAIL_FAILED, OVERSIZED

_logger = logging.getLogger(__name__)

MB = 1024 * 1024
ERROR_KINDS = [
    (mailbox.WRONG_SERVER_OR_PORT, "Wrong server name or port"),
    (mailbox.SERVER_NOT_FOUND, "Server cannot be found"),
    (mailbox.WRONG_CREDENTIALS, "Wrong user name or password"),
    (mailbox.PROVIDER_REFUSES, "The provider refuses this kind of access"),
    (mailbox.TLS_PROBLEM, "TLS problem"),
    (mailbox.OTHER, "Other error"),
]


class FetchmailServer(models.Model):
    _inherit = "fetchmail.server"

    invoice_import_inbox = fields.Boolean(
        "Supplier Invoice Inbox",
        help="Every mail of this mailbox is a supplier invoice: each becomes a draft vendor bill (or a failed "
        "import document keeping the mail) and is removed from the server once that is saved.",
    )
    invoice_import_journal_id = fields.Many2one(
        "account.journal",
        "Vendor Bills Journal",
        domain="[('type', '=', 'purchase')]",
        help="The purchase journal the bills are created in; its company is the inbox's company.",
    )
    invoice_import_company_id = fields.Many2one(related="invoice_import_journal_id.company_id", string="Company")
    invoice_import_folder = fields.Char(
        "Move Processed Mail To",
        help="IMAP folder processed mails are moved to. Empty: they are deleted from the server.",
    )
    invoice_import_forward_to = fields.Char(
        "Forward a Copy To", help="An address that receives a copy of each processed mail before it is removed."
    )
    invoice_import_max_size = fields.Integer(
        "Largest Mail (MB)",
        default=25,
        help="A larger mail is not downloaded: it stays in the mailbox and a failed document reports it.",
    )
    last_error = fields.Text("Last Error", readonly=True, copy=False)
    last_error_kind = fields.Selection(ERROR_KINDS, "Last Error Kind", readonly=True, copy=False)
    last_error_date = fields.Datetime("Last Error On", readonly=True, copy=False)

    @api.onchange("invoice_import_inbox")
    def _onchange_invoice_import_inbox(self):
        if self.invoice_import_inbox:
            self.object_id = self.env["ir.model"]._get("account.move")
            if not self.invoice_import_journal_id:
                journals = self.env["account.journal"]
                self.invoice_import_journal_id = journals.search(
                    [*journals._check_company_domain(self.env.company), ("type", "=", "purchase")], limit=1
                )

    @api.constrains("invoice_import_inbox", "invoice_import_journal_id", "invoice_import_max_size")
    def _check_invoice_import_inbox(self):
        for server in self.filtered("invoice_import_inbox"):
            if not server.invoice_import_journal_id:
                raise ValidationError(_("A supplier invoice inbox needs its vendor bills journal."))
            if server.invoice_import_max_size <= 0:
                raise ValidationError(_("The largest mail size must be positive."))

    # ------------------------------------------------------------------
    # Errors on the record
    # ------------------------------------------------------------------

    @api.model
    def _connection_advice(self, kind):
        return {
            mailbox.WRONG_SERVER_OR_PORT: _(
                "The server did not answer on this port. Check the server name and the port "
                "(IMAP: 993 with SSL, 143 without; POP: 995 with SSL, 110 without), and that the server is up."
            ),
            mailbox.SERVER_NOT_FOUND: _(
                "No server of this name exists. Check the spelling of the server name (e.g. imap.example.com)."
            ),
            mailbox.WRONG_CREDENTIALS: _(
                "The server refused the user name or the password. Check both; the user name is often the "
                "whole address."
            ),
            mailbox.PROVIDER_REFUSES: _(
                "The provider refuses this kind of access. Create an app password (Gmail, Outlook, Yahoo, "
                "iCloud) and use it instead of the account password, or switch on IMAP/POP access in the "
                "mailbox's settings."
            ),
            mailbox.TLS_PROBLEM: _(
                "The secure (SSL/TLS) connection failed. Untick SSL/TLS for a server that does not use it, or "
                "use the server's SSL port (IMAP 993, POP 995); check the server's certificate."
            ),
            mailbox.OTHER: _("The connection failed."),
        }[kind]

    def _record_connection_error(self, exc):
        """Write the failure on the record, in words a person can act on; returns that text."""
        self.ensure_one()
        kind = mailbox.classify_connection_error(exc)
        label = dict(self._fields["last_error_kind"]._description_selection(self.env))[kind]
        text = _(
            "%(label)s. %(advice)s\nThe server said: %(detail)s",
            label=label,
            advice=self._connection_advice(kind),
            detail=mailbox.error_text(exc),
        )
        self.write({"last_error": text, "last_error_kind": kind, "last_error_date": fields.Datetime.now()})
        _logger.info("Mail server %s: %s", self.name, text.replace("\n", " "))
        return text

    def _clear_connection_error(self):
        if self.filtered("last_error"):
            self.filtered("last_error").write({"last_error": False, "last_error_kind": False})

    def _close_connection(self, connection):
        try:
            if self._get_connection_type() == "imap":
                connection.logout()
            else:
                connection.quit()
        except Exception:  # noqa: BLE001 - only tidying up after a test
            _logger.debug("closing a test connection failed", exc_info=True)

    def button_confirm_login(self):
        # REPLACES mail: same test (connect and log in), but a failure is explained, kept on the
        # record, and shown as a notification instead of rolling the record back with an error.
        # Returns the notification: a ``{"type": "ir.actions.client", "tag": "display_notification", ...}`` action.
        failures = []
        for server in self:
            try:
                connection = server.connect(allow_archived=True)
            except Exception as exc:  # noqa: BLE001 - every failure is reported
                failures.append(server._record_connection_error(exc))
                continue
            server._close_connection(connection)
            server._clear_connection_error()
            server.write({"state": "done"})
        if not failures:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Connection failed"),
                "message": "\n\n".join(failures),
                "type": "danger",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Fetching
    # ------------------------------------------------------------------

    def fetch_mail(self, raise_exception=True):
        # EXTENDS mail: invoice inboxes get the loop below; the others keep Odoo's, with their
        # connection errors written on the record instead of only in the log.
        for server in self:
            if server.invoice_import_inbox:
                server._invoice_import_fetch(raise_exception)
                continue
            try:
                super(FetchmailServer, server).fetch_mail(raise_exception=True)
            except ValidationError as exc:
                server._record_connection_error(exc.__cause__ or exc)
                if raise_exception:
                    raise
            else:
                server._clear_connection_error()
        return True

    def _invoice_import_commit(self):
        """Make the mail's outcome durable before it leaves the server (a seam for the tests)."""
        self.env.cr.commit()

    def _invoice_import_fetch(self, raise_exception=True):
        self.ensure_one()
        try:
            connection = self.connect()
        except Exception as exc:  # noqa: BLE001 - written on the record, nothing was touched
            text = self._record_connection_error(exc)
            self._invoice_import_commit()
            if raise_exception:
                raise UserError(text) from exc
            return
        imap = self._get_connection_type() == "imap"
        counts = {"done": 0}
        try:
            if imap:
                self._invoice_import_fetch_imap(connection, counts)
            else:
                self._invoice_import_fetch_pop(connection, counts)
        except Exception as exc:  # noqa: BLE001 - the connection broke mid-way; what was committed stays
            self._abandon(connection)
            text = self._record_connection_error(exc)
            self.write({"date": fields.Datetime.now()})
            self._invoice_import_commit()
            if raise_exception:
                raise UserError(text) from exc
            return
        except BaseException:
            # killed: no QUIT, so POP applies none of this session's deletions; the mails
            # committed already are recognised and only removed on the next run
            self._abandon(connection)
            raise
        self._close_connection(connection)
        self._clear_connection_error()
        self.write({"date": fields.Datetime.now()})
        self._invoice_import_commit()
        _logger.info("Supplier invoice inbox %s: %d mail(s) processed", self.name, counts["done"])

    def _abandon(self, connection):
        """Drop the connection without a proper goodbye (POP: without QUIT, hence without deleting)."""
        try:
            if self._get_connection_type() == "imap":
                connection.shutdown()
            else:
                connection.close()
        except Exception:  # noqa: BLE001
            _logger.debug("dropping the connection failed", exc_info=True)

    def _invoice_import_limit(self):
        return self.invoice_import_max_size * MB

    def _invoice_import_fetch_imap(self, connection, counts):
        status, _data = connection.select()
        if status != "OK":
            raise connection.error(f"SELECT INBOX failed: {_data}")
        uidplus = b"UIDPLUS" in (connection.capability()[1][0] or b"").upper()
        _status, data = connection.uid("SEARCH", None, "UNDELETED")
        for uid in (data[0] or b"").split():
            _status, data = connection.uid("FETCH", uid, "(RFC822.SIZE BODY.PEEK[HEADER])")
            size, header = mail_fetch.imap_size_and_header(data)
            if size > self._invoice_import_limit():
                self._invoice_import_oversized(header, size)
                continue
            _status, data = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in data if isinstance(part, tuple)), None)
            if raw is None:
                continue  # expunged meanwhile by another client
            self._invoice_import_take(raw)
            if self.invoice_import_folder:
                status, answer = connection.uid("MOVE", uid, mail_fetch.imap_quote(self.invoice_import_folder))
                if status != "OK":
                    raise connection.error(f"moving to {self.invoice_import_folder} failed: {answer}")
            else:
                connection.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
                if uidplus:
                    connection.uid("EXPUNGE", uid)
                else:
                    connection.expunge()
            counts["done"] += 1
        connection.close()

    def _invoice_import_fetch_pop(self, connection, counts):
        # Every mail of the mailbox in one session: a failing mail becomes a failed document and
        # is deleted like the others, so no number of them can block the ones behind.
        _resp, listing, _octets = connection.list()
        for line in listing:
            num, size = (int(value) for value in line.split()[:2])
            if size > self._invoice_import_limit():
                _resp, lines, _octets = connection.top(num, 0)
                self._invoice_import_oversized(b"\r\n".join(lines), size)
                continue
            _resp, lines, _octets = connection.retr(num)
            self._invoice_import_take(b"\r\n".join(lines))
            connection.dele(num)
            counts["done"] += 1

    # ------------------------------------------------------------------
    # One mail
    # ------------------------------------------------------------------

    def _invoice_import_seen(self, key):
        company = self.invoice_import_journal_id.company_id
        return (
            self.env["invoice.import.mail"]
            .sudo()
            .search([("company_id", "=", company.id), ("message_key", "=", key)], limit=1)
        )

    def _invoice_import_take(self, raw):
        """Turn one mail into a bill or a failed document, and commit; a second copy only goes."""
        key = mailbox.message_key(raw)
        seen = self._invoice_import_seen(key)
        if seen:
            self._invoice_import_check_reuse(raw, key, seen)
            return
        try:
            with self.env.cr.savepoint():
                record = self._invoice_import_process(raw, key)
        except Exception as exc:  # noqa: BLE001 - the mail must not block the others nor be lost
            _logger.warning("Supplier invoice inbox %s: a mail could not be processed: %r", self.name, exc)
            _logger.debug("the mail's processing failed", exc_info=True)
            with self.env.cr.savepoint():
                record = self._invoice_import_failed(
                    raw, key, "mail_error", _("The mail could not be processed: %s", exc or type(exc).__name__)
                )
        forward = self._invoice_import_forward(raw, record)
        self._invoice_import_commit()
        if forward:
            forward.send(raise_exception=False)

    def _invoice_import_check_reuse(self, raw, key, seen):
        """A mail with the Message-Id of one already taken but other files: a failed document keeping it.

        Removing it from the server like a second copy would lose its files without a word."""
        digest = mail_fetch.files_digest(raw)
        if not key.startswith("mid:") or not digest or not seen.files_digest or digest == seen.files_digest:
            return
        reuse_key = f"reused:{digest[:16]}:{key}"
        if self._invoice_import_seen(reuse_key):
            return
        message = _(
            "This mail has the Message-Id %(id)s of a mail received before (%(subject)s) but other files: it was "
            "not imported. Check it and ask the sender to send it again as a new mail if it is another invoice.",
            id=key[4:],
            subject=seen.name or seen.message_key,
        )
        with self.env.cr.savepoint():
            self._invoice_import_failed(raw, reuse_key, "message_id_reused", message)

    def _invoice_import_process(self, raw, key):
        company = self.invoice_import_journal_id.company_id
        message = mailbox.parse_message(raw)
        subject = str(message.get("Subject") or "")
        sender = mailbox.real_sender(mailbox.raw_header(raw, "from"))
        confirmation = mailbox.forwarding_confirmation(sender, subject, _message_text(message))
        Mail = self.env["invoice.import.mail"].sudo()
        values = {
            "name": subject,
            "server_id": self.id,
            "company_id": company.id,
            "message_key": key,
            "files_digest": mailbox.attachments_digest(message),
            "sender_email": sender or False,
            "size": len(raw),
        }
        if confirmation:
            self.invoice_import_journal_id._invoice_import_forwarding_confirmation(confirmation, subject, self.name)
            return Mail.create({**values, "state": FORWARDING})
        created = []
        (
            self.env["mail.thread"]
            .with_company(company)
            .with_context(
                fetchmail_cron_running=True,
                default_fetchmail_server_id=self.id,
                invoice_import_sender=sender or "",
                invoice_import_created_moves=created,
            )
            .message_process(
                "account.move",
                mail_fetch.gateway_bytes(message, key, sender),
                custom_values={
                    "move_type": "in_invoice",
                    "journal_id": self.invoice_import_journal_id.id,
                    "company_id": company.id,
                },
                save_original=self.original,
                strip_attachments=not self.attach,
            )
        )
        # a reply to an existing thread, or a Message-Id Odoo already has, creates no bill
        move = self.env["account.move"].browse(created)
        if not move:
            return Mail.create({**values, "state": IGNORED})
        if not move.invoice_import_document_ids:
            return self._invoice_import_failed(
                raw, key, "no_attachment", _("The mail has no invoice file attached."), move=move, sender=sender
            )
        return Mail.create({**values, "state": IMPORTED, "move_id": move[:1].id})

    def _invoice_import_failed(self, raw, key, code, message, move=None, sender=None, state=MAIL_FAILED):
        """A failed document keeping the mail itself (as .eml), and an activity for the assignees."""
        company = self.invoice_import_journal_id.company_id
        subject = mail_fetch.safe_header(raw, "subject")
        if sender is None:
            sender = mailbox.real_sender(mailbox.raw_header(raw, "from"))
        name = (re.sub(r"[^\w .-]+", "_", subject).strip()[:60] or "mail") + ".eml"
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create({"name": name, "raw": raw, "mimetype": "message/rfc822", "res_model": "invoice.import.document"})
        )
        document = (
            self.env["invoice.import.document"]
            .sudo()
            .create(
                {
                    "company_id": company.id,
                    "state": FAILED,
                    "error_code": code,
                    "error_message": message,
                    "attachment_id": attachment.id,
                    "file_name": name,
                    "sender_email": sender or False,
                    "move_id": move.id if move else False,
                }
            )
        )
        attachment.res_id = document.id
        document._schedule_activities()
        return (
            self.env["invoice.import.mail"]
            .sudo()
            .create(
                {
                    "name": subject,
                    "server_id": self.id,
                    "company_id": company.id,
                    "message_key": key,
                    "files_digest": mail_fetch.files_digest(raw),
                    "sender_email": sender or False,
                    "size": len(raw),
                    "state": state,
                    "document_id": document.id,
                    "move_id": move.id if move else False,
                }
            )
        )

    def _invoice_import_oversized(self, header, size):
        """Reported once, from its headers; the mail itself stays in the mailbox.

        Its own key: once the limit is raised, the same mail is imported, not taken for done.
        """
        key = "oversized:" + mailbox.message_key(header)
        if self._invoice_import_seen(key):
            return
        message = _(
            "This mail is %(size).1f MB, over the limit of %(limit)d MB: it was not downloaded and stays in the "
            "mailbox %(inbox)s. Open it in a mail client, or raise the limit on the inbox.",
            size=size / MB,
            limit=self.invoice_import_max_size,
            inbox=self.name,
        )
        self._invoice_import_failed(header, key, "mail_too_large", message, state=OVERSIZED)
        self._invoice_import_commit()

    def _invoice_import_forward(self, raw, record):
        """The copy of the mail for the *forward to* address, queued with the mail's outcome."""
        address = email_normalize(self.invoice_import_forward_to or "")
        if not address:
            return None
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create({"name": "original.eml", "raw": raw, "mimetype": "message/rfc822", "res_model": "mail.mail"})
        )
        company = self.invoice_import_journal_id.company_id
        return (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": _("Fwd: %s", record.name or ""),
                    "email_from": formataddr((company.name, company.email or self.user or "")),
                    "email_to": address,
                    "body_html": Markup("<p>%s</p>")
                    % _("A copy of a mail received on the supplier invoice inbox %s.", self.name),
                    "attachment_ids": [(4, attachment.id)],
                    "auto_delete": True,
                }
            )
        )


def _message_text(message):
    """The text of a mail's first text part, to look for a confirmation code."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    return html2plaintext(content) if part.get_content_type() == "text/html" else content
