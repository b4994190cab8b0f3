"""Try a format on a sample file: what it reads is shown, nothing is saved until asked."""

import base64
import json

from odoo import fields
from odoo.tests import tagged
from odoo.tools import format_date
from odoo.tools.misc import formatLang

from .common import InvoiceImportCommon, sample_bytes


@tagged("post_install", "-at_install")
class TestFormatTry(InvoiceImportCommon):
    def counts(self):
        return [
            self.env[m].search_count([]) for m in ("account.move", "invoice.import.document", "invoice.import.format")
        ]

    def try_wizard(self, fmt, name, content, definition=None):
        action = fmt.action_try_on_file()
        self.assertEqual(action["res_model"], "invoice.import.format.try")
        return (
            self.env["invoice.import.format.try"]
            .with_context(action["context"])
            .create(
                {
                    "file": base64.b64encode(content),
                    "filename": name,
                    **({"definition": definition} if definition else {}),
                }
            )
        )

    def test_csv_sample_shows_both_invoices_and_their_lines(self):
        before = self.counts()
        wizard = self.try_wizard(self.acme_format, "acme.csv", sample_bytes("acme_invoices.csv"))
        self.assertEqual(wizard.format_id, self.acme_format)
        self.assertEqual(wizard.invoice_count, 2)
        self.assertFalse(wizard.error)
        self.assertFalse(wizard.warnings)
        self.assertIn("RE-2024-0118", wizard.fields_html)
        self.assertIn("385.44", wizard.fields_html)
        self.assertIn("Drehmomentschlüssel", wizard.lines_html)
        self.assertEqual(self.counts(), before, "trying creates no bill, document nor format")
        # labelled fields, the document type in words, dates in the user's format, amounts with their currency
        html = wizard.fields_html
        self.assertIn("Invoice number", html)
        self.assertIn(">Invoice<", html)
        for internal in ("invoice_number", ">invoice<", "issue_date", "2024-03-05"):
            self.assertNotIn(internal, html)
        self.assertIn(format_date(self.env, fields.Date.to_date("2024-03-05")), html)
        self.assertIn(formatLang(self.env, 385.44, currency_obj=self.env.ref("base.EUR")), html)
        self.assertIn("Unit price", wizard.lines_html)
        self.assertNotIn("unit price", wizard.lines_html)

    def test_a_pdf_template_on_a_csv_says_the_format_does_not_fit(self):
        template = self.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode()}
        )
        wizard = self.try_wizard(template, "acme.csv", sample_bytes("acme_invoices.csv"))
        self.assertIn("The format is a PDF template and the file is a CSV file", wizard.error)
        self.assertNotIn("no supplier format given", wizard.warnings or "")
        self.assertEqual(wizard.invoice_count, 2, "what the file gave without the format is still shown")

    def test_edited_definition_is_tried_and_saved_only_on_request(self):
        data = json.loads(self.acme_format.definition)
        data["columns"]["invoice_number"] = "Rechnungsnummer"
        wizard = self.try_wizard(self.acme_format, "acme.csv", sample_bytes("acme_invoices.csv"), json.dumps(data))
        self.assertTrue(wizard.error.startswith("The CSV cannot be read with the given format: "), wizard.error)
        self.assertIn("Rechnungsnummer", wizard.error)
        self.assertFalse(wizard.fields_html)
        self.assertEqual(json.loads(self.acme_format.definition)["columns"]["invoice_number"], "Rechnungsnr")

        data["columns"]["invoice_number"] = "Rechnungsnr"
        data["fixed"]["currency"] = "CHF"
        wizard.definition = json.dumps(data)
        self.assertFalse(wizard.error)
        wizard.action_save_to_format()
        self.assertEqual(self.acme_format._engine_format().fixed["currency"], "CHF")

    def test_pdf_template_shows_what_it_misses(self):
        template = self.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode()}
        )
        data = json.loads(template.definition)
        data["fields"]["po_reference"] = "^Order number:\\s*(?P<value>\\S+)"
        wizard = self.try_wizard(template, "bolt.pdf", sample_bytes("bolt_supplies_invoice.pdf"), json.dumps(data))
        self.assertEqual(wizard.invoice_count, 1)
        # the field by its label, as on the extracted invoice, never the engine's key
        self.assertIn("purchase order not found", wizard.warnings)
        self.assertNotIn("po_reference", wizard.warnings)
        self.assertIn("BS-2024-00417", wizard.fields_html)
        self.assertEqual(wizard.lines_html.count("<tr>"), 1 + 18)

    def test_invalid_definition_is_reported_not_raised(self):
        wizard = self.try_wizard(self.acme_format, "acme.csv", sample_bytes("acme_invoices.csv"), '{"name": "x"}')
        self.assertTrue(wizard.error.startswith("The supplier format definition is invalid: "), wizard.error)
