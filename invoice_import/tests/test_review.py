"""A bill that waits for a person says so on the bill; one auto-posting rule, said in words and in the chatter."""

import re

from odoo.tests import tagged

from .common import GREENLEAF_LINES, text_pdf
from .matching_common import MatchingCommon


@tagged("post_install", "-at_install")
class TestReview(MatchingCommon):
    def _to_review(self):
        return self.env["account.move"].search(
            [("move_type", "=", "in_invoice"), ("invoice_import_document_id.waits_for_person", "=", True)]
        )

    def test_matched_bill_waiting_for_confirmation_shows_it_on_the_bill(self):
        order = self.purchase([(self.bolts, 12, 8.90)])
        bill = self.import_csv("RE-W1", order.name, [("10-2040", "Schrauben", 12, 8.90)])
        document = bill.invoice_import_document_id
        self.assertEqual((bill.state, document.state, document.match_state), ("draft", "ready", "matched"))
        # the state says why it waits, and why nothing posted it
        self.assertEqual(
            document.review_reason,
            f"Waiting for confirmation: matched to {order.name}. Not posted automatically: neither the supplier's "
            "Import invoices automatically nor Validate matched bills automatically is on.",
        )
        self.assertEqual(bill.invoice_import_review_reason, document.review_reason)
        # the activity is on the bill, where people look; none is left on the import record
        activity = self.review_activities(document)
        self.assertEqual(
            (activity.res_model, activity.res_id, activity.user_id), ("account.move", bill.id, self.reviewer)
        )
        self.assertFalse(document.activity_ids)
        # the vendor bills' To Review filter and Documents to Review list it
        self.assertIn(bill, self._to_review())
        action = self.env.ref("invoice_import.invoice_import_document_action_to_review")
        self.assertIn(document, self.env["invoice.import.document"].search(eval(action.domain)))  # noqa: S307
        bill.action_post()
        self.assertFalse(self.review_activities(document))
        self.assertFalse(document.waits_for_person)
        self.assertNotIn(bill, self._to_review())
        self.assertFalse(document.review_reason)

    def test_ready_bill_without_an_order_gets_an_activity_to_confirm_it(self):
        bill = self.import_csv("RE-W2", None, [("SV-1", "Vermessung", 1, 250.0)])
        document = bill.invoice_import_document_id
        self.assertEqual((bill.state, document.state, document.match_state), ("draft", "ready", False))
        activity = self.review_activities(document)
        self.assertEqual((activity.res_model, activity.res_id), ("account.move", bill.id))
        self.assertTrue(activity.summary.startswith("Confirm the bill: Waiting for confirmation."), activity.summary)
        self.assertIn(bill, self._to_review())

    def test_bill_to_review_says_what_to_check(self):
        order = self.purchase([(self.bolts, 12, 8.90)], received=[5])
        bill = self.import_csv("RE-W3", order.name, [("10-2040", "Schrauben", 12, 8.90)])
        document = bill.invoice_import_document_id
        self.assertEqual((document.state, document.match_state), ("to_review", "waiting"))
        self.assertEqual(
            document.review_reason,
            f"Waiting for a purchase order or a receipt: a line is not on {order.name} or bills more than was "
            "received.",
        )
        self.assertIn(bill, self._to_review())

    def test_each_rule_says_in_the_chatter_that_it_posted_the_bill(self):
        cases = [
            ("supplier", "the supplier has Import invoices automatically ticked"),
            ("matched", "within tolerance and Validate matched bills automatically is on"),
            ("odoo", "Auto-validate bills is on and the supplier's bills are set to be posted always"),
        ]
        for number, (rule, sentence) in enumerate(cases):
            with self.subTest(rule=rule):
                self.acme.invoice_import_auto = rule == "supplier"
                self.company.invoice_import_match_autopost = rule == "matched"
                self.company.autopost_bills = rule == "odoo"
                self.acme.autopost_bills = "always" if rule == "odoo" else "ask"
                order = self.purchase([(self.bolts, 2, 8.90)])
                bill = self.import_csv(f"RE-P{number}", order.name, [("10-2040", "Schrauben", 2, 8.90)])
                self.assertEqual(bill.state, "posted")
                self.assertIn(sentence, bill.message_ids[0].body)
                self.assertIn("Posted automatically", bill.message_ids[0].body)
                self.assertFalse(self.review_activities(bill.invoice_import_document_id))
                self.assertNotIn(bill, self._to_review())

    def test_settings_and_supplier_say_what_posts_automatically(self):
        self.company.autopost_bills = False
        self.company.invoice_import_match_autopost = False
        self.acme.invoice_import_auto = False
        self.assertEqual(
            self.acme.with_company(self.company).invoice_import_autopost_policy,
            f"Bills from {self.acme.name} wait in draft for a person to confirm them.",
        )
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertIn(
            "and only from a supplier with Import invoices automatically", settings.invoice_import_autopost_policy
        )
        settings.invoice_import_match_autopost = True
        self.assertIn("or matching its purchase orders within tolerance", settings.invoice_import_autopost_policy)
        self.company.invoice_import_match_autopost = True
        self.acme.invalidate_recordset()
        self.assertIn(
            "that match their purchase orders within tolerance are posted automatically",
            self.acme.with_company(self.company).invoice_import_autopost_policy,
        )
        self.acme.invoice_import_auto = True
        self.assertIn(
            "(Import invoices automatically)", self.acme.with_company(self.company).invoice_import_autopost_policy
        )


