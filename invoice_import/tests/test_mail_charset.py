"""A mailed text file is read from the bytes its sender attached, whatever charset its MIME part names.

Without the fix, Odoo's parser declares a ``text/csv`` part without charset
UTF-8 and decodes it, so a cp1252 export arrives with U+FFFD in place of
every accented letter and euro sign: the supplier's name no longer finds
the supplier and the lines read ``C?ble ?lectrique``.
"""

import email
import email.policy
from email.message import EmailMessage

from odoo.tests import tagged

from .common import InvoiceImportCommon

SUPPLIER = "Société Générale d’Équipements SARL"
LINES = ["Câble électrique 3×2,5 mm² (€ 1,20/m)", "Gaine ICTA Ø 20 — 50 m"]
# A French supplier's export: no format for it, the engine guesses the columns and the encoding.
CSV = (
    "Invoice number;Supplier;Invoice date;Currency;Description;Quantity;Unit price;Amount;Total net;VAT;Total\r\n"
    f"F-2024-031;{SUPPLIER};14/03/2024;EUR;{LINES[0]};100;1,20;120,00;150,00;30,00;180,00\r\n"
    f"F-2024-031;{SUPPLIER};14/03/2024;EUR;{LINES[1]};1;30,00;30,00;150,00;30,00;180,00\r\n"
)


def csv_mail(to, content, maintype="text", subtype="csv", params=None, cte="base64", number=1):
    """A real MIME mail with the CSV attached as given (``params``: e.g. a charset; none by default)."""
    message = EmailMessage()
    message["From"] = "Comptabilité SGE <factures@sge.example>"
    message["To"] = to
    message["Subject"] = "Facture F-2024-031"
    message["Message-Id"] = f"<charset-{number}@sge.example>"
    message.set_content("Veuillez trouver ci-joint notre facture.\n")
    message.add_attachment(content, maintype=maintype, subtype=subtype, filename="facture.csv", cte=cte)
    attachment = message.get_payload()[-1]
    for name, value in (params or {}).items():
        attachment.set_param(name, value)
    return message.as_bytes()


@tagged("post_install", "-at_install")
class TestMailCharset(InvoiceImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        domain = cls.env["mail.alias.domain"].create({"name": "charset.example"})
        cls.company.alias_domain_id = domain
        cls.journal.write({"alias_domain_id": domain.id, "alias_name": "bills-charset"})
        # no VAT, no address: only its name, read from the file, can find it
        cls.supplier = cls.env["res.partner"].create({"name": SUPPLIER, "is_company": True})

    def deliver(self, raw):
        self.env["mail.thread"].message_process(None, raw)
        bill = self.env["account.move"].search([("invoice_source_email", "=", "factures@sge.example")])
        self.assertEqual(len(bill), 1)
        return bill

    def assert_read_right(self, bill, content):
        self.assertEqual(bill.partner_id, self.supplier)
        self.assertEqual(bill.ref, "F-2024-031")
        self.assertEqual(bill.currency_id, self.eur)
        self.assertEqual(bill.invoice_line_ids.mapped("name"), LINES)
        self.assertEqual(bill.invoice_line_ids.mapped("price_subtotal"), [120.0, 30.0])
        self.assertAlmostEqual(bill.amount_total, 180.0)
        document = bill.invoice_import_document_id
        self.assertEqual(document.partner_match, "name")
        self.assertEqual(document.attachment_id.raw, content)  # the very bytes the supplier attached
        self.assertNotIn("\ufffd", document.pivot_json)
        return document

    def test_cp1252_csv_without_charset_is_read_from_its_bytes(self):
        content = CSV.encode("cp1252")
        bill = self.deliver(csv_mail(self.journal.alias_email, content))
        document = self.assert_read_right(bill, content)
        # the engine, not the mail parser, chose the encoding
        self.assertIn("read as cp1252", document.warnings)

    def test_cp1252_csv_sent_as_8bit_without_charset(self):
        content = CSV.encode("cp1252")
        bill = self.deliver(csv_mail(self.journal.alias_email, content, cte="8bit", number=2))
        # an 8-bit part is lines of the mail: they end as the mail's lines do (LF here)
        self.assert_read_right(bill, content.replace(b"\r\n", b"\n"))

    def test_cp1252_csv_as_octet_stream(self):
        content = CSV.encode("cp1252")
        raw = csv_mail(self.journal.alias_email, content, "application", "octet-stream", number=3)
        self.assert_read_right(self.deliver(raw), content)

    def test_utf8_csv_with_its_charset_is_still_right(self):
        content = CSV.encode("utf-8")
        raw = csv_mail(self.journal.alias_email, content, params={"charset": "utf-8"}, number=4)
        document = self.assert_read_right(self.deliver(raw), content)
        self.assertNotIn("cp1252", document.warnings or "")

    def test_cp1252_csv_with_its_charset_is_still_right(self):
        content = CSV.encode("cp1252")
        raw = csv_mail(self.journal.alias_email, content, params={"charset": "windows-1252"}, number=5)
        self.assert_read_right(self.deliver(raw), content)

    def test_bodies_are_still_text_and_the_original_mail_is_unchanged(self):
        """Any mail: the body is decoded by its charset, text files are bytes, the saved original is the mail."""
        message = EmailMessage()
        message["From"] = "Anna <anna@example.com>"
        message["To"] = "someone@example.com"
        message["Subject"] = "Grüße"
        message.set_content("Schöne Grüße, 50 €".encode("iso-8859-15"), maintype="text", subtype="plain")
        message.replace_header("Content-Type", 'text/plain; charset="iso-8859-15"')
        content = CSV.encode("cp1252")
        message.add_attachment(content, maintype="text", subtype="csv", filename="facture.csv")
        message.add_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", maintype="text", subtype="calendar")
        parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.SMTP)

        values = self.env["mail.thread"].message_parse(parsed, save_original=True)

        self.assertIn("Schöne Grüße, 50 €", values["body"])
        names = [attachment.fname for attachment in values["attachments"]]
        self.assertEqual(names, ["original_email.eml", "facture.csv", "attachment"])
        self.assertEqual(values["attachments"][1].content, content)
        self.assertEqual(values["attachments"][2].content, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        original = values["attachments"][0].content
        self.assertIn("Content-Type: text/csv", original)
        self.assertNotIn("application/octet-stream", original)
        self.assertEqual([part.get_content_type() for part in parsed.walk()][2:], ["text/csv", "text/calendar"])
