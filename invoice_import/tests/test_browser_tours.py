"""The addon's screens in a real browser: Odoo tours in headless Chromium, as the administrator.

Tagged ``iis_browser``: the odoo tier leaves them out and ``tests/odoo_browser_tier.sh`` runs them. Each test
makes its own data (the tier installs without demo data), checks in Python that the data is what the screen
should show, then runs a tour of ``static/tests/tours/`` that checks what a user sees there: values, labels,
buttons. Odoo fails a tour on any console error, so a screen that logs one fails its test.
"""

import json
from email.message import EmailMessage

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import sample_bytes, text_pdf
from .mail_common import invoice_pdf
from .matching_common import MatchingCommon
from .test_review import NEW_SUPPLIER_LINES


def invoice_mail_to(address, number):
    """Greenleaf's mail to ``address`` bringing invoice ``number`` as a generated text PDF."""
    message = EmailMessage()
    message["From"] = "Greenleaf Accounts <accounts@greenleaf.example>"
    message["To"] = address
    message["Subject"] = f"Invoice {number}"
    message["Message-Id"] = f"<{number}@greenleaf.example>"
    message.set_content(f"Please find invoice {number} attached.")
    message.add_attachment(invoice_pdf(number), maintype="application", subtype="pdf", filename=f"{number}.pdf")
    return message.as_string()


