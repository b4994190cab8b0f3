"""Customer invoices issued elsewhere, mailed or uploaded, become draft customer invoices to validate."""

import base64
from email.message import EmailMessage

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import InvoiceImportCommon, sample_bytes, text_pdf
from .test_mail_alias import GMAIL_CONFIRMATION

ISSUER = ["Harbour Consulting Ltd", "1 Quay Street, Bristol", "VAT: GB123456789"]


def customer_invoice_pdf(number, customer="Northwind Traders Ltd", vat="GB987654321", days=3, currency="USD"):
    """A customer invoice as the company's other invoicing software prints it (400.00 a day, VAT 20%)."""
    untaxed = 400 * days
    return text_pdf(
        [
            *ISSUER,
            "INVOICE",
            f"Bill to: {customer}",
            f"Customer VAT: {vat}",
            f"Invoice number: {number}",
            "Invoice date: 05/03/2024",
            "Due date: 04/04/2024",
            "Description Qty Price Amount",
            f"Consulting days {days} 400.00 {untaxed:.2f}",
            f"Subtotal {untaxed:.2f}",
            f"VAT 20% {untaxed * 0.2:.2f}",
            f"Total {untaxed * 1.2:.2f} {currency}",
        ]
    )


CREDIT_NOTE = [
    *ISSUER,
    "CREDIT NOTE",
    "Bill to: Northwind Traders Ltd",
    "Customer VAT: GB987654321",
    "Credit note number: HC-CN-007",
    "Date: 12/03/2024",
    "Description Qty Price Amount",
    "Consulting day refunded 1 400.00 400.00",
    "Subtotal 400.00",
    "VAT 20% 80.00",
    "Total 480.00 USD",
]