# Greenleaf's invoice as another supplier would print it: with its VAT number, e-mail and IBAN
NEW_SUPPLIER_LINES = [
    "Fernhill Stationers Ltd",
    "Unit 4, 12 Market Road",
    "Bristol BS1 4DJ",
    "VAT No: GB980780684",
    "accounts@fernhill.example",
    *(line.replace("GL-5531", "FH-N001") for line in GREENLEAF_LINES[2:]),
    "IBAN: GB82 WEST 1234 5698 7654 32",
]


@tagged("post_install", "-at_install")
class TestVendorProposal(MatchingCommon):
    def test_unknown_supplier_is_created_from_the_file_in_one_click(self):
        bill = self.upload(("FH-N001.pdf", text_pdf(NEW_SUPPLIER_LINES)))
        document = bill.invoice_import_document_id
        self.assertFalse(bill.partner_id)
        self.assertEqual(
            (document.read_partner_name, document.read_partner_vat, document.read_partner_iban),
            ("Fernhill Stationers Ltd", "GB980780684", "GB82WEST12345698765432"),
        )
        self.assertEqual(
            bill.invoice_import_read_partner,
            "Fernhill Stationers Ltd, Unit 4, 12 Market Road, Bristol, BS1 4DJ, United Kingdom, VAT GB980780684, "
            "accounts@fernhill.example, IBAN GB82WEST12345698765432",
        )
        self.assertFalse(bill.invoice_import_proposed_partner_id)
        bill.with_context(invoice_import_create=True).action_invoice_import_partner()
        partner = bill.partner_id
        self.assertEqual(
            (partner.name, partner.vat, partner.email, partner.country_id.code, partner.supplier_rank),
            ("Fernhill Stationers Ltd", "GB980780684", "accounts@fernhill.example", "GB", 1),
        )
        self.assertEqual((partner.street, partner.zip, partner.city), ("Unit 4, 12 Market Road", "BS1 4DJ", "Bristol"))
        self.assertEqual(partner.bank_ids.acc_number, "GB82WEST12345698765432")
        self.assertEqual(bill.partner_bank_id, partner.bank_ids, "the Recipient Bank is the IBAN read")
        self.assertEqual((document.partner_id, document.partner_match), (partner, "bill"))
        self.assertNotIn("Supplier", (document.low_confidence_fields or "").split(", "))
        self.assertIn("was created from the file", bill.message_ids[0].body)

    def test_a_similar_partner_is_proposed_before_a_new_one(self):
        similar = self.env["res.partner"].create({"name": "Fernhill Stationers (UK) Ltd", "is_company": True})
        bill = self.upload(
            ("FH-N002.pdf", text_pdf([line.replace("FH-N001", "FH-N002") for line in NEW_SUPPLIER_LINES]))
        )
        self.assertFalse(bill.partner_id, "a similar name is not evidence enough to set it")
        self.assertEqual(
            (bill.invoice_import_proposed_partner_id, bill.invoice_import_proposed_partner_how), (similar, "name")
        )
        bill.action_invoice_import_partner()
        self.assertEqual(bill.partner_id, similar)
        self.assertFalse(bill.invoice_import_proposed_partner_id)


@tagged("post_install", "-at_install")
class TestReviewViews(MatchingCommon):
    def test_documents_have_a_kanban_by_state_and_a_short_list(self):
        Document = self.env["invoice.import.document"]
        kanban = Document.get_views([(False, "kanban")])["views"]["kanban"]["arch"]
        self.assertIn('default_group_by="state"', kanban)
        self.assertIn('name="review_reason"', kanban)
        action = self.env.ref("invoice_import.invoice_import_document_action_to_review")
        self.assertEqual(action.view_mode, "list,kanban,form")
        arch = Document.get_views([(False, "list")])["views"]["list"]["arch"]
        shown = [
            name
            for name, attrs in re.findall(r'<field name="(\w+)"([^>]*)>', arch)
            if 'optional="hide"' not in attrs and "column_invisible" not in attrs
        ]
        self.assertLessEqual(len(shown), 8, shown)
        self.assertIn("review_reason", shown)

    def test_mail_server_error_says_its_kind_once(self):
        arch = self.env["fetchmail.server"].get_views([(False, "form")])["views"]["form"]["arch"]
        banner = arch[arch.index("o_invoice_import_server_error") :]
        banner = banner[: banner.index("</div>\n")] if "</div>\n" in banner else banner
        self.assertNotIn('name="last_error_kind"', banner[: banner.index("last_error_date")])
