"""A supplier format edited as rows and options on its form; the JSON behind it follows, and back."""

import base64
import json

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import InvoiceImportCommon, sample_bytes

LEARNED = {
    "name": "Holzbau Keller GmbH (learned)",
    "kind": "pdf",
    "keywords": ["Holzbau Keller GmbH", "DE 298 765 432"],
    "fixed": {"supplier_name": "Holzbau Keller GmbH", "currency": "EUR"},
    "date_format": "%d.%m.%Y",
    "decimal_separator": ",",
    "template_free_fallback": True,
    "fields": {"invoice_number": [r"(?m)^Invoice No\.\n(?P<value>[A-Z]+-\d+-\d+)", r"Invoice No\. (?P<value>\S+)"]},
    "positions": {
        "invoice_number": {"label": "Invoice No.", "where": "below", "kind": "id", "shape": r"[A-Z]+-\d+-\d+"}
    },
    "learned": {
        "documents": ["keller-0117.pdf"],
        "fields": {"invoice_number": 'under "Invoice No."'},
        "positions": {"invoice_number": 'under "Invoice No."'},
        "fixed": ["supplier_name", "currency"],
    },
}


@tagged("post_install", "-at_install")
class TestFormatRows(InvoiceImportCommon):
    def _row(self, fmt, field_name, rule=None):
        rows = fmt.field_ids.filtered(lambda r: r.field_name == field_name and (not rule or r.rule == rule))
        self.assertEqual(len(rows), 1, f"one row for {field_name}")
        return rows

    def test_rows_and_options_come_from_the_json(self):
        fmt = self.acme_format
        data = json.loads(sample_bytes("formats/acme_csv.json"))
        self.assertEqual(len(fmt.field_ids), len(data["columns"]) + len(data["line_columns"]) + len(data["fixed"]))
        self.assertEqual(self._row(fmt, "invoice_number").value, "Rechnungsnr")
        self.assertEqual(self._row(fmt, "quantity").rule, "line_column")
        self.assertEqual((self._row(fmt, "currency").rule, self._row(fmt, "currency").value), ("fixed", "EUR"))
        self.assertEqual((fmt.csv_delimiter, fmt.csv_encoding, fmt.csv_header_rows), (";", "cp1252", 1))
        self.assertEqual((fmt.decimal_separator, fmt.thousands_separator), ("comma", "point"))
        self.assertEqual(fmt.document_type_words, "RE = Invoice\nGS = Credit note")
        # the labels a person sees are the extracted invoice's, never the JSON's keys
        labels = dict(self.env["invoice.import.format.field"]._fields["field_name"].selection)
        self.assertEqual((labels["issue_date"], labels["supplier_vat"]), ("Invoice date", "Supplier VAT"))

    def test_editing_a_row_and_an_option_writes_the_json(self):
        fmt = self.acme_format
        row = self._row(fmt, "po_reference")
        fmt.write({"field_ids": [Command.update(row.id, {"value": "Kunde"})], "csv_skip_rows": 2})
        data = json.loads(fmt.definition)
        self.assertEqual(data["columns"]["po_reference"], "Kunde")
        self.assertEqual(data["skip_rows"], 2)
        self.assertEqual(data["document_types"], {"RE": "invoice", "GS": "credit_note"}, "the rest is kept")
        self.assertEqual(self._row(fmt, "po_reference").value, "Kunde")
        # a new row by column number, a row removed
        fmt.write(
            {
                "field_ids": [
                    Command.delete(self._row(fmt, "due_date").id),
                    Command.create({"rule": "column", "field_name": "supplier_email", "column_number": 17}),
                ]
            }
        )
        data = json.loads(fmt.definition)
        self.assertNotIn("due_date", data["columns"])
        self.assertEqual(data["columns"]["supplier_email"], 16)

    def test_editing_the_json_refreshes_the_rows(self):
        fmt = self.acme_format
        data = json.loads(fmt.definition)
        data["line_columns"]["quantity"] = "Anzahl"
        data["delimiter"] = "\t"
        fmt.definition = json.dumps(data)
        self.assertEqual(self._row(fmt, "quantity").value, "Anzahl")
        self.assertEqual(fmt.csv_delimiter, "Tab")
        # in the form (developer mode shows the JSON): the rows follow the JSON before it is saved
        data["line_columns"]["quantity"] = "Stück"
        draft = self.env["invoice.import.format"].new({"definition": json.dumps(data)}, origin=fmt)
        draft._onchange_definition_rows()
        self.assertEqual(draft.field_ids.filtered(lambda r: r.field_name == "quantity").value, "Stück")
        self.assertEqual(len(draft.field_ids), len(fmt.field_ids))
        self.assertEqual(self._row(fmt, "quantity").value, "Anzahl", "nothing saved yet")

    def test_a_bad_pattern_is_refused_naming_its_row(self):
        bolt = self.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode()}
        )
        before = bolt.definition
        row = self._row(bolt, "amount_total")
        number = bolt.field_ids.sorted(lambda r: (r.sequence, r.id)).ids.index(row.id) + 1
        with self.assertRaisesRegex(
            ValidationError, rf"row {number} \(Total, pattern\): .* is not a valid regular expression"
        ):
            bolt.write({"field_ids": [Command.update(row.id, {"value": r"^Total GBP (?P<value>[\d,+$"})]})
        self.assertEqual(bolt.definition, before)
        row = self._row(self.acme_format, "due_date")
        with self.assertRaisesRegex(ValidationError, r"row \d+ \(Due date, column\): give the column's title"):
            self.acme_format.write({"field_ids": [Command.update(row.id, {"value": False})]})

    def test_a_learned_format_shows_and_edits_its_rules_as_rows(self):
        fmt = self.env["invoice.import.format"].create({"definition": json.dumps(LEARNED)})
        self.assertTrue(fmt.learned)
        patterns = fmt.field_ids.filtered(lambda r: r.rule == "pattern").sorted("sequence")
        self.assertEqual(patterns.mapped("value"), LEARNED["fields"]["invoice_number"])
        position = self._row(fmt, "invoice_number", "position")
        self.assertEqual(
            (position.value, position.where, position.note), ("Invoice No.", "below", 'under "Invoice No."')
        )
        self.assertTrue(fmt.pdf_fallback)
        self.assertEqual(fmt.pdf_keywords, "Holzbau Keller GmbH\nDE 298 765 432")
        position.write({"where": "right", "steps": 1})  # a row written alone goes through its format too
        fmt.write({"field_ids": [Command.update(position.id, {"value": "Rechnung Nr."})]})
        data = json.loads(fmt.definition)
        self.assertEqual(
            data["positions"]["invoice_number"],
            {"label": "Rechnung Nr.", "where": "right", "kind": "id", "shape": r"[A-Z]+-\d+-\d+", "cells_after": 1},
        )
        self.assertEqual(data["learned"], LEARNED["learned"], "the provenance is kept")
        self.assertEqual(self._row(fmt, "invoice_number", "position").note, 'right of "Rechnung Nr.", in the next cell')

    def test_the_try_wizard_reads_with_the_edited_rows(self):
        fmt = self.acme_format
        fmt.write({"field_ids": [Command.update(self._row(fmt, "po_reference").id, {"value": "Kunde"})]})
        wizard = (
            self.env["invoice.import.format.try"]
            .with_context(**fmt.action_try_on_file()["context"])
            .create({"file": base64.b64encode(sample_bytes("acme_invoices.csv")), "filename": "acme_invoices.csv"})
        )
        self.assertFalse(wizard.error)
        self.assertIn("Müller Maschinenbau GmbH</td>", wizard.fields_html.split("Purchase order")[1][:200])

    def test_users_without_rights_cannot_edit_the_rows(self):
        buyer = self._create_user(
            "Bob Buyer",
            "bob.rows",
            "bob.rows@example.com",
            "purchase.group_purchase_user",
            "account.group_account_invoice",
        )
        fmt = self.acme_format.with_user(buyer)
        self.assertEqual(fmt.field_ids.mapped("value")[0], "Rechnungsnr", "a buyer reads the rows")
        with self.assertRaises(AccessError):
            fmt.write({"field_ids": [Command.update(fmt.field_ids[0].id, {"value": "Belegnr"})]})
        with self.assertRaises(AccessError):
            fmt.field_ids[0].write({"value": "Belegnr"})
        with self.assertRaises(AccessError):
            fmt.write({"csv_skip_rows": 3})
        self.assertEqual(json.loads(self.acme_format.definition)["columns"]["invoice_number"], "Rechnungsnr")

    def test_a_new_format_is_made_from_its_json(self):
        # pasted on the form's Definition page (developer mode only, which a Form here cannot open) or imported
        # from a .json file: the JSON is the truth, the rows show it before and after saving
        text = sample_bytes("formats/bolt_supplies_pdf.json").decode()
        draft = self.env["invoice.import.format"].new({"definition": text})
        draft._onchange_definition_rows()
        data = json.loads(text)
        self.assertEqual((draft.kind, len(draft.field_ids)), ("pdf", len(data["fields"]) + len(data["fixed"])))
        bolt = self.env["invoice.import.format"].create({"definition": text})
        self.assertEqual((bolt.name, bolt.kind), ("Bolt Supplies Ltd (PDF invoice)", "pdf"))
        self.assertEqual(self._row(bolt, "invoice_number").value, r"^Invoice No:\s*(?P<value>\S+)")
        self.assertEqual(bolt.pdf_lines_end, "^Subtotal ")

    def test_a_new_format_is_made_from_rows_alone_in_the_form(self):
        with Form(self.env["invoice.import.format"]) as form:
            form.name = "Stahlhandel Süd (CSV)"
            form.kind = "csv"
            self.assertEqual((form.csv_header_rows, form.csv_quotechar), (1, '"'), "a CSV's defaults once picked")
            for field_name, title in (
                ("invoice_number", "Belegnr"),
                ("issue_date", "Datum"),
                ("amount_total", "Brutto"),
            ):
                with form.field_ids.new() as row:
                    self.assertEqual(row.rule, "column", "a CSV's rows read columns unless told otherwise")
                    row.field_name = field_name
                    row.value = title
            with form.field_ids.new() as row:
                row.rule = "fixed"
                row.field_name = "currency"
                row.value = "EUR"
            form.csv_delimiter = ";"
            form.date_format = "%d.%m.%Y"
            form.decimal_separator = "comma"
        fmt = form.record
        data = json.loads(fmt.definition)
        self.assertEqual(
            data,
            {
                "name": "Stahlhandel Süd (CSV)",
                "kind": "csv",
                "date_format": "%d.%m.%Y",
                "decimal_separator": ",",
                "delimiter": ";",
                "columns": {"invoice_number": "Belegnr", "issue_date": "Datum", "amount_total": "Brutto"},
                "fixed": {"currency": "EUR"},
            },
        )
        self.assertEqual(fmt.kind, "csv")
        self.assertEqual(
            fmt.field_ids.mapped("field_name"), ["invoice_number", "issue_date", "amount_total", "currency"]
        )
        # and it reads the supplier's file
        csv = b"Belegnr;Datum;Brutto\nSS-1;05.03.2024;1190,00\n"
        wizard = (
            self.env["invoice.import.format.try"]
            .with_context(**fmt.action_try_on_file()["context"])
            .create({"file": base64.b64encode(csv), "filename": "stahl.csv"})
        )
        self.assertFalse(wizard.error)
        self.assertIn("SS-1", wizard.fields_html)

    def test_a_new_format_missing_a_part_is_refused_in_words(self):
        Format = self.env["invoice.import.format"]
        with self.assertRaisesRegex(ValidationError, "add a row for each value to read"):
            Format.create({"name": "Empty", "kind": "csv"})
        row = {"rule": "fixed", "field_name": "currency", "value": "EUR"}
        with self.assertRaisesRegex(ValidationError, "give the keywords"):
            Format.create({"name": "Bolt", "kind": "pdf", "field_ids": [Command.create(row)]})
        with self.assertRaisesRegex(ValidationError, "choose the kind of file"):
            Format.create({"name": "No kind", "field_ids": [Command.create(row)]})
        fmt = Format.create(
            {"name": "Bolt", "kind": "pdf", "pdf_keywords": "Bolt Supplies", "field_ids": [Command.create(row)]}
        )
        self.assertEqual(json.loads(fmt.definition)["keywords"], ["Bolt Supplies"])
        self.assertEqual(fmt.field_ids.mapped("rule"), ["fixed"])
