import base64
import json

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import InvoiceImportCommon, sample_bytes


@tagged("post_install", "-at_install")
class TestInvoiceImportFormat(InvoiceImportCommon):
    def test_name_and_kind_come_from_the_definition(self):
        bolt = self.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode()}
        )
        self.assertEqual(bolt.name, "Bolt Supplies Ltd (PDF invoice)")
        self.assertEqual(bolt.kind, "pdf")
        self.assertEqual(self.acme_format.kind, "csv")
        self.assertEqual(self.acme_format.company_id, self.company)

    def test_invalid_definition_is_refused_with_the_engine_message(self):
        data = json.loads(sample_bytes("formats/acme_csv.json"))
        data["delimeter"] = data.pop("delimiter")
        with self.assertRaisesRegex(ValidationError, r"unknown key 'delimeter'.*did you mean 'delimiter'"):
            self.env["invoice.import.format"].create({"definition": json.dumps(data)})
        with self.assertRaisesRegex(ValidationError, "not valid JSON"):
            self.acme_format.definition = '{"name": "x", "kind": "csv",'

    def test_a_path_in_the_definition_is_never_read(self):
        # the engine's load_format would open a path; the record only ever parses JSON
        with self.assertRaisesRegex(ValidationError, "not valid JSON"):
            self.env["invoice.import.format"].create({"name": "sneaky", "definition": "/etc/hostname"})

    def test_export_then_import_gives_the_same_format(self):
        action = self.acme_format.action_export_json()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/web/content/invoice.import.format/{self.acme_format.id}/definition_file/", action["url"])
        exported = base64.b64decode(self.acme_format.definition_file)
        self.assertEqual(json.loads(exported), json.loads(sample_bytes("formats/acme_csv.json")))
        self.assertEqual(self.acme_format.definition_filename, "ACME_Industrial_GmbH_CSV_export.json")

        other = self.setup_other_company()["company"]
        wizard = self.env["invoice.import.format.upload"].create(
            {"file": base64.b64encode(exported), "filename": "acme.json", "company_id": other.id}
        )
        imported = self.env["invoice.import.format"].browse(wizard.action_import()["res_id"])
        self.assertNotEqual(imported, self.acme_format)
        self.assertEqual(imported.company_id, other)
        self.assertEqual(imported.name, self.acme_format.name)
        self.assertEqual(imported._engine_format(), self.acme_format._engine_format())

    def test_import_updates_the_format_of_the_same_name(self):
        data = json.loads(sample_bytes("formats/acme_csv.json"))
        data["skip_rows"] = 2
        wizard = self.env["invoice.import.format.upload"].create(
            {"file": base64.b64encode(json.dumps(data).encode()), "filename": "acme-v2.json"}
        )
        self.assertEqual(wizard.action_import()["res_id"], self.acme_format.id)
        self.assertEqual(self.acme_format._engine_format().skip_rows, 2)

    def test_import_of_an_invalid_file_says_why(self):
        wizard = self.env["invoice.import.format.upload"].create(
            {"file": base64.b64encode(b'{"name": "x", "kind": "xls"}'), "filename": "x.json"}
        )
        with self.assertRaisesRegex(Exception, "must be 'csv' or 'pdf'"):
            wizard.action_import()

    def test_supplier_format_is_set_per_company(self):
        other = self.setup_other_company()["company"]
        self.acme.invoice_import_format_id = self.acme_format
        self.assertEqual(self.acme.with_company(self.company).invoice_import_format_id, self.acme_format)
        self.assertFalse(self.acme.with_company(other).invoice_import_format_id)
        self.assertEqual(self.acme_format.supplier_count, 1)
