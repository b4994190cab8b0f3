from odoo import Command
from odoo.tests import tagged

from .common import InvoiceImportCommon, text_pdf


def willow_lines(number, date, due, items):
    """A bill of one supplier's layout: labels the template-free reader has no word for, items vary."""
    subtotal = sum(amount for _name, amount in items)
    lines = ["Willow & Pike Joinery", "4 Canal Yard, Leeds", "VAT GB 298 7654 12", "Our ref.  " + number]
    lines += [f"Issued {date}", f"Settle by {due}", "Work Amount"]
    lines += [f"{name} {amount:.2f}" for name, amount in items]
    lines += [f"Net {subtotal:.2f}", f"VAT 20% {subtotal * 0.2:.2f}", f"Please pay {subtotal * 1.2:,.2f} GBP"]
    return lines


@tagged("post_install", "-at_install")
class TestFormatLearning(InvoiceImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.willow = cls.env["res.partner"].create({"name": "Willow & Pike Joinery", "vat": "GB298765412"})
        cls.env["invoice.import.sender"].create({"email": "accounts@willowpike.example", "partner_id": cls.willow.id})

    def _confirm(self, bill, number, date, due, untaxed):
        """What the reviewer does: check the values against the page, correct them, confirm."""
        bill.write(
            {
                "partner_id": self.willow.id,
                "ref": number,
                "invoice_date": date,
                "invoice_payment_term_id": False,
                "currency_id": self.gbp.id,
                "invoice_line_ids": [
                    Command.clear(),
                    Command.create(
                        {"name": "Joinery", "quantity": 1, "price_unit": untaxed, "tax_ids": self.tax_20.ids}
                    ),
                ],
            }
        )
        bill.invoice_date_due = due
        bill.action_post()

    def test_confirming_a_bill_learns_the_layout_and_the_next_bill_is_read_with_it(self):
        first = willow_lines("WP/24/0117", "14/02/2024", "15/03/2024", [("Oak door frame", 300.0)])
        bill = self.upload(("wp-0117.pdf", text_pdf(first)), sender="accounts@willowpike.example")
        document = bill.invoice_import_document_id
        self.assertFalse(document.format_id)
        self._confirm(bill, "WP/24/0117", "2024-02-14", "2024-03-15", 300.0)

        learned = self.willow.invoice_import_format_id
        self.assertTrue(learned.learned)
        self.assertEqual(learned.kind, "pdf")
        self.assertEqual(learned.learned_document_ids, document)
        self.assertIn("Invoice number: right of", learned.learned_summary)
        template = learned._engine_format()
        self.assertEqual(template.learned["documents"], ["wp-0117.pdf"])
        self.assertEqual(template.fixed["supplier_vat"], "GB298765412")
        self.assertIn("learned from this bill", bill.message_ids[0].body)

        # the next month: another number, other dates, more lines, a total with a thousands separator
        items = [("Staircase", 1450.0), ("Handrail", 210.5), ("Fitting", 95.0)]
        second = willow_lines("WP/24/0152", "11/03/2024", "10/04/2024", items)
        bill2 = self.upload(("wp-0152.pdf", text_pdf(second)), sender="accounts@willowpike.example")
        document2 = bill2.invoice_import_document_id
        self.assertEqual(document2.format_id, learned)
        self.assertEqual(bill2.partner_id, self.willow)
        self.assertEqual(bill2.ref, "WP/24/0152")
        self.assertEqual(str(bill2.invoice_date), "2024-03-11")
        self.assertEqual(str(bill2.invoice_date_due), "2024-04-10")
        self.assertEqual(document2.confidence["invoice_number"], 0.95)
        self.assertAlmostEqual(document2.amount_total, 2106.6, places=2)

        # confirming it learns again from both bills
        self._confirm(bill2, "WP/24/0152", "2024-03-11", "2024-04-10", 1755.5)
        self.assertEqual(learned.learned_document_ids, document | document2)
        self.assertEqual(learned._engine_format().learned["documents"], ["wp-0117.pdf", "wp-0152.pdf"])

    def test_a_hand_written_format_is_never_replaced(self):
        self.willow.invoice_import_format_id = self.acme_format
        lines = willow_lines("WP/24/0117", "14/02/2024", "15/03/2024", [("Oak door frame", 300.0)])
        bill = self.upload(("wp-0117.pdf", text_pdf(lines)))
        self._confirm(bill, "WP/24/0117", "2024-02-14", "2024-03-15", 300.0)
        self.assertEqual(self.willow.invoice_import_format_id, self.acme_format)
        self.assertFalse(self.env["invoice.import.format"].search([("learned", "=", True)]))
