"""The screens a purchase user works in load with the addon's fields, and the settings reach the company."""

from odoo.tests import Form, tagged
from odoo.tools import convert_file

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

    def test_empty_lists_say_what_they_are_and_how_to_add_one(self):
        for xmlid, words in (
            ("invoice_import.invoice_import_mail_action", "Incoming Mail Servers"),
            ("invoice_import.invoice_import_tolerance_rule_action", "Click <i>New</i>"),
        ):
            action = self.env.ref(xmlid)
            self.assertIn("o_view_nocontent_smiling_face", action.help)
            self.assertIn(words, action.help)

    def test_a_new_tolerance_rule_is_named_in_words(self):
        with Form(self.env["invoice.import.tolerance.rule"]) as form:
            self.assertEqual(form.name, "Unit price equal to the order")
            form.value = 0.05
            form.max_value = 9.99
        self.assertEqual(form.record.name, "Unit price within ±0.05 of the order, for unit prices up to 9.99")
        form = Form(self.env["invoice.import.tolerance.rule"])
        form.scope, form.mode, form.value, form.min_value = "order_total", "percent", 2.5, 1000
        self.assertEqual(form.save().name, "Order total within ±2.5% of the order, for order totals from 1000")

    def test_rules_stored_with_an_old_name_get_their_name_in_words_on_upgrade(self):
        Rule = self.env["invoice.import.tolerance.rule"]
        rule = Rule.create({"scope": "line_total", "mode": "percent", "value": 2, "min_value": 100})
        current = Rule.create({"scope": "order_total", "mode": "absolute", "value": 1})
        words = "Line total within ±2% of the order, for line totals from 100"
        self.assertEqual(rule.name, words)
        # as an earlier version stored it: the compute only runs again when the rule is edited
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE invoice_import_tolerance_rule SET name = 'line_total percent 2.0 [100.0-]' WHERE id = %s",
            [rule.id],
        )
        rule.invalidate_recordset(["name"])
        self.assertEqual(rule.name, "line_total percent 2.0 [100.0-]")
        # what -u invoice_import loads
        convert_file(self.env, "invoice_import", "data/invoice_import_tolerance_rule_data.xml", {}, mode="update")
        rule.invalidate_recordset(["name"])
        self.assertEqual(rule.name, words)
        self.assertEqual(current.name, "Order total within ±1 of the order")
        self.assertFalse(Rule._name_in_words(), "a name already in words is left alone")
