"""Which remote income account a card or payment-method surcharge goes to.

A surcharge line is recognised by its product: a product listed here is a surcharge product, wherever it
appears.  The invoice's payment method (Odoo's ``preferred_payment_method_line_id``, from the customer)
picks the row; a row without a payment method covers the methods that have none of their own.
"""

from odoo import fields, models


class AccountSyncSurcharge(models.Model):
    _name = "account.sync.surcharge"
    _description = "Surcharge income account per payment method"
    _order = "product_id, payment_method_line_id"

    connection_id = fields.Many2one("account.sync.connection", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one(
        "product.product",
        "Surcharge product",
        required=True,
        help="Invoice lines of this product are surcharges",
    )
    payment_method_line_id = fields.Many2one(
        "account.payment.method.line",
        "Payment method",
        domain="[('payment_type', '=', 'inbound')]",
        help="Empty: every payment method without a row of its own",
    )
    account_id = fields.Many2one(
        "account.sync.remote.account",
        "Surcharge income account",
        required=True,
        domain="[('connection_id', '=', connection_id), ('kind', '=', 'account'), ('active', '=', True)]",
    )

    _sql_constraints = [
        (
            "method_uniq",
            "unique(connection_id, product_id, payment_method_line_id)",
            "One surcharge account per product and payment method.",
        ),
    ]

    def _rules(self):
        """{(product id, payment method line id or ""): remote code} for the engine's ``surcharge_account``."""
        return {(str(row.product_id.id), str(row.payment_method_line_id.id or "")): row.account_id.code for row in self}
