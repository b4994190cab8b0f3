"""QuickBooks' own features in a real Odoo against the fake QuickBooks: the customer import, names QuickBooks
already has (6240), the lead source custom field, card payments, the polled deposit account, supplier bill
payments, and credit notes applied to their invoice then cancelled.
"""

from decimal import Decimal

from odoo import Command, fields
from odoo.tests import tagged

from account_sync.engine.records import Payment, RecordRef

from ..models import account_sync_connection as qbo_connection
from .test_qbo_flow import QboFlowCase


@tagged("post_install", "-at_install")
class TestQboFeatures(QboFlowCase):
    def _money(self, value):
        return Decimal(str(value)).quantize(Decimal("0.01"))

    def _remote_account(self, code):
        return self.connection.remote_account_ids.filtered(lambda r: r.kind == "account" and r.code == code)

    def _pay(self, move, method_line=None, amount=None):
        values = {"payment_method_line_id": method_line.id} if method_line else {}
        if amount is not None:
            values["amount"] = amount
        wizard = self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids)
        return wizard.create(values)._create_payments()

    def _quickbooks_payment(self, move, amount, account_code, number):
        """A payment someone records in QuickBooks (a bank feed), into the account ``account_code``."""
        feed = Payment(
            ref=RecordRef("bank.feed", number, "v1"),
            document_remote_id=self._remote(move),
            amount=Decimal(amount),
            date=fields.Date.today(),
            account_code=account_code,
        )
        result = self.connection._qbo_client().push_payment(feed)
        self.assertTrue(result.ok, result.errors)
        return result.remote_id

    # --- importing customers --------------------------------------------------------------------------

    def test_import_customers_on_first_connection_then_again_from_contacts(self):
        company = self._company()
        for n in range(1, 5):
            company.create(
                "Customer",
                {
                    "DisplayName": f"Quay Client {n}",
                    "PrimaryEmailAddr": {"Address": f"ap{n}@quay.example"},
                    "BillAddr": {"Line1": f"{n} Quay Street", "City": "Bristol", "Country": "GB"},
                },
            )
        known = company.create("Customer", {"DisplayName": "harbour plumbing ltd"})  # Odoo has this one already
        company.create("Customer", {"DisplayName": "Closed Account Ltd", "Active": False})
        self.env["ir.config_parameter"].set_param(qbo_connection.PARAM + "query_page", "2")
        connection = self._connect()
        self.assertTrue(connection.import_offer_pending, "first connection: the import is offered")
        partners_before = self.env["res.partner"].search_count([])
        queries = len(self.fake.calls("query"))

        connection.action_accept_import()  # "Yes, import all my customers"
        self.assertFalse(connection.import_offer_pending)
        self.assertEqual(len(self.fake.calls("query")) - queries, 3, "5 active customers in pages of 2")
        imported = self.env["res.partner"].search([("name", "like", "Quay Client")])
        self.assertEqual(len(imported), 4)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 4, "Harbour not duplicated")
        first = imported.filtered(lambda p: p.name == "Quay Client 1")
        self.assertEqual(
            (first.email, first.street, first.city, first.country_id.code),
            ("ap1@quay.example", "1 Quay Street", "Bristol", "GB"),
        )
        self.assertEqual(first.account_sync_remote_id, "1")
        self.assertEqual(self._remote(self.partner), known["Id"], "the Odoo partner of the same name is bound")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Closed Account Ltd")]))

        company.edit_as_another_user("Customer", "1", PrimaryEmailAddr={"Address": "new@quay.example"})
        action = self.env["res.partner"].action_account_sync_import()  # the Contacts menu, later
        wizard = self.env[action["res_model"]].with_context(action["context"]).create({})
        notice = wizard.action_import()
        self.assertIn("0 customers imported", notice["params"]["message"])
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 4, "idempotent")
        first.invalidate_recordset()
        self.assertEqual(first.email, "new@quay.example", "an imported customer follows QuickBooks")
        self.assertEqual(self.partner.email, "ap@harbour.example", "a partner Odoo pushed or owned is left alone")

        move = self._invoice(40.0, partner_id=first.id)
        connection._sync()
        self.assertEqual(self._company().read("Invoice", self._remote(move))["CustomerRef"]["value"], "1")
        self.assertEqual(len(self._company().rows("Customer")), 6, "the imported customer was not created again")

    # --- names QuickBooks already has (6240) -----------------------------------------------------------

    def test_customer_named_like_an_existing_quickbooks_customer_is_bound_not_failed(self):
        existing = self._company().create("Customer", {"DisplayName": "Harbour Plumbing Ltd", "Notes": "from QBO"})
        connection = self._connect()
        move = self._invoice(100.0)
        self.assertTrue(connection._sync())
        self.assertEqual(self._remote(self.partner), existing["Id"])
        self.assertEqual(self._company().read("Invoice", self._remote(move))["CustomerRef"]["value"], existing["Id"])
        self.assertEqual(len(self._company().rows("Customer")), 1)
        self.assertTrue(self.fake.calls("batch"), "the batch create met QuickBooks' 6240")

    def test_name_held_by_a_vendor_gets_a_customer_of_its_own(self):
        vendor = self._company().create("Vendor", {"DisplayName": "Harbour Plumbing Ltd"})
        connection = self._connect()
        self._invoice(100.0)
        self.assertTrue(connection._sync())
        customer = self._company().read("Customer", self._remote(self.partner))
        self.assertEqual(customer["DisplayName"], "Harbour Plumbing Ltd (customer)")
        move = self._invoice(30.0)
        connection._sync()
        self.assertEqual(self._company().read("Invoice", self._remote(move))["CustomerRef"]["value"], customer["Id"])
        bill = self._invoice(10.0, move_type="in_invoice", ref="SUP-1")
        connection._sync()
        self.assertEqual(self._company().read("Bill", self._remote(bill))["VendorRef"]["value"], vendor["Id"])
        self.assertFalse(
            connection.log_ids.filtered(lambda log: log.level == "error"), connection.log_ids.mapped("message")
        )

    # --- lead source and credit cards -----------------------------------------------------------------

    def test_lead_source_custom_field_and_online_card_payment_on_invoices(self):
        connection = self._connect()
        connection.write(
            {"qbo_lead_source_definition": "2", "qbo_lead_source_name": "Source", "qbo_accept_credit_cards": True}
        )
        self.partner.account_sync_lead_source_id = self.env["utm.source"].create({"name": "Yellow Pages"})
        move = self._invoice(100.0)
        connection._sync()
        stored = self._company().read("Invoice", self._remote(move))
        self.assertEqual(
            stored["CustomField"],
            [{"DefinitionId": "2", "Name": "Source", "Type": "StringType", "StringValue": "Yellow Pages"}],
        )
        self.assertIs(stored["AllowOnlineCreditCardPayment"], True)

    def test_card_payments_pushed_and_only_the_deposit_account_polled(self):
        connection = self._connect()
        connection.write(
            {
                "qbo_accept_credit_cards": True,
                "credit_card_account_id": self._remote_account("1210").id,
                "qbo_deposit_account_id": self._remote_account("1300").id,
            }
        )
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.env.company.id), ("type", "=", "bank")], limit=1
        )
        manual = self.env.ref("account.account_payment_method_manual_in")
        card_line = self.env["account.payment.method.line"].create(
            {
                "name": "Terminal",  # its kind says card, not its name
                "payment_method_id": manual.id,
                "journal_id": journal.id,
                "account_sync_payment_kind": "card",
            }
        )
        by_card, by_transfer = self._invoice(100.0), self._invoice(50.0)
        connection._sync()
        self._pay(by_card, card_line)
        self._pay(by_transfer)
        connection._sync()
        rows = {row["Line"][0]["LinkedTxn"][0]["TxnId"]: row for row in self._company().rows("Payment")}
        card = rows[self._remote(by_card)]
        self.assertEqual((card["PaymentMethodRef"]["value"], card["DepositToAccountRef"]["value"]), ("3", "9"))
        transfer = rows[self._remote(by_transfer)]
        self.assertEqual(transfer["DepositToAccountRef"]["value"], "11", "into the deposit account")
        self.assertNotIn("PaymentMethodRef", transfer)

        deposited, elsewhere = self._invoice(20.0), self._invoice(30.0)
        connection._sync()
        self._quickbooks_payment(deposited, "24.00", "1300", 1)
        stray = self._quickbooks_payment(elsewhere, "36.00", "1200", 2)
        connection._sync()
        deposited.invalidate_recordset()
        elsewhere.invalidate_recordset()
        self.assertEqual(deposited.payment_state, "paid", "recorded in QuickBooks into the deposit account")
        self.assertEqual(elsewhere.payment_state, "not_paid", "another account is not polled")
        self.assertTrue(
            connection.log_ids.filtered(lambda log: stray in log.message and "not registered" in log.message)
        )

    # --- income accounts ------------------------------------------------------------------------------

    def test_surcharge_line_posts_to_its_account_through_an_item_of_that_account(self):
        surcharges = self._company().create(
            "Account",
            {
                "Name": "Card surcharges",
                "AcctNum": "4200",
                "AccountType": "Income",
                "AccountSubType": "OtherPrimaryIncome",
                "Classification": "Revenue",
                "Active": True,
            },
        )
        connection = self._connect()
        fee = self.env["product.product"].create({"name": "Card fee", "type": "service"})
        method = self.env["account.payment.method.line"].search([("payment_type", "=", "inbound")], limit=1)
        connection.surcharge_ids = [
            Command.create(
                {
                    "product_id": fee.id,
                    "payment_method_line_id": method.id,
                    "account_id": self._remote_account("4200").id,
                }
            )
        ]

        def surcharged_invoice():
            move = self._invoice(100.0, post=False, preferred_payment_method_line_id=method.id)
            move.invoice_line_ids = [Command.create({"product_id": fee.id, "price_unit": 2.5, "tax_ids": []})]
            move.action_post()
            return move

        move = surcharged_invoice()
        connection._sync()
        stored = self._company().read("Invoice", self._remote(move))
        items = [
            line["SalesItemLineDetail"]["ItemRef"]["value"] for line in stored["Line"] if "SalesItemLineDetail" in line
        ]
        self.assertEqual(items[0], "1", "labour (4100): QuickBooks' Services item, which posts to 4100")
        item = self._company().read("Item", items[1])
        self.assertEqual((item["IncomeAccountRef"]["value"], item["Type"]), (surcharges["Id"], "Service"))
        self.assertEqual(item["Name"], "Card surcharges (4200)")
        connection._sync()
        second = surcharged_invoice()
        connection._sync()
        stored = self._company().read("Invoice", self._remote(second))
        self.assertEqual(stored["Line"][1]["SalesItemLineDetail"]["ItemRef"]["value"], items[1], "the item is reused")
        self.assertEqual(len(self._company().rows("Item")), 3, "one item made for the surcharge account, once")

    # --- supplier bill payments -----------------------------------------------------------------------

    def test_supplier_payment_pushed_against_the_pushed_bill(self):
        connection = self._connect()
        bill = self._invoice(80.0, move_type="in_invoice", ref="SUP-77")
        connection._sync()
        bill_id = self._remote(bill)
        payment = self._pay(bill)
        connection._sync()
        [stored] = self._company().rows("BillPayment")
        self.assertEqual(stored["Line"][0]["LinkedTxn"], [{"TxnId": bill_id, "TxnType": "Bill"}])
        self.assertEqual((stored["PayType"], stored["CheckPayment"]["BankAccountRef"]["value"]), ("Check", "5"))
        self.assertEqual(self._money(self._company().read("Bill", bill_id)["Balance"]), Decimal("0.00"))
        self.assertEqual(self._remote(payment), "BillPayment:" + stored["Id"], "told apart from Payment ids")
        self.assertEqual(self._company().rows("Payment"), [], "not a customer payment")

        payment.action_draft()
        payment.action_cancel()
        self.assertTrue(connection._sync())
        payment.invalidate_recordset()
        self.assertEqual(payment.account_sync_state, "voided")
        self.assertEqual(self._company().rows("BillPayment"), [], "cancelled in Odoo: deleted in QuickBooks")
        self.assertEqual(self._money(self._company().read("Bill", bill_id)["Balance"]), Decimal("80.00"))
        self.assertEqual(len(self.fake.calls("billpayment", "delete")), 1)

    def test_bill_payment_and_customer_payment_of_the_same_quickbooks_id_stay_apart(self):
        connection = self._connect()
        invoice, bill = self._invoice(50.0), self._invoice(80.0, move_type="in_invoice", ref="SUP-78")
        connection._sync()
        customer_pay, supplier_pay = self._pay(invoice), self._pay(bill)
        connection._sync()
        [payment], [bill_payment] = self._company().rows("Payment"), self._company().rows("BillPayment")
        self.assertEqual(payment["Id"], bill_payment["Id"], "each list numbers its own ids")
        company = self._company()
        company.delete("Payment", {"Id": payment["Id"], "SyncToken": payment["SyncToken"]})
        connection._sync()
        (customer_pay | supplier_pay).invalidate_recordset()
        self.assertEqual(customer_pay.state, "canceled", "the customer payment deleted in QuickBooks")
        self.assertNotEqual(supplier_pay.state, "canceled", "not the supplier payment bearing the same id")
        # a supplier payment bound before the prefix existed (a bare id) is still deleted as a BillPayment
        self.env["account.sync.binding"].search(
            [("model", "=", "account.payment"), ("res_id", "=", supplier_pay.id)]
        ).remote_id = bill_payment["Id"]
        supplier_pay.action_draft()
        supplier_pay.action_cancel()
        connection._sync()
        self.assertEqual(self._company().rows("BillPayment"), [])
        self.assertEqual(self.fake.calls("payment", "delete"), [], "no customer Payment deleted by mistake")

    # --- payments deleted, edited, split --------------------------------------------------------------

    def test_split_payments_each_pushed_a_cancelled_one_deleted_an_edited_one_replaced(self):
        connection = self._connect()
        move = self._invoice(100.0)  # 120 with VAT
        connection._sync()
        invoice_id = self._remote(move)
        first, second = self._pay(move, amount=70.0), self._pay(move, amount=50.0)
        connection._sync()
        self.assertEqual(
            sorted(self._money(p["TotalAmt"]) for p in self._company().rows("Payment")),
            [Decimal("50.00"), Decimal("70.00")],
            "each part pushed",
        )
        self.assertEqual(self._money(self._company().read("Invoice", invoice_id)["Balance"]), Decimal("0.00"))
        first_id, second_id = self._remote(first), self._remote(second)

        first.action_draft()
        first.action_cancel()
        connection._sync()
        first.invalidate_recordset()
        self.assertEqual(first.account_sync_state, "voided")
        self.assertEqual([p["Id"] for p in self._company().rows("Payment")], [second_id], "deleted in QuickBooks")
        self.assertEqual(self._money(self._company().read("Invoice", invoice_id)["Balance"]), Decimal("70.00"))

        second.action_draft()
        second.amount = 45.0
        second.action_post()
        connection._sync()
        new_id = self._remote(second)
        self.assertNotIn(new_id, (first_id, second_id), "QuickBooks payments are replaced, not edited")
        [stored] = self._company().rows("Payment")
        self.assertEqual((stored["Id"], self._money(stored["TotalAmt"])), (new_id, Decimal("45.00")))
        self.assertEqual(self._money(self._company().read("Invoice", invoice_id)["Balance"]), Decimal("75.00"))
        self.assertEqual(len(self.fake.calls("payment", "delete")), 2)
        connection._sync()
        self.assertEqual(len(self._company().rows("Payment")), 1, "nothing pushed or deleted again")
        self.assertEqual(len(self.fake.calls("payment", "delete")), 2)

    def test_payment_deleted_or_voided_in_quickbooks_is_cancelled_in_odoo(self):
        connection = self._connect()
        pulled, pushed, kept = self._invoice(100.0), self._invoice(50.0), self._invoice(10.0)
        connection._sync()
        remote_id = self._quickbooks_payment(pulled, "30.00", "1200", 1)
        ours, untouched = self._pay(pushed), self._pay(kept)
        connection._sync()
        pulled.invalidate_recordset()
        self.assertEqual((pulled.payment_state, pulled.amount_residual), ("partial", 90.0), "a part payment")
        company = self._company()
        company.delete("Payment", {"Id": remote_id, "SyncToken": company.read("Payment", remote_id)["SyncToken"]})
        ours_id = self._remote(ours)
        company.void("Payment", {"Id": ours_id, "SyncToken": company.read("Payment", ours_id)["SyncToken"]})
        connection._sync()
        binding = self.env["account.sync.binding"].search([("remote_id", "=", remote_id), ("origin", "=", "remote")])
        payment = self.env["account.payment"].browse(binding.res_id)
        self.assertEqual((payment.state, binding.state), ("canceled", "voided"), "deleted in QuickBooks")
        ours.invalidate_recordset()
        self.assertEqual(ours.state, "canceled", "voided in QuickBooks: cancelled in Odoo, whoever created it")
        (pulled | pushed | kept).invalidate_recordset()
        self.assertEqual((pulled.payment_state, pushed.payment_state), ("not_paid", "not_paid"))
        self.assertNotEqual(untouched.state, "canceled")
        self.assertIn(kept.payment_state, ("paid", "in_payment"))
        self.assertEqual(len(self.fake.calls("payment", "delete")), 0, "a cancellation from QuickBooks is not sent")

    def test_cancelled_bill_is_deleted_in_quickbooks(self):
        connection = self._connect()
        invoice = self._invoice(50.0)
        bill = self._invoice(60.0, move_type="in_invoice", ref="SUP-9")
        connection._sync()
        self.assertEqual(self._remote(bill), self._remote(invoice), "each list numbers its own ids")
        bill.button_draft()
        bill.button_cancel()
        self.assertTrue(connection._sync())
        bill.invalidate_recordset()
        self.assertEqual(bill.account_sync_state, "voided")
        self.assertEqual(self._company().rows("Bill"), [], "QuickBooks' API cannot void a bill: it is deleted")
        stored = self._company().read("Invoice", self._remote(invoice))
        self.assertEqual(self._money(stored["TotalAmt"]), Decimal("60.00"), "the invoice of the same id is untouched")

    # --- credit notes ---------------------------------------------------------------------------------

    def test_credit_note_applied_to_its_invoice_then_cancelled(self):
        connection = self._connect()
        move = self._invoice(100.0)  # 120 with VAT
        connection._sync()
        invoice_id = self._remote(move)
        note = self._invoice(25.0, move_type="out_refund", post=False, reversed_entry_id=move.id)
        note.invoice_line_ids.tax_ids = [Command.set(self.tax.ids)]  # 30 with VAT
        note.action_post()
        connection._sync()
        memo_id = self._remote(note)
        [application] = self._company().rows("Payment")
        self.assertEqual(self._money(application["TotalAmt"]), Decimal("0.00"))
        self.assertEqual(
            {(line["LinkedTxn"][0]["TxnType"], self._money(line["Amount"])) for line in application["Line"]},
            {("Invoice", Decimal("30.00")), ("CreditMemo", Decimal("30.00"))},
        )
        self.assertEqual(self._money(self._company().read("Invoice", invoice_id)["Balance"]), Decimal("90.00"))
        payments = self.env["account.payment"].search_count([])
        connection._sync()
        self.assertEqual(self.env["account.payment"].search_count([]), payments, "a credit applied is not money")

        self.assertEqual(memo_id, invoice_id, "each list numbers its own ids: only the kind tells them apart")
        note.button_draft()
        note.button_cancel()
        self.assertTrue(connection._sync())
        note.invalidate_recordset()
        self.assertEqual(note.account_sync_state, "voided")
        self.assertEqual(self._company().rows("CreditMemo"), [], "deleted: QuickBooks cannot void a credit memo")
        self.assertEqual(self._money(self._company().read("Invoice", invoice_id)["Balance"]), Decimal("120.00"))
        self.assertEqual(self._company().read("Payment", application["Id"])["PrivateNote"], "Voided")
        [logged] = connection.log_ids.filtered(lambda log: log.operation == "void" and log.res_id == note.id)
        self.assertEqual((logged.level, logged.message), ("info", f"{note.name} voided"), "the base's void step")
        self.assertTrue(connection._sync())
        self.assertEqual(len(self.fake.calls("creditmemo", "delete")), 1, "voided once")
