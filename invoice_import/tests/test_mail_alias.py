"""The company's random bills address, the privacy setting, and forwarding confirmations."""

from email.message import EmailMessage

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .mail_common import InvoiceImportMailCommon, invoice_mail, invoice_pdf

GMAIL_CONFIRMATION = b"""\
From: Gmail Team <forwarding-noreply@google.com>
To: invoices@example.test
Subject: (#482915337) Gmail Forwarding Confirmation - Receive Mail from ann@gmail.com
Message-Id: <confirm-1@google.com>
Content-Type: text/plain; charset="UTF-8"

ann@gmail.com has requested to automatically forward mail to your email
address invoices@example.test.
Confirmation code: 482915337

To allow ann@gmail.com to automatically forward mail to your address,
please click the link below to confirm the request:

https://mail-settings.google.com/mail/vf-%5BANGjdJ8%5D-abc
"""


@tagged("post_install", "-at_install")
class TestMailAlias(InvoiceImportMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "bills.example"})
        cls.company.alias_domain_id = domain
        cls.journal.alias_domain_id = domain

    def _mail_to(self, address, number):
        message = EmailMessage()
        message["From"] = "Greenleaf <accounts@greenleaf.example>"
        message["To"] = address
        message["Subject"] = f"Invoice {number}"
        message["Message-Id"] = f"<{number}@greenleaf.example>"
        message.set_content("Invoice attached.")
        message.add_attachment(invoice_pdf(number), maintype="application", subtype="pdf", filename=f"{number}.pdf")
        return message.as_string()

    def test_new_random_address_works_and_the_old_one_stops(self):
        settings = self.env["res.config.settings"].create({})
        settings.action_invoice_import_new_alias()
        first = self.journal.alias_email
        self.assertRegex(first, r"^bills-[a-z0-9]{16}@bills\.example$")
        self.assertEqual(self.env["res.config.settings"].create({}).invoice_import_alias_email, first)
        settings.action_invoice_import_new_alias()
        second = self.journal.alias_email
        self.assertNotEqual(first, second)

        self.env["mail.thread"].message_process(None, self._mail_to(second, "GL-A001"))
        bill = self.bills_of("accounts@greenleaf.example")
        self.assertEqual(bill.ref, "GL-A001")
        self.assertEqual(bill.journal_id, self.journal)
        with self.assertRaises(ValueError):  # no route: Odoo's gateway refuses it
            self.env["mail.thread"].message_process(None, self._mail_to(first, "GL-A002"))
        self.assertFalse(self.env["account.move"].search([("ref", "=", "GL-A002")]))

    def test_privacy_keeps_sender_subject_and_attachments_only(self):
        self.company.invoice_import_mail_privacy = True
        self.dovecot.deliver(invoice_mail("GL-P001"))
        self.imap.fetch_mail()
        bill = self.bills_of("accounts@greenleaf.example")
        self.assertEqual(bill.ref, "GL-P001")
        received = bill.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(received), 1)
        self.assertNotIn("Please find invoice", str(received.body))
        self.assertEqual(received.subject, "Invoice GL-P001")
        self.assertEqual(received.email_from, "accounts@greenleaf.example")
        self.assertIn("GL-P001.pdf", received.attachment_ids.mapped("name"))

    def test_without_privacy_the_body_is_kept(self):
        self.dovecot.deliver(invoice_mail("GL-P002"))
        self.imap.fetch_mail()
        received = self.bills_of("accounts@greenleaf.example").message_ids.filtered(lambda m: m.message_type == "email")
        self.assertIn("Please find invoice GL-P002", str(received.body))

    def test_gmail_forwarding_confirmation_reaches_the_administrators(self):
        admin = self.env.ref("base.user_admin")
        admin.company_ids |= self.company
        self.dovecot.deliver(GMAIL_CONFIRMATION)
        self.pop.fetch_mail()
        self.assertFalse(self.env["invoice.import.document"].search([]).filtered(lambda d: d.state == "failed"))
        self.assertFalse(self.bills_of("forwarding-noreply@google.com"))
        self.assertEqual(self.received().state, "forwarding")
        post = self.journal.message_ids.filtered(lambda m: "482915337" in str(m.body))
        self.assertEqual(len(post), 1)
        self.assertIn(admin.partner_id, post.partner_ids)
        self.assertIn("https://mail-settings.google.com/mail/vf-", str(post.body))
        self.assertEqual(self.inbox_messages(), [])

    def test_forwarding_confirmation_mailed_to_the_address_reaches_the_administrators(self):
        self.env["res.config.settings"].create({}).action_invoice_import_new_alias()
        address = self.journal.alias_email.encode()
        raw = GMAIL_CONFIRMATION.replace(b"To: invoices@example.test", b"To: " + address)
        sent = self.capture_outgoing()
        self.env["mail.thread"].message_process(None, raw)
        self.assertFalse(self.bills_of("forwarding-noreply@google.com"))
        self.assertFalse(self.env["account.move"].search([("journal_id", "=", self.journal.id)]))
        # not bounced back to the provider as a mail without invoice (Odoo's own answer to those)
        self.assertFalse([m for m in sent if "forwarding-noreply@google.com" in m["To"]])
        notes = self.journal.message_ids.filtered(lambda m: m.message_type == "comment" and "482915337" in str(m.body))
        self.assertEqual(len(notes), 1)
        self.assertIn(address.decode(), str(notes.body))

    def test_inbox_and_settings_screens_and_who_sees_credentials(self):
        form = self.env["fetchmail.server"].get_views([(False, "form")])["views"]["form"]["arch"]
        for field in ("invoice_import_inbox", "invoice_import_folder", "invoice_import_forward_to", "last_error"):
            self.assertIn(f'name="{field}"', form)
        settings = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_invoice_import_new_alias", settings)
        self.assertIn('name="invoice_import_mail_privacy"', settings)
        self.assertTrue(self.env["invoice.import.mail"].get_views([(False, "list")]))
        # inbox credentials: system administrators only, as in Odoo; the received mails log is readable
        accountant = self.env["res.users"].create(
            {
                "name": "Ann Accountant",
                "login": "ann.accountant",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("account.group_account_manager").id,
                            self.env.ref("purchase.group_purchase_manager").id,
                        ]
                    )
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.imap.with_user(accountant).read(["password"])
        self.env["invoice.import.mail"].with_user(accountant).search([])
        with self.assertRaises(AccessError):
            self.env["invoice.import.mail"].with_user(accountant).create(
                {"company_id": self.company.id, "message_key": "x", "state": "imported"}
            )
