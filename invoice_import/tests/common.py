"""What the addon's tests share: the repository's sample files and a purchase set-up to import into."""

import io
import json
import os
from pathlib import Path

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
CORPUS = Path(os.environ.get("SHARED_DIR", REPO.parent / "shared")) / "corpus" / "facturx"


def sample_bytes(name):
    return (SAMPLES / name).read_bytes()


def corpus_pdf(stem):
    """A Factur-X PDF of the shared corpus and the values its embedded XML states."""
    pdf = CORPUS / f"{stem}.pdf"
    if not pdf.is_file():
        return None, None
    return pdf.read_bytes(), json.loads((CORPUS / f"{stem}.expected.json").read_text())


def text_pdf(lines):
    """A one-page PDF holding these text lines, as a supplier's own software would print them."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    y = 800
    for line in lines:
        canvas.drawString(60, y, line)
        y -= 16
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


GREENLEAF_LINES = [
    "Greenleaf Office Supplies",
    "12 Market Road, Bristol",
    "INVOICE",
    "Invoice number: GL-5531",
    "Date: 14/02/2024",
    "Description Qty Price Amount",
    "Paper A4 5 4.00 20.00",
    "Subtotal 20.00",
    "VAT 20% 4.00",
    "Total 24.00 GBP",
]


class InvoiceImportCommon(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.journal = cls.company_data["default_journal_purchase"]
        cls.eur = cls.setup_other_currency("EUR")
        cls.gbp = cls.setup_other_currency("GBP")
        cls.tax_19 = cls._purchase_tax(19)
        cls.tax_20 = cls._purchase_tax(20)
        cls.tax_5_5 = cls._purchase_tax(5.5)
        cls.acme = cls.env["res.partner"].create({"name": "ACME Industrial GmbH", "vat": "DE811234567"})
        cls.acme_format = cls.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/acme_csv.json").decode()}
        )
        cls.reviewer = cls._create_user(
            "Rita Reviewer", "rita.reviewer", "rita@example.com", "purchase.group_purchase_user"
        )
        cls.company.invoice_import_assignee_ids = cls.reviewer

    @classmethod
    def _create_user(cls, name, login, email, *groups):
        """An internal user of the test company, in these groups (XML ids)."""
        return cls.env["res.users"].create(
            {
                "name": name,
                "login": login,
                "email": email,
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [Command.set([cls.env.ref(group).id for group in groups])],
            }
        )

    @classmethod
    def _purchase_tax(cls, rate):
        return cls.env["account.tax"].create(
            {"name": f"Purchase {rate}%", "amount": rate, "type_tax_use": "purchase", "company_id": cls.company.id}
        )

    def attachment(self, name, content, mimetype=None):
        values = {"name": name, "raw": content}
        if mimetype:
            values["mimetype"] = mimetype
        return self.env["ir.attachment"].create(values)

    def upload(self, *files, sender=None, sender_auth=("pass", "mx.test.example: DKIM pass")):
        """Files dropped on the vendor bills journal: Odoo's own entry point (``sender``: as if mailed by,
        ``sender_auth``: what the receiving server said of that sender, as ``mail.thread.message_parse`` puts it)."""
        attachments = self.env["ir.attachment"]
        for name, content in files:
            attachments |= self.attachment(name, content)
        journal = self.journal.with_context(default_move_type="in_invoice")
        if sender:
            journal = journal.with_context(invoice_import_sender=sender, invoice_import_sender_auth=sender_auth)
        return journal._create_document_from_attachment(attachments.ids)

    def documents(self, moves):
        return self.env["invoice.import.document"].search([("move_id", "in", moves.ids)], order="id")

    def review_activities(self, documents):
        """The assignees' activities for these imports: on the bills they filled, or on a document without one."""
        return self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", self.env.ref("invoice_import.mail_activity_type_invoice_import").id),
                "|",
                "&",
                ("res_model", "=", "invoice.import.document"),
                ("res_id", "in", documents.ids),
                "&",
                ("res_model", "=", "account.move"),
                ("res_id", "in", documents.filtered(lambda d: d._activity_record() != d).move_id.ids),
            ]
        )
