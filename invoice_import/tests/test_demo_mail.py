"""The demo, end to end: the sample mails of ``samples/mail/`` become bills matched to the demo purchase orders.

Needs a database with invoice_import's demo data, which the ordinary Odoo
tier does not load (``--without-demo=all``): the class is outside the
``standard`` tag and ``tests/odoo_demo_smoke.sh`` installs the addon with
its demo data on a new database and selects the ``invoice_import_demo`` tag.
Elsewhere it is skipped, saying why.  The mails go through
``mail.thread.message_process`` as the administrator, which is what Odoo's
``odoo-mailgate.py`` (``./run.sh send-sample-mail``) calls over XML-RPC.
"""

import unittest

from odoo.tests import TransactionCase, tagged

from .common import SAMPLES, sample_bytes

ACME_LINES = {
    "RE-2024-0117": [
        ("[10-2040] Sechskantschrauben M8 × 40, verzinkt (100 Stk.)", 12, 8.90, 0, 106.80),
        ("[10-3310] Unterlegscheiben DIN 125 Ø 8,4 mm", 20, 2.35, 0, 47.00),
        ("[77-0001] Drehmomentschlüssel 40–200 Nm", 1, 189.00, 10, 170.10),
    ],
    "RE-2024-0118": [
        ("[55-1200] Schweißdraht SG2 Ø 1,0 mm, Spule 15 kg", 4, 1249.50, 0, 4998.00),
        ("[99-0001] Frachtkosten Spedition", 1, 45.00, 0, 45.00),
    ],
}


