"""Purchase users import and review; managers edit formats; every record stays in its company."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import InvoiceImportCommon, sample_bytes


@tagged("post_install", "-at_install")
class TestSecurity(InvoiceImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.setup_other_company()["company"]
        groups = cls.env.ref("purchase.group_purchase_user") | cls.env.ref("account.group_account_invoice")
        cls.buyer = cls.env["res.users"].create(
            {
                "name": "Bob Buyer",
                "login": "bob.buyer",
                "email": "bob@example.com",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set(groups.ids)],
            }
        )
        cls.purchase_manager = cls.env["res.users"].create(
            {
                "name": "Pam Manager",
                "login": "pam.manager",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set([cls.env.ref("purchase.group_purchase_manager").id])],
            }
        )

    def test_purchase_user_imports_and_reviews(self):
        journal = self.journal.with_user(self.buyer).with_context(default_move_type="in_invoice")
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.buyer)
            .create({"name": "acme.csv", "raw": sample_bytes("acme_invoices.csv")})
        )
        bill = journal._create_document_from_attachment(attachment.ids)
        document = bill.invoice_import_document_id.with_user(self.buyer)
        self.assertEqual(document.state, "ready")
        self.assertEqual(document.create_uid, self.buyer)
        self.assertEqual(document.format_id.name, self.acme_format.name, "a buyer reads formats")
        document.message_post(body="checked")
        bill.with_user(self.buyer).action_post()
        self.assertEqual(bill.state, "posted")

    def test_only_managers_edit_formats_and_senders(self):
        as_buyer = self.acme_format.with_user(self.buyer)
        self.assertTrue(as_buyer.definition)
        with self.assertRaises(AccessError):
            as_buyer.write({"active": False})
        with self.assertRaises(AccessError):
            self.env["invoice.import.sender"].with_user(self.buyer).create(
                {"email": "x@acme.example", "partner_id": self.acme.id}
            )
        document = self.env["invoice.import.document"].create({"file_name": "x.pdf"})
        with self.assertRaises(AccessError):
            document.with_user(self.buyer).unlink()
        managed = self.acme_format.with_user(self.purchase_manager)
        managed.write({"name": "ACME (renamed by purchasing)"})
        self.env["invoice.import.sender"].with_user(self.purchase_manager).create(
            {"email": "x@acme.example", "partner_id": self.acme.id}
        )
        # the accounting manager (the test user) edits formats too
        self.acme_format.write({"name": "ACME (renamed by accounting)"})

    def test_records_of_another_company_are_invisible(self):
        Format = self.env["invoice.import.format"]
        theirs = Format.create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode(), "company_id": self.other_company.id}
        )
        shared = Format.create(
            {"name": "Shared", "definition": sample_bytes("formats/acme_csv.json").decode(), "company_id": False}
        )
        sender = self.env["invoice.import.sender"].create(
            {"email": "@bolt.example", "partner_id": self.acme.id, "company_id": self.other_company.id}
        )
        document = self.env["invoice.import.document"].create(
            {"company_id": self.other_company.id, "file_name": "x.pdf"}
        )
        visible = Format.with_user(self.buyer).search([])
        self.assertIn(shared, visible)
        self.assertIn(self.acme_format, visible)
        self.assertNotIn(theirs, visible)
        self.assertFalse(self.env["invoice.import.sender"].with_user(self.buyer).search([("id", "=", sender.id)]))
        self.assertFalse(self.env["invoice.import.document"].with_user(self.buyer).search([("id", "=", document.id)]))
        with self.assertRaises(AccessError):
            document.with_user(self.buyer).read(["state"])

    def test_auditor_reads_the_import_panel_of_a_bill(self):
        bill = self.upload(("acme_invoices.csv", sample_bytes("acme_invoices.csv")))
        auditor = self.env["res.users"].create(
            {
                "name": "Ada Auditor",
                "login": "ada.auditor",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [Command.set([self.env.ref("account.group_account_readonly").id])],
            }
        )
        values = bill.with_user(auditor).read(["invoice_import_state", "invoice_import_confidence_html"])[0]
        self.assertEqual(values["invoice_import_state"], "ready")
        with self.assertRaises(AccessError):
            bill.invoice_import_document_id.with_user(auditor).write({"warnings": "tampered"})
