"""A bill that waits for a person says so on the bill; one auto-posting rule, said in words and in the chatter."""

from odoo.tests import tagged

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
