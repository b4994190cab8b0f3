from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from .common import InvoiceImportCommon


@tagged("post_install", "-at_install")
class TestInvoiceImportSender(InvoiceImportCommon):
    def test_sender_is_normalised_and_unique_per_company(self):
        Sender = self.env["invoice.import.sender"]
        sender = Sender.create({"email": "  Billing@ACME.example ", "partner_id": self.acme.id})
        self.assertEqual(sender.email, "billing@acme.example")
        self.assertFalse(sender.is_domain)
        other = self.setup_other_company()["company"]
        Sender.create({"email": "billing@acme.example", "partner_id": self.acme.id, "company_id": other.id})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            Sender.create({"email": "BILLING@acme.example", "partner_id": self.partner_a.id})

    def test_sender_must_be_an_address_or_a_domain(self):
        Sender = self.env["invoice.import.sender"]
        self.assertTrue(Sender.create({"email": "@Acme.Example", "partner_id": self.acme.id}).is_domain)
        for wrong in ("acme", "@acme", "bill ing@acme.example"):
            with self.subTest(wrong=wrong), self.assertRaises(ValidationError):
                Sender.create({"email": wrong, "partner_id": self.acme.id})

    def test_exact_address_beats_domain_and_subdomains_match(self):
        Sender = self.env["invoice.import.sender"]
        Sender.create({"email": "@acme.example", "partner_id": self.acme.id})
        Sender.create({"email": "invoices@acme.example", "partner_id": self.partner_a.id})
        find = Sender._find_partner
        self.assertEqual(find("Invoices@acme.example", self.company), (self.partner_a, "address"))
        self.assertEqual(find("ACME Billing <billing@acme.example>", self.company), (self.acme, "domain"))
        self.assertEqual(find("noreply@mail.acme.example", self.company), (self.acme, "domain"))
        self.assertEqual(find("billing@notacme.example", self.company)[1], None)
        other = self.setup_other_company()["company"]
        self.assertEqual(find("invoices@acme.example", other)[1], None)

    def test_senders_are_edited_on_the_supplier(self):
        self.acme.invoice_import_sender_ids = [(0, 0, {"email": "billing@acme.example"})]
        self.assertEqual(self.acme.invoice_import_sender_ids.company_id, self.company)
        self.acme.invoice_import_auto = True
        self.assertEqual(self.acme.invoice_import_inbox, self.journal.alias_email)
