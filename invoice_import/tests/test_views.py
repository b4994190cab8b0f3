"""The screens a purchase user works in load with the addon's fields, and the settings reach the company."""

from odoo.tests import Form, tagged

from .common import InvoiceImportCommon, sample_bytes


@tagged("post_install", "-at_install")
class TestViews(InvoiceImportCommon):
    def test_bill_form_shows_the_import_panel(self):
        bill = self.upload(("acme_invoices.csv", sample_bytes("acme_invoices.csv")))
        arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"]["arch"]
        for field in ("invoice_import_confidence_html", "invoice_import_warnings", "invoice_import_duplicate_of_id"):
            self.assertIn(f'name="{field}"', arch)
        self.assertIn("action_invoice_import_link_to_existing", arch)
        with Form(bill) as form:
            self.assertEqual(form.invoice_import_state, "ready")
            self.assertIn("Invoice number", form.invoice_import_confidence_html)

    def test_document_views_and_menus(self):
        for view_type in ("list", "form", "search"):
            self.assertTrue(self.env["invoice.import.document"].get_views([(False, view_type)]))
        for xmlid, state in (
            ("invoice_import_document_menu_to_review", "to_review"),
            ("invoice_import_document_menu_failed", "failed"),
            ("invoice_import_document_menu_duplicate", "duplicate"),
        ):
            menu = self.env.ref(f"invoice_import.{xmlid}")
            self.assertEqual(menu.parent_id.parent_id, self.env.ref("purchase.menu_purchase_root"))
            self.assertIn(state, menu.action.domain)
        supplier_form = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="invoice_import_sender_ids"', supplier_form)

    def test_assignees_are_set_in_the_settings(self):
        settings = self.env["res.config.settings"].create({"invoice_import_assignee_ids": [(6, 0, self.user.ids)]})
        settings.execute()
        self.assertEqual(self.company.invoice_import_assignee_ids, self.user)