@tagged("post_install", "-at_install")
class TestReceivableImport(InvoiceImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_journal = cls.company_data["default_journal_sale"]
        cls.sale_tax_20 = cls.env["account.tax"].create(
            {"name": "Sale 20%", "amount": 20, "type_tax_use": "sale", "company_id": cls.company.id}
        )
        cls.salesperson = cls._create_user(
            "Sam Sales", "sam.sales", "sam@example.com", "invoice_import.group_receivable_own"
        )
        cls.northwind = cls.env["res.partner"].create(
            {"name": "Northwind Traders Ltd", "vat": "GB987654321", "user_id": cls.salesperson.id}
        )
        cls.contoso = cls.env["res.partner"].create({"name": "Contoso Retail", "vat": "GB555000111"})

    def import_files(self, *files, user=None):
        """Files imported with the receivables upload (``user``: who uploads them); the documents made."""
        Attachment = self.env["ir.attachment"].with_user(user or self.env.user)
        attachments = Attachment.browse()
        for name, content in files:
            attachments |= Attachment.create({"name": name, "raw": content})
        wizard = (
            self.env["invoice.import.upload"]
            .with_user(user or self.env.user)
            .create({"attachment_ids": [Command.set(attachments.ids)]})
        )
        action = wizard.action_import()
        return self.env["invoice.import.document"].search(action["domain"], order="id")

    def pay(self, invoice, amount, date):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": amount, "payment_date": date}
        )._create_payments()

    def test_mailed_invoice_becomes_a_draft_customer_invoice_on_a_random_address(self):
        domain = self.env["mail.alias.domain"].create({"name": "ar.example"})
        self.company.alias_domain_id = domain
        self.sales_journal.alias_domain_id = domain
        settings = self.env["res.config.settings"].create({})
        settings.action_invoice_import_new_sales_alias()
        first = self.sales_journal.alias_email
        self.assertRegex(first, r"^invoices-[a-z0-9]{16}@ar\.example$")
        self.assertEqual(self.env["res.config.settings"].create({}).invoice_import_sales_alias_email, first)
        settings.action_invoice_import_new_sales_alias()
        second = self.sales_journal.alias_email
        self.assertNotEqual(first, second)

        def mail(address, number):
            message = EmailMessage()
            message["From"] = "Accounts <accounts@harbour.example>"
            message["To"] = address
            message["Subject"] = f"Invoice {number}"
            message["Message-Id"] = f"<{number}@harbour.example>"
            message.set_content("Invoice attached.")
            pdf = customer_invoice_pdf(number, currency="GBP")
            message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{number}.pdf")
            return message.as_string()

        self.env["mail.thread"].message_process(None, mail(second, "HC-2024-041"))
        invoice = self.env["account.move"].search([("invoice_source_email", "=", "accounts@harbour.example")])
        self.assertRecordValues(
            invoice,
            [
                {
                    "move_type": "out_invoice",
                    "state": "draft",
                    "journal_id": self.sales_journal.id,
                    "partner_id": self.northwind.id,
                    "ref": "HC-2024-041",
                    "payment_reference": "HC-2024-041",
                    "currency_id": self.gbp.id,
                    "amount_untaxed": 1200.0,
                    "amount_total": 1440.0,
                    "invoice_user_id": self.salesperson.id,
                }
            ],
        )
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.sale_tax_20)
        self.assertEqual(str(invoice.invoice_date), "2024-03-05")
        self.assertEqual(str(invoice.invoice_date_due), "2024-04-04")
        document = invoice.invoice_import_document_id
        self.assertRecordValues(
            document,
            [{"direction": "sale", "partner_id": self.northwind.id, "partner_match": "vat", "state": "to_review"}],
        )
        self.assertEqual(document.attachment_id.res_id, invoice.id)
        self.assertEqual(document.attachment_id.name, "HC-2024-041.pdf")
        self.assertEqual(document._field_label("partner"), "Customer")
        with self.assertRaises(ValueError):  # the first address stopped working: no route
            self.env["mail.thread"].message_process(None, mail(first, "HC-2024-042"))
        self.assertFalse(self.env["account.move"].search([("ref", "=", "HC-2024-042")]))

        # the same invoice mailed again: a duplicate, never a second invoice
        raw = mail(second, "HC-2024-041").replace("<HC-2024-041@harbour.example>", "<again@harbour.example>")
        self.env["mail.thread"].message_process(None, raw)
        again = self.env["invoice.import.document"].search([("direction", "=", "sale")]) - document
        self.assertEqual(again.state, "duplicate")
        self.assertEqual(again.duplicate_of_move_id, invoice)

    def test_credit_note_needs_only_its_issue_date(self):
        document = self.import_files(("HC-CN-007.pdf", text_pdf(CREDIT_NOTE)))
        credit_note = document.move_id
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "partner_id": self.northwind.id,
                    "ref": "HC-CN-007",
                    "amount_total": 480.0,
                    "currency_id": self.company.currency_id.id,
                }
            ],
        )
        self.assertEqual(str(credit_note.invoice_date), "2024-03-12")
        self.assertNotIn("Due date", document.warnings or "")
        self.assertNotIn("Due date", document.low_confidence_fields or "")
        self.assertEqual(document.direction, "sale")

    def test_invoice_without_due_date_or_known_customer_waits_for_a_person(self):
        lines = [line for line in CREDIT_NOTE if not line.startswith("Customer VAT")]
        lines = [
            line.replace("CREDIT NOTE", "INVOICE").replace("Credit note number", "Invoice number") for line in lines
        ]
        lines = [line.replace("Northwind Traders Ltd", "Unknown Buyer Co") for line in lines]
        document = self.import_files(("no-due.pdf", text_pdf(lines)))
        self.assertEqual(document.move_id.move_type, "out_invoice")
        self.assertFalse(document.move_id.partner_id)
        self.assertEqual(document.state, "to_review")
        self.assertIn("Due date: not found", document.warnings)
        self.assertNotIn("due_date", document.warnings, "the field named by its label, not its key")
        self.assertIn("The customer could not be recognised", document.warnings)
        self.assertTrue(self.review_activities(document))

    def test_unreadable_file_is_a_failed_document_with_an_activity(self):
        broken = sample_bytes("bolt_supplies_invoice.pdf")[:900]  # a real invoice PDF, cut short
        document = self.import_files(("broken.pdf", broken))
        self.assertRecordValues(document, [{"state": "failed", "error_code": "corrupt_pdf", "direction": "sale"}])
        self.assertEqual(document.move_id.move_type, "out_invoice")
        self.assertEqual(document.move_id.state, "draft")
        self.assertEqual(document.attachment_id.raw, broken, "the file is kept")
        activity = self.review_activities(document)
        self.assertEqual(activity.user_id, self.reviewer)
        self.assertIn("broken.pdf", activity.summary)
        with self.assertRaises(UserError):  # nothing was read: there is nothing to validate
            document.action_validate_invoice()

    def test_validated_invoices_give_the_customers_figures(self):
        paid, unpaid = self.import_files(
            ("HC-1.pdf", customer_invoice_pdf("HC-2024-051")), ("HC-2.pdf", customer_invoice_pdf("HC-2024-052", days=1))
        )
        self.assertEqual((paid.move_id.amount_total, unpaid.move_id.amount_total), (1440.0, 480.0))
        for document in paid | unpaid:
            document.action_validate_invoice()
            self.assertEqual(document.move_id.state, "posted")
            self.assertTrue(document.move_id.invoice_import_number_locked)
        self.assertFalse(self.review_activities(paid).filtered(lambda a: a.active))
        with self.assertRaisesRegex(UserError, "already validated"):
            paid.action_validate_invoice()
        # half paid 10 days after the invoice date, half 30 days after: 20 days on average
        self.pay(paid.move_id, 720.0, fields.Date.to_date("2024-03-15"))
        self.pay(paid.move_id, 720.0, fields.Date.to_date("2024-04-04"))
        self.assertEqual(paid.move_id.payment_state, "paid")
        northwind = self.northwind
        northwind.invalidate_recordset()
        self.assertEqual(northwind.invoice_import_amount_due, 480.0)
        self.assertEqual(northwind.invoice_import_amount_due, northwind.credit, "Odoo's own Total Receivable")
        self.assertEqual(northwind.invoice_import_amount_overdue, 480.0)  # due 2024-04-04, long past
        self.assertEqual(northwind.invoice_import_payment_delay, 20.0)
        contact = self.env["res.partner"].create({"name": "Nora", "parent_id": northwind.id})
        self.assertEqual(contact.invoice_import_amount_due, 480.0)
        self.assertEqual(self.contoso.invoice_import_amount_due, 0.0)
        # an invoice not yet due adds to the amount due, not to the overdue amount
        later = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": northwind.id,
                "invoice_date": fields.Date.context_today(northwind),
                "invoice_date_due": fields.Date.add(fields.Date.context_today(northwind), days=30),
                "invoice_line_ids": [Command.create({"name": "Workshop", "quantity": 1, "price_unit": 100})],
            }
        )
        later.invoice_line_ids.tax_ids = False
        later.action_post()
        northwind.invalidate_recordset()
        self.assertEqual((northwind.invoice_import_amount_due, northwind.invoice_import_amount_overdue), (580.0, 480.0))
        later.button_draft()
        later.button_cancel()
        northwind.invalidate_recordset()
        # a credit note applied is not a payment: the delay stays, the amount due falls
        credit_note = self.import_files(("HC-CN-007.pdf", text_pdf(CREDIT_NOTE))).move_id
        credit_note.action_post()
        northwind.invalidate_recordset()
        self.assertEqual(northwind.invoice_import_amount_due, 0.0)
        self.assertEqual(northwind.invoice_import_payment_delay, 20.0)

    def test_own_customers_only_yet_any_invoice_imported_and_validated(self):
        sam = self.salesperson
        theirs = self.import_files(("C-1.pdf", customer_invoice_pdf("CR-1", "Contoso Retail", "GB555000111")), user=sam)
        mine = self.import_files(("HC-1.pdf", customer_invoice_pdf("HC-2024-061")), user=sam)
        self.assertEqual(theirs.move_id.partner_id, self.contoso)
        self.assertEqual(mine.move_id.partner_id, self.northwind)
        Move = self.env["account.move"].with_user(sam)
        visible = Move.search([("move_type", "in", ("out_invoice", "out_refund"))])
        self.assertEqual(visible, mine.move_id)
        with self.assertRaises(AccessError):
            theirs.move_id.with_user(sam).read(["amount_total"])
        # the import documents are the way to any invoice: seen, read, validated
        documents = self.env["invoice.import.document"].with_user(sam).search([("direction", "=", "sale")])
        self.assertEqual(documents, mine | theirs)
        form = theirs.with_user(sam).web_read(
            {"move_id": {"fields": {"display_name": {}}}, "move_state": {}, "amount_total": {}}
        )[0]
        self.assertEqual(form["move_state"], "draft")
        theirs.with_user(sam).action_validate_invoice()
        self.assertEqual(theirs.move_id.state, "posted")
        self.assertTrue(theirs.move_id.message_ids.filtered(lambda m: "Validated by Sam Sales" in str(m.body)))
        mine.with_user(sam).action_validate_invoice()
        # figures of own customers only
        self.assertEqual(self.northwind.with_user(sam).invoice_import_amount_due, 1440.0)
        self.assertEqual(self.contoso.with_user(sam).invoice_import_amount_due, 0.0)
        self.assertEqual(self.contoso.invoice_import_amount_due, 1440.0)
        # a user of neither group cannot validate
        stranger = self._create_user("Stan", "stan", "stan@example.com", "base.group_user")
        with self.assertRaises(AccessError):
            mine.with_user(stranger).action_validate_invoice()

    def test_attach_a_file_to_an_invoice_without_reading_it(self):
        document = self.import_files(("HC-1.pdf", customer_invoice_pdf("HC-2024-071")))
        invoice = document.move_id
        invoice.action_post()
        signed = customer_invoice_pdf("HC-2024-999", days=9)  # would change the invoice if it were read
        Attach = self.env["invoice.import.attach"].with_user(self.salesperson)
        wizard = Attach.with_context(active_model="account.move", active_id=invoice.id).create(
            {"file": base64.b64encode(signed), "file_name": "signed.pdf"}
        )
        self.assertEqual(wizard.move_id, invoice)
        wizard.action_attach()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id), ("name", "=", "signed.pdf")]
        )
        self.assertEqual(attachment.raw, signed)
        self.assertEqual(invoice.amount_total, 1440.0)
        self.assertEqual(invoice.ref, "HC-2024-071")
        self.assertEqual(self.documents(invoice), document, "no import document for an attached file")
        other = self.import_files(("C-1.pdf", customer_invoice_pdf("CR-2", "Contoso Retail", "GB555000111"))).move_id
        with self.assertRaises(AccessError):  # Sam does not see Contoso's invoice
            Attach.create({"move_id": other.id, "file": base64.b64encode(signed), "file_name": "x.pdf"}).action_attach()
        bill = self.upload(("greenleaf.pdf", text_pdf(["INVOICE", "Invoice number: B-1", "Total 10.00"])))
        with self.assertRaises(UserError):
            self.env["invoice.import.attach"].create(
                {"move_id": bill.id, "file": base64.b64encode(signed), "file_name": "x.pdf"}
            ).action_attach()

    def test_customer_documents_stay_out_of_the_purchase_lists(self):
        document = self.import_files(("HC-CN-007.pdf", text_pdf(CREDIT_NOTE)))
        bill = self.upload(("acme.csv", sample_bytes("acme_invoices.csv")))
        Document = self.env["invoice.import.document"]
        purchase = Document.search(safe_eval(self.env.ref("invoice_import.invoice_import_document_action").domain))
        self.assertTrue(self.documents(bill))
        self.assertLessEqual(self.documents(bill), purchase)
        self.assertNotIn(document, purchase)
        action = self.env.ref("invoice_import.invoice_import_document_action_receivable")
        self.assertEqual(Document.search(safe_eval(action.domain)), document)

    def test_screens_of_a_receivables_user(self):
        sam = self.salesperson
        for model, kinds in (
            ("invoice.import.document", ("list", "form")),
            ("account.move", ("list", "form")),
            ("res.partner", ("form",)),
            ("invoice.import.upload", ("form",)),
            ("invoice.import.attach", ("form",)),
        ):
            views = self.env[model].with_user(sam).get_views([(False, kind) for kind in kinds])["views"]
            self.assertEqual(set(views), set(kinds), model)
        partner_form = self.env["res.partner"].with_user(sam).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="invoice_import_payment_delay"', partner_form)
        document_form = self.env["invoice.import.document"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_validate_invoice"', document_form)
        settings = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_invoice_import_new_sales_alias", settings)
        menu = self.env.ref("invoice_import.invoice_import_receivable_menu_root")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(sam)._visible_menu_ids())

    def test_sales_address_gets_forwarding_confirmations_and_the_privacy_setting(self):
        domain = self.env["mail.alias.domain"].create({"name": "ar.example"})
        self.company.alias_domain_id = domain
        self.sales_journal.alias_domain_id = domain
        self.env["res.config.settings"].create({}).action_invoice_import_new_sales_alias()
        address = self.sales_journal.alias_email
        self.env["mail.thread"].message_process(
            None, GMAIL_CONFIRMATION.replace(b"To: invoices@example.test", b"To: " + address.encode())
        )
        self.assertFalse(self.env["account.move"].search([("journal_id", "=", self.sales_journal.id)]))
        notes = self.sales_journal.message_ids.filtered(lambda m: "482915337" in str(m.body))
        self.assertEqual(len(notes), 1)

        self.company.invoice_import_mail_privacy = True
        message = EmailMessage()
        message["From"] = "Accounts <accounts@harbour.example>"
        message["To"] = address
        message["Subject"] = "Invoice HC-2024-077"
        message["Message-Id"] = "<HC-2024-077@harbour.example>"
        message.set_content("Our bank details changed, see the attached invoice.")
        pdf = customer_invoice_pdf("HC-2024-077", currency="GBP")
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename="HC-2024-077.pdf")
        self.env["mail.thread"].message_process(None, message.as_string())
        invoice = self.env["account.move"].search([("invoice_source_email", "=", "accounts@harbour.example")])
        self.assertEqual(invoice.move_type, "out_invoice")
        received = invoice.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertNotIn("bank details", str(received.body))
        self.assertEqual(received.subject, "Invoice HC-2024-077")
        self.assertIn("HC-2024-077.pdf", received.attachment_ids.mapped("name"))
