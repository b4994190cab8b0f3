"""What the mail tests share: a private dovecot for the class, inboxes on it, and real mails to deliver."""

import unittest
from email.message import EmailMessage

from .common import GREENLEAF_LINES, InvoiceImportCommon, text_pdf
from .dovecot import Dovecot, unavailable_reason


def invoice_pdf(number):
    """A small text PDF of an invoice numbered ``number`` (each number gives different bytes)."""
    return text_pdf([line.replace("GL-5531", number) for line in GREENLEAF_LINES])


def invoice_mail(number, sender="Greenleaf Accounts <accounts@greenleaf.example>", message_id=True, subject=None):
    """A supplier's mail bringing one PDF invoice, as bytes."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "invoices@example.test"
    message["Subject"] = subject or f"Invoice {number}"
    if message_id:
        message["Message-Id"] = f"<{number}@greenleaf.example>"
    message.set_content(f"Please find invoice {number} attached.")
    message.add_attachment(invoice_pdf(number), maintype="application", subtype="pdf", filename=f"{number}.pdf")
    return message.as_bytes()


# Mails Odoo's own gateway cannot parse (message_parse raises on them).
BAD_CHARSET = (
    b"From: Broken <broken@mailer.example>\nSubject: undecodable charset\nMessage-Id: <charset-%d@mailer.example>\n"
    b'MIME-Version: 1.0\nContent-Type: text/plain; charset="x-no-such-charset"\n\nInvoice \xe9\xff attached\n'
)
BROKEN_MIME = (
    b"From: Broken <broken@mailer.example>\nSubject: broken MIME\nMessage-Id: <mime-%d@mailer.example>\n"
    b"MIME-Version: 1.0\nContent-Type: multipart/mixed\n\n--zz\nContent-Type: text/plain\n\nhello\n--zz--\n"
)


class InvoiceImportMailCommon(InvoiceImportCommon):
    """One dovecot per test class; the mailbox is emptied before each test."""

    @classmethod
    def setUpClass(cls):
        reason = unavailable_reason()
        if reason:
            raise unittest.SkipTest(reason)
        super().setUpClass()
        cls.dovecot = Dovecot().start()
        cls.addClassCleanup(cls.dovecot.cleanup)
        cls.imap = cls._inbox("imap", cls.dovecot.imap_port)
        cls.pop = cls._inbox("pop", cls.dovecot.pop3_port)

    @classmethod
    def _inbox(cls, server_type, port, **values):
        return cls.env["fetchmail.server"].create(
            {
                "name": f"Invoices ({server_type})",
                "server_type": server_type,
                "server": cls.dovecot.host,
                "port": port,
                "is_ssl": False,
                "user": cls.dovecot.user,
                "password": cls.dovecot.password,
                "object_id": cls.env["ir.model"]._get_id("account.move"),
                "invoice_import_inbox": True,
                "invoice_import_journal_id": cls.journal.id,
                "state": "done",
                **values,
            }
        )

    def setUp(self):
        super().setUp()
        self.dovecot.empty()
        self.commits = []

        # A test may not commit its cursor: the commit after each mail becomes a flush, and is
        # recorded with the mailbox's state at that moment.
        def commit(server):
            server.env.flush_all()
            self.commits.append(self.dovecot.messages())

        self.patch(type(self.env["fetchmail.server"]), "_invoice_import_commit", commit)

    def capture_outgoing(self):
        """The mails Odoo sends from now on (still handed to its test-mode mail server), as a list."""
        sent = []
        MailServer = type(self.env["ir.mail_server"])
        original = MailServer.send_email

        def send_email(server, message, *args, **kwargs):
            sent.append(message)
            return original(server, message, *args, **kwargs)

        self.patch(MailServer, "send_email", send_email)
        return sent

    def inbox_messages(self, mailbox="INBOX"):
        return self.dovecot.messages(mailbox)

    def received(self, **domain):
        return self.env["invoice.import.mail"].search([(k, "=", v) for k, v in domain.items()], order="id")

    def bills_of(self, sender):
        return self.env["account.move"].search([("invoice_source_email", "=", sender)], order="id")

    def failed_documents(self):
        return self.env["invoice.import.document"].search(
            [("state", "=", "failed"), ("error_code", "in", ("mail_error", "no_attachment", "mail_too_large"))],
            order="id",
        )
