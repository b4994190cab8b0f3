"""QuickBooks' rules through Odoo: a foreign-currency invoice booked at Odoo's rate, and a number QuickBooks
already has (6140) shown on the invoice and the sync log, not retried, and fixed by the user's choice."""

from decimal import Decimal

from odoo import fields
from odoo.tests import tagged

from .test_qbo_flow import QboFlowCase


@tagged("post_install", "-at_install")
class TestQboRules(QboFlowCase):
    def _hand_entered(self, move, customer_id, amount):
        """An invoice someone typed into QuickBooks under the Odoo invoice's number."""
        line = {
            "Amount": amount,
            "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "TaxCodeRef": {"value": "2"}},
        }
        row = {
            "CustomerRef": {"value": customer_id},
            "DocNumber": move.name,
            "TxnDate": str(move.invoice_date),
            "Line": [line],
        }
        return self._company().create("Invoice", row)["Id"]

    def _customer(self):
        return self._company().create("Customer", {"DisplayName": self.partner.name})["Id"]

    def test_a_foreign_invoice_is_booked_at_the_odoo_rate(self):
        connection = self._connect()
        euro = self.env.ref("base.EUR")
        euro.active = True
        company_currency = self.env.company.currency_id
        self.env["res.currency.rate"].create(
            {"currency_id": euro.id, "name": fields.Date.today(), "rate": 1.25, "company_id": self.env.company.id}
        )
        move = self._invoice(100.0, currency_id=euro.id)
        self.assertNotEqual(euro, company_currency)
        self.assertTrue(connection._sync())
        stored = self._company().read("Invoice", self._remote(move))
        self.assertEqual(stored["CurrencyRef"]["value"], "EUR")
        self.assertAlmostEqual(stored["ExchangeRate"], 0.8, places=6, msg="1 EUR = 0.8 of the company currency")
        self.assertEqual(Decimal(str(stored["HomeTotalAmt"])), Decimal("96.00"), "120.00 EUR at 0.8")

    def test_a_foreign_payment_is_booked_at_its_own_rate(self):
        """Paid at another rate than invoiced: QuickBooks books the payment's home amount at the payment's rate
        (the fake refuses a foreign payment without one)."""
        connection = self._connect()
        euro = self.env.ref("base.EUR")
        euro.active = True
        rates = self.env["res.currency.rate"]
        today = fields.Date.today()
        rates.create({"currency_id": euro.id, "name": today, "rate": 1.25, "company_id": self.env.company.id})
        move = self._invoice(100.0, currency_id=euro.id)
        connection._sync()
        remote_id = self._remote(move)
        rates.search([("currency_id", "=", euro.id), ("name", "=", today)]).rate = 1.6  # the euro fell
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {}
        )._create_payments()
        self.assertTrue(connection._sync())
        [paid] = self._company().rows("Payment")
        self.assertEqual(paid["CurrencyRef"]["value"], "EUR")
        self.assertAlmostEqual(paid["ExchangeRate"], 0.625, places=6, msg="1 EUR = 1/1.6 of the company currency")
        self.assertEqual(self._company().home_totals[("Payment", paid["Id"])], Decimal("75.00"), "120.00 EUR at 0.625")
        self.assertEqual(Decimal(str(self._company().read("Invoice", remote_id)["Balance"])), Decimal("0"))

    def test_a_number_used_for_another_invoice_is_reported_then_pushed_renumbered(self):
        connection = self._connect()
        move = self._invoice(100.0)
        other = self._company().create("Customer", {"DisplayName": "Someone Else Ltd"})["Id"]
        self._hand_entered(move, other, 40.0)
        self.assertTrue(connection._sync())
        move.invalidate_recordset()
        self.assertEqual((move.account_sync_state, move.account_sync_duplicate), ("error", "other"))
        self.assertEqual(move.account_sync_duplicate_suggestion, f"{move.name}-2")
        self.assertIn(f"numbered {move.name}", move.account_sync_error)
        self.assertIn(move.account_sync_error, connection.log_ids.mapped("message"))
        writes = len(self.fake.calls("batch"))
        connection._sync()
        self.assertEqual(len(self.fake.calls("batch")), writes, "not pushed again until the user chooses")
        move.action_account_sync_push_renumbered()
        connection._sync()
        move.invalidate_recordset()
        self.assertEqual(move.account_sync_state, "synced")
        self.assertEqual(self._company().read("Invoice", move.account_sync_remote_id)["DocNumber"], f"{move.name}-2")
        self.assertEqual(move.account_sync_remote_number, f"{move.name}-2", "Odoo keeps its own number")
        connection._sync()
        self.assertEqual(len(self._company().rows("Invoice")), 2)

    def test_the_same_invoice_already_in_quickbooks_is_bound_on_request(self):
        connection = self._connect()
        move = self._invoice(100.0)
        existing = self._hand_entered(move, self._customer(), 100.0)
        connection._sync()
        move.invalidate_recordset()
        self.assertEqual(move.account_sync_duplicate, "same")
        self.assertIn("same customer, date and amount", move.account_sync_error)
        move.action_account_sync_bind_duplicate()
        move.invalidate_recordset()
        self.assertEqual((move.account_sync_state, move.account_sync_remote_id), ("synced", existing))
        connection._sync()
        self.assertEqual(len(self._company().rows("Invoice")), 1, "bound, not created again")