@tagged("post_install", "-at_install", "iis_browser")
class TestInvoiceImportTours(MatchingCommon, HttpCase):
    def setUp(self):
        super().setUp()
        # the administrator works in the test company, as a user of a new database would in theirs
        self.env.ref("base.user_admin").write(
            {"company_id": self.company.id, "company_ids": [Command.link(self.company.id)]}
        )
        self.greenleaf = self.env["res.partner"].create(
            {"name": "Greenleaf Office Supplies", "email": "accounts@greenleaf.example"}
        )
        self.paper = self.env["product.product"].create(
            {
                "name": "Paper A4",
                "type": "consu",
                "purchase_method": "receive",
                "supplier_taxes_id": [Command.set(self.tax_20.ids)],
                "seller_ids": [Command.create({"partner_id": self.greenleaf.id, "product_name": "Paper A4"})],
            }
        )

    def _greenleaf_order(self, quantity=5, price=4.0):
        """A confirmed, received purchase order in pounds for the paper Greenleaf's invoices bill."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.greenleaf.id,
                "currency_id": self.gbp.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.paper.id,
                            "product_qty": quantity,
                            "price_unit": price,
                            "taxes_id": self.tax_20.ids,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        order.order_line.qty_received = quantity
        return order

    def _mail_to_bills_address(self, number):
        """Greenleaf mails invoice ``number`` (a generated PDF) to the bills address, through Odoo's gateway."""
        domain = self.env["mail.alias.domain"].create({"name": "bills.example"})
        self.company.alias_domain_id = domain
        self.journal.alias_domain_id = domain
        self.env["res.config.settings"].create({}).action_invoice_import_new_alias()
        self.env["invoice.import.sender"].create(
            {"email": "accounts@greenleaf.example", "partner_id": self.greenleaf.id}
        )
        self.env["mail.thread"].message_process(None, invoice_mail_to(self.journal.alias_email, number))
        return self.env["account.move"].search([("invoice_source_email", "=", "accounts@greenleaf.example")])

    def test_mailed_bill_shows_its_import_panel_and_match_report(self):
        order = self._greenleaf_order()
        bill = self._mail_to_bills_address("GL-T001")
        self.assertEqual(len(bill), 1)
        self.assertEqual((bill.ref, bill.partner_id, bill.state), ("GL-T001", self.greenleaf, "draft"))
        document = bill.invoice_import_document_id
        self.assertEqual((document.source, document.match_state), ("pdf-text", "matched"), document.match_report)
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
        self.start_tour(
            f"/odoo/action-account.action_move_in_invoice_type/{bill.id}", "invoice_import_mailed_bill", login="admin"
        )

    def test_bills_to_review_filter(self):
        order = self.purchase([(self.bolts, 12, 8.90)])
        waiting = self.import_csv("RE-F001", order.name, [("10-2040", "Schrauben", 12, 8.90)])
        self.assertEqual((waiting.state, waiting.invoice_import_document_id.state), ("draft", "ready"))
        self.assertTrue(waiting.invoice_import_document_id.waits_for_person)
        self.assertEqual(self.review_activities(waiting.invoice_import_document_id).res_model, "account.move")
        confirmed = self.import_csv("RE-F002", None, [("SV-1", "Vermessung", 1, 250.0)])
        confirmed.action_post()
        self.start_tour(
            "/odoo/action-account.action_move_in_invoice_type", "invoice_import_bills_to_review", login="admin"
        )

    def test_unknown_vendor_is_created_from_the_file(self):
        bill = self.upload(("FH-N001.pdf", text_pdf(NEW_SUPPLIER_LINES)))
        self.assertFalse(bill.partner_id)
        self.start_tour(
            f"/odoo/action-account.action_move_in_invoice_type/{bill.id}",
            "invoice_import_unknown_vendor",
            login="admin",
        )
        self.assertEqual(
            (bill.partner_id.vat, bill.partner_bank_id.acc_number), ("GB980780684", "GB82WEST12345698765432")
        )
        self.assertEqual((bill.partner_id.zip, bill.partner_id.city), ("BS1 4DJ", "Bristol"))

    def test_duplicate_link_lands_on_the_existing_bill(self):
        first = self.upload(("GL-D001.pdf", invoice_pdf("GL-D001")))
        second = self.upload(("GL-D001 (1).pdf", invoice_pdf("GL-D001")))
        self.assertEqual(second.invoice_import_document_id.duplicate_of_move_id, first)
        self.start_tour(
            f"/odoo/action-account.action_move_in_invoice_type/{second.id}",
            "invoice_import_duplicate_link",
            login="admin",
        )
        self.assertFalse(second.exists(), "the duplicate's empty bill is gone")
        linked = self.env["invoice.import.document"].search([("duplicate_of_move_id", "=", first.id)])
        self.assertEqual((linked.move_id, linked.duplicate_action), (first, "linked"))

    def test_supplier_format_and_senders(self):
        self.acme.write(
            {
                "invoice_import_auto": True,
                "invoice_import_sender_ids": [
                    Command.create({"email": "rechnungen@acme.example"}),
                    Command.create({"email": "@acme-billing.example"}),
                ],
            }
        )
        self.start_tour(f"/odoo/res.partner/{self.acme.id}", "invoice_import_supplier_format", login="admin")
        self.assertEqual(
            sorted(self.acme.invoice_import_sender_ids.mapped("email")),
            ["@acme-billing.example", "ap@acme.example", "rechnungen@acme.example"],
        )

    def test_try_a_format_on_a_sample_file(self):
        # the sample the user picks in the file dialog: the tour fetches it from here
        self.env["ir.attachment"].create({"name": "acme_invoices.csv", "raw": sample_bytes("acme_invoices.csv")})
        counts = [self.env[m].search_count([]) for m in ("account.move", "invoice.import.format")]
        self.start_tour(
            f"/odoo/action-invoice_import.invoice_import_format_action/{self.acme_format.id}",
            "invoice_import_try_format",
            login="admin",
        )
        self.assertEqual([self.env[m].search_count([]) for m in ("account.move", "invoice.import.format")], counts)

    def test_a_format_edited_as_fields(self):
        self.env["ir.attachment"].create({"name": "acme_invoices.csv", "raw": sample_bytes("acme_invoices.csv")})
        self.start_tour(
            f"/odoo/action-invoice_import.invoice_import_format_action/{self.acme_format.id}?debug=1",
            "invoice_import_format_rows",
            login="admin",
        )
        data = json.loads(self.acme_format.definition)
        self.assertEqual(data["columns"]["po_reference"], "Kunde")
        self.assertEqual(data["line_columns"], json.loads(sample_bytes("formats/acme_csv.json"))["line_columns"])

    def test_a_format_made_from_rows(self):
        sample = b"Belegnr;Datum;Brutto\nSS-24-0311;05.03.2024;1190.00\n"
        self.env["ir.attachment"].create({"name": "stahl_sued.csv", "raw": sample})
        self.start_tour(
            "/odoo/action-invoice_import.invoice_import_format_action/new",
            "invoice_import_format_from_rows",
            login="admin",
        )
        # admin made it in its own company: looked for across companies
        fmt = self.env["invoice.import.format"].sudo().search([("name", "=", "Stahlhandel Süd"), ("kind", "=", "csv")])
        self.assertEqual(len(fmt), 1)
        self.assertEqual(
            json.loads(fmt.definition),
            {
                "name": "Stahlhandel Süd",
                "kind": "csv",
                "date_format": "%d.%m.%Y",
                "delimiter": ";",
                "columns": {"invoice_number": "Belegnr", "issue_date": "Datum", "amount_total": "Brutto"},
                "fixed": {"currency": "EUR"},
            },
        )

    def test_documents_to_review(self):
        bill = self.upload(("GL-R001.pdf", invoice_pdf("GL-R001")))
        document = bill.invoice_import_document_id
        self.assertEqual(document.state, "to_review")
        self.assertTrue(document.low_confidence_fields)
        self.upload(("scrambled.pdf", b"%PDF-1.4\nnot really a PDF"))
        self.start_tour("/odoo", "invoice_import_documents_to_review", login="admin")

    def test_page_view(self):
        bill = self.upload(("GL-T001.pdf", invoice_pdf("GL-T001")))
        document = bill.invoice_import_document_id
        located = {row["key"] for row in document.page_view["fields"] if row["spots"]}
        self.assertLessEqual({"invoice_number", "amount_total"}, located)
        self.start_tour(
            f"/odoo/action-invoice_import.invoice_import_document_action/{document.id}",
            "invoice_import_page_view",
            login="admin",
        )

    def test_invoice_import_settings(self):
        # the test chart has cash basis taxes: the settings form refuses to save a company without the option
        self.company.tax_exigibility = True
        domain = self.env["mail.alias.domain"].create({"name": "bills.example"})
        self.company.alias_domain_id = domain
        self.journal.alias_domain_id = domain
        self.env["res.config.settings"].create({}).action_invoice_import_new_alias()
        self.assertRegex(self.journal.alias_email, r"^bills-[a-z0-9]{16}@bills\.example$")
        self.start_tour("/odoo/settings", "invoice_import_settings", login="admin")
        self.assertTrue(self.company.invoice_import_mail_privacy, "ticked and saved in the browser")