@tagged("post_install", "-at_install", "-standard", "invoice_import_demo")
class TestDemoMail(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("invoice_import.demo_partner_acme", raise_if_not_found=False):
            raise unittest.SkipTest("invoice_import's demo data is not loaded (tests/odoo_demo_smoke.sh loads it)")
        cls.admin = cls.env.ref("base.user_admin")
        cls.acme = cls.env.ref("invoice_import.demo_partner_acme")
        cls.bolt = cls.env.ref("invoice_import.demo_partner_bolt")
        cls.journal = cls.env.ref("base.main_company")._invoice_import_purchase_journal()

    def deliver(self, eml):
        """The sample mail through Odoo's gateway, as odoo-mailgate.py hands it over for the administrator."""
        self.env["mail.thread"].with_user(self.admin).message_process(False, (SAMPLES / "mail" / eml).read_bytes())

    def bills(self, partner):
        return self.env["account.move"].search([("partner_id", "=", partner.id), ("move_type", "=", "in_invoice")])

    def assert_lines(self, bill, expected):
        lines = bill.invoice_line_ids.sorted("sequence")
        self.assertEqual(
            [
                (
                    line.name,
                    *(round(v, 2) for v in (line.quantity, line.price_unit, line.discount, line.price_subtotal)),
                )
                for line in lines
            ],
            expected,
        )

    def assert_totals(self, bill, untaxed, tax, total):
        amounts = (bill.amount_untaxed, bill.amount_tax, bill.amount_total)
        for value, expected in zip(amounts, (untaxed, tax, total), strict=True):
            self.assertAlmostEqual(value, expected, places=2)

    def test_demo_bills_address_and_samples(self):
        self.assertEqual(self.journal.alias_email, "bills-demo@yourcompany.example")
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", (self.acme | self.bolt).ids)]
        )
        self.assertEqual(
            {attachment.name: attachment.raw for attachment in attachments},
            {
                "acme_invoices.csv": sample_bytes("acme_invoices.csv"),
                "bolt_supplies_invoice.pdf": sample_bytes("bolt_supplies_invoice.pdf"),
            },
        )

    def test_acme_csv_mail_gives_two_posted_bills_matched_to_their_orders(self):
        self.assertFalse(self.bills(self.acme))
        self.deliver("acme_invoices.eml")

        bills = self.bills(self.acme).sorted("ref")
        self.assertEqual(bills.mapped("ref"), ["RE-2024-0117", "RE-2024-0118"])
        self.assertEqual(len(bills.create_uid), 1, "both bills of the mail are created by the same user")
        # 0117 (5 March) is the bill Odoo decodes, 0118 (6 March) the CSV's extra bill: numbered by date
        self.assertEqual(bills.mapped("invoice_date"), sorted(bills.mapped("invoice_date")))
        self.assertEqual(bills[1].sequence_number, bills[0].sequence_number + 1, bills.mapped("name"))
        for bill in bills:  # the chatter names the rule that posted it
            self.assertIn("Import invoices automatically", "".join(bill.message_ids.mapped("body")))
        for bill, order_xmlid, totals in zip(
            bills,
            ("invoice_import.demo_po_acme_4711", "invoice_import.demo_po_acme_4712"),
            ((323.90, 61.54, 385.44), (5043.00, 958.17, 6001.17)),
            strict=True,
        ):
            order = self.env.ref(order_xmlid)
            document = bill.invoice_import_document_id
            self.assertEqual(bill.currency_id.name, "EUR")
            self.assertEqual(bill.invoice_source_email, "rechnungen@acme.example")
            self.assertEqual(bill.invoice_origin, order.name)
            self.assert_totals(bill, *totals)
            self.assert_lines(bill, ACME_LINES[bill.ref])
            self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
            self.assertEqual(
                (document.state, document.partner_match, document.format_id),
                ("ready", "sender", self.env.ref("invoice_import.demo_format_acme_csv")),
            )
            self.assertEqual(document.match_state, "matched", document.match_report)
            # ACME imports automatically: a matched bill from its mapped sender is posted
            self.assertEqual(bill.state, "posted")
            self.assertEqual(order.invoice_status, "invoiced")
            self.assertEqual(order.order_line.mapped("qty_invoiced"), order.order_line.mapped("product_qty"))
        # the CSV came as text/csv without charset, in cp1252: kept as sent
        self.assertEqual(bills[0].invoice_import_document_id.attachment_id.raw, sample_bytes("acme_invoices.csv"))

    def test_bolt_pdf_mail_gives_a_matched_bill_waiting_for_review(self):
        self.deliver("bolt_supplies_invoice.eml")

        bill = self.bills(self.bolt)
        self.assertEqual(len(bill), 1)
        order = self.env.ref("invoice_import.demo_po_bolt_88123")
        document = bill.invoice_import_document_id
        self.assertEqual((bill.ref, bill.invoice_origin, bill.currency_id.name), ("BS-2024-00417", "PO-88123", "GBP"))
        self.assertEqual(str(bill.invoice_date), "2024-03-12")
        self.assertEqual(str(bill.invoice_date_due), "2024-04-11")
        self.assert_totals(bill, 2033.20, 406.64, 2439.84)
        self.assertEqual(len(bill.invoice_line_ids), 18)
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
        first = bill.invoice_line_ids.sorted("sequence")[0]
        self.assertEqual(
            (first.name, first.quantity, first.price_unit),
            ("[BS-M8X40-Z] Hex bolt M8 x 40 zinc plated, box of 100", 5, 12.40),
        )
        self.assertEqual(
            (document.state, document.source, document.format_id),
            ("ready", "pdf-text", self.env.ref("invoice_import.demo_format_bolt_pdf")),
        )
        self.assertEqual(document.match_state, "matched", document.match_report)
        self.assertEqual(document.attachment_id.raw, sample_bytes("bolt_supplies_invoice.pdf"))
        # Bolt does not import automatically: the bill waits in draft, the administrator has the activity on it
        self.assertEqual(bill.state, "draft")
        activity = self.env["mail.activity"].search([("res_model", "=", "account.move"), ("res_id", "=", bill.id)])
        self.assertEqual(activity.user_id, self.admin)
        self.assertIn("PO-88123", activity.summary)
        self.assertEqual(document.review_reason.split(". ")[0], "Waiting for confirmation: matched to PO-88123")
        self.assertEqual(order.invoice_status, "invoiced")
