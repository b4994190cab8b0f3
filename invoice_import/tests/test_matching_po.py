"""Imported bills matched to purchase orders under the company's tolerance rules."""

from odoo.tests import Form, tagged
from odoo.tools.misc import formatLang

from .matching_common import MatchingCommon


@tagged("post_install", "-at_install")
class TestMatchingPurchaseOrders(MatchingCommon):
    def test_lines_are_linked_by_supplier_code_and_billed_quantities_follow(self):
        order = self.purchase([(self.bolts, 12, 8.90), (self.washers, 20, 2.35), (self.wrench, 1, 189.0)])
        bill = self.import_csv(
            "RE-1",
            order.name,
            [
                ("10-2040", "Sechskantschrauben M8", 12, 8.90),
                ("10-3310", "Unterlegscheiben DIN 125", 20, 2.35),
                ("WR-40", "Drehmomentschlüssel", 1, 189.0),
            ],
        )
        document = bill.invoice_import_document_id
        self.assertEqual(document.match_state, "matched", document.match_report)
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
        by_product = {line.product_id: line for line in bill.invoice_line_ids}
        self.assertEqual(by_product[self.bolts].purchase_line_id.product_id, self.bolts)
        self.assertEqual(
            [line["found_by"] for line in document.match_report["lines"]], ["supplier_code"] * 2 + ["internal_ref"]
        )
        # the supplier's own lines stay: name, quantity and price
        self.assertEqual(by_product[self.bolts].name, "[10-2040] Sechskantschrauben M8")
        self.assertEqual(order.order_line.mapped("qty_invoiced"), [12.0, 20.0, 1.0])
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertIn(order.name, bill.invoice_import_match_html)
        self.assertIn("o_invoice_import_match", document.match_report_html)
        # shown as Odoo would: products, quantities, amounts in the bill's currency, rules in words, badges
        html = document.match_report_html
        self.assertIn("Hex bolts M8", html)
        self.assertIn(formatLang(self.env, 8.90, currency_obj=bill.currency_id), html)
        self.assertIn(formatLang(self.env, 12.0, digits=2), html)
        self.assertIn('badge rounded-pill text-bg-success">Within tolerance', html)
        for internal in ("supplier_code", "unit_price", "no rule)", ">pass<", "8.9000", "<td>0</td>"):
            self.assertNotIn(internal, html)
        # the company validates matched bills by hand (default): the bill waits, the assignee is told
        self.assertEqual(bill.state, "draft")
        activity = self.match_activities(bill)
        self.assertEqual(activity.user_id, self.reviewer)
        self.assertIn("Matched to", activity.summary)
        # the activity links the bill and says what to check in one sentence, without pasting the table
        self.assertIn(f'data-oe-model="account.move" data-oe-id="{bill.id}"', activity.note)
        self.assertIn(f"matches {order.name} within tolerance", activity.note)
        self.assertNotIn("<table", activity.note)
        bill.action_post()
        self.assertFalse(self.match_activities(bill))

    def test_distribution_models_apply_to_the_products_the_match_gives(self):
        """The match gives the bill lines their products; Odoo's analytic distribution models then apply to each
        line as without this addon: the import asks once whether the company has any model, and only then, per
        product, which apply (``account_move_line_memo``)."""
        order = self.purchase([(self.bolts, 12, 8.90), (self.washers, 20, 2.35)])
        # made after the order, so that its lines carry no distribution and the bill's lines compute their own
        plan = self.env["account.analytic.plan"].create({"name": "Workshop"})
        fasteners = self.env["account.analytic.account"].create({"name": "Fasteners", "plan_id": plan.id})
        self.env["account.analytic.distribution.model"].create(
            {
                "product_id": self.bolts.id,
                "analytic_distribution": {str(fasteners.id): 100},
                "company_id": self.company.id,
            }
        )
        self.assertFalse(any(order.order_line.mapped("analytic_distribution")))
        bill = self.import_csv(
            "RE-AN-1",
            order.name,
            [("10-2040", "Schrauben", 12, 8.90), ("10-3310", "Scheiben", 20, 2.35)],
        )
        self.assertEqual(bill.invoice_import_match_state, "matched")
        by_product = {line.product_id: line for line in bill.invoice_line_ids}
        self.assertEqual(by_product[self.bolts].analytic_distribution, {str(fasteners.id): 100})
        self.assertFalse(by_product[self.washers].analytic_distribution)

    def test_matched_bill_is_posted_when_the_company_says_so(self):
        self.company.invoice_import_match_autopost = True
        order = self.purchase([(self.bolts, 12, 8.90)])
        bill = self.import_csv("RE-2", order.name, [("10-2040", "Schrauben", 12, 8.90)])
        self.assertEqual(bill.invoice_import_match_state, "matched")
        self.assertEqual(bill.state, "posted")
        self.assertFalse(self.match_activities(bill))

    def test_unknown_sender_never_gets_a_matched_bill_posted(self):
        self.company.invoice_import_match_autopost = True
        order = self.purchase([(self.bolts, 12, 8.90)])
        bill = self.import_csv("RE-3", order.name, [("10-2040", "Schrauben", 12, 8.90)], sender="x@elsewhere.example")
        self.assertEqual(bill.invoice_import_document_id.partner_match, "vat")
        self.assertEqual(bill.invoice_import_match_state, "matched")
        self.assertEqual(bill.state, "draft")
        self.assertTrue(self.match_activities(bill))

    def test_partial_receipt_is_not_a_full_match_and_waits(self):
        self.company.invoice_import_match_autopost = True
        order = self.purchase([(self.bolts, 2, 8.90)], received=[1])
        bill = self.import_csv("RE-4", order.name, [("10-2040", "Schrauben", 2, 8.90)])
        document = bill.invoice_import_document_id
        self.assertEqual(document.match_state, "waiting")
        self.assertEqual(document.state, "to_review")
        self.assertTrue(document.match_hold, "only the match holds the bill: it was read surely")
        line = document.match_report["lines"][0]
        self.assertEqual((line["quantity_billable"], line["passed"]), ("1.0", False))
        self.assertIn("exceeds what is received", line["reasons"][0])
        self.assertEqual(bill.state, "draft")
        self.assertIn("Waiting", self.match_activities(bill).summary)
        # the bill is still linked: the PO knows it is billed
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
        # the second unit arrives: the bill is matched again at once, and posted
        order.order_line.qty_received = 2
        self.assertEqual(document.match_state, "matched")
        self.assertEqual(document.state, "ready")
        self.assertFalse(document.match_hold)
        self.assertEqual(bill.state, "posted")

    def test_ordered_quantity_policy_bills_before_receipt(self):
        order = self.purchase([(self.service, 1, 450.0)], received=False)
        bill = self.import_csv("RE-5", order.name, [("SV-1", "Vermessung", 1, 450.0)])
        self.assertEqual(bill.invoice_import_match_state, "matched")

    def test_several_purchase_orders_in_one_invoice(self):
        first = self.purchase([(self.bolts, 12, 8.90)])
        second = self.purchase([(self.washers, 20, 2.35)], ref="ACME-AB-77")
        bill = self.import_csv(
            "RE-6", first.name, [("10-2040", "Schrauben", 12, 8.90), ("10-3310", "Scheiben", 20, 2.35)]
        )
        document = bill.invoice_import_document_id
        self.assertEqual(document.match_state, "matched")
        self.assertEqual(sorted(document.match_report["orders"]), sorted([first.name, second.name]))
        self.assertEqual(bill.invoice_line_ids.purchase_line_id.order_id, first | second)
        # found by the supplier's own order reference too
        third = self.purchase([(self.bolts, 5, 8.90)], ref="ACME-AB-78")
        bill = self.import_csv("RE-7", "ACME-AB-78", [("10-2040", "Schrauben", 5, 8.90)])
        self.assertEqual(bill.invoice_line_ids.purchase_line_id.order_id, third)

    def test_price_within_and_outside_tolerance(self):
        self.rule("unit_price", "absolute", 0.05, 0.0, 9.99, sequence=1)
        self.rule("unit_price", "percent", 1.0, 10.0, 0.0, sequence=2)
        self.rule("line_total", "percent", 1.0, sequence=3)
        self.rule("order_total", "percent", 1.0, sequence=4)
        cases = [
            # (ordered price, invoiced price, matched)
            (7.51, 7.56, True),  # the worked example, document above the order
            (7.61, 7.56, True),  # document below the order
            (7.50, 7.56, False),
            (7.62, 7.56, False),
            (198.0, 200.0, True),  # 1 % of 200 in the range from 10 up
            (197.99, 200.0, False),
        ]
        for i, (ordered, invoiced, matched) in enumerate(cases):
            with self.subTest(ordered=ordered, invoiced=invoiced):
                order = self.purchase([(self.bolts, 1, ordered)])
                bill = self.import_csv(f"RE-P{i}", order.name, [("10-2040", "Schrauben", 1, invoiced)])
                document = bill.invoice_import_document_id
                self.assertEqual(document.match_state, "matched" if matched else "exception", document.match_report)
                self.assertEqual(bill.invoice_line_ids.price_unit, invoiced, "the supplier's price stays")
                self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
                if not matched:
                    self.assertIn("Outside tolerance", document.match_report_html)
                    self.assertIn("differs from the order by more than the rule allows", document.match_report_html)

    def test_without_rules_prices_must_be_exact(self):
        order = self.purchase([(self.bolts, 1, 7.51)])
        bill = self.import_csv("RE-X", order.name, [("10-2040", "Schrauben", 1, 7.52)])
        self.assertEqual(bill.invoice_import_match_state, "exception")
        self.assertIn("Outside the matching tolerance", self.match_activities(bill).summary)

    def test_line_total_and_order_total_scopes_in_absolute_mode(self):
        self.rule("unit_price", "absolute", 1.0)
        self.rule("line_total", "absolute", 0.5)
        order = self.purchase([(self.bolts, 10, 8.90), (self.washers, 10, 2.35)])
        # +0.04 a unit on 10: line total +0.40 passes the line rule; no order total rule: the sum must be exact
        bill = self.import_csv("RE-T1", order.name, [("10-2040", "S", 10, 8.94), ("10-3310", "W", 10, 2.35)])
        report = bill.invoice_import_document_id.match_report
        self.assertTrue(all(line["passed"] for line in report["lines"]))
        self.assertFalse(report["order_total"]["passed"])
        self.assertEqual(bill.invoice_import_match_state, "exception")
        self.rule("order_total", "absolute", 0.5)
        bill._invoice_import_match()
        self.assertEqual(bill.invoice_import_match_state, "matched")
        # +0.06 a unit: line total +0.60 fails the line rule though the unit price passes
        order = self.purchase([(self.bolts, 10, 8.90)])
        bill = self.import_csv("RE-T2", order.name, [("10-2040", "S", 10, 8.96)])
        line = bill.invoice_import_document_id.match_report["lines"][0]
        self.assertIn("line total", line["reasons"][0])

    def test_unknown_products_match_nothing(self):
        order = self.purchase([(self.bolts, 12, 8.90)])
        bill = self.import_csv(
            "RE-U", order.name, [("10-2040", "Schrauben", 12, 8.90), ("99-9999", "Ganz etwas anderes", 1, 42.0)]
        )
        document = bill.invoice_import_document_id
        self.assertEqual(document.match_state, "waiting")
        self.assertEqual(document.match_report["unmatched"], [1])
        unknown = bill.invoice_line_ids.filtered(lambda line: "99-9999" in line.name)
        self.assertFalse(unknown.purchase_line_id)

    def test_supplier_without_purchase_orders_is_left_alone(self):
        bill = self.import_csv("RE-N", None, [("10-2040", "Schrauben", 12, 8.90)])
        self.assertEqual(bill.partner_id, self.acme)
        # ACME has no PO at all here: no match is expected, the import keeps its own state
        self.assertFalse(bill.invoice_import_match_state)
        self.assertEqual(bill.invoice_import_document_id.state, "ready")

    def test_overlapping_rules_are_flagged_in_the_form(self):
        self.rule("unit_price", "absolute", 0.05, 0.0, 9.99)
        with Form(self.env["invoice.import.tolerance.rule"]) as form:
            form.scope = "unit_price"
            form.mode = "percent"
            form.value = 2.0
            form.min_value = 5.0
            self.assertIn("overlaps", form.overlap_warning)
            form.min_value = 10.0
            self.assertFalse(form.overlap_warning)

    def test_bad_rule_is_refused(self):
        from odoo.exceptions import ValidationError

        with self.assertRaises(ValidationError):
            self.rule("unit_price", "percent", 150.0)
