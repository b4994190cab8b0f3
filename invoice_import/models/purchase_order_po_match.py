"""A purchase order confirmed or received may be what a waiting imported bill was waiting for.

Without ``purchase_stock`` (not a dependency, on purpose) receipts are
written on the lines (``qty_received``); with it, a validated picking
recomputes them without a write and the scheduled re-matching catches up.
"""

from odoo import models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_confirm(self):
        result = super().button_confirm()
        confirmed = self.filtered(lambda order: order.state in ("purchase", "done"))
        self.env["invoice.import.document"]._rematch_for_partners(confirmed.partner_id)
        return result


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    def write(self, vals):
        result = super().write(vals)
        if {"qty_received", "qty_received_manual"} & set(vals):
            received = self.filtered(lambda line: line.state in ("purchase", "done"))
            self.env["invoice.import.document"]._rematch_for_partners(received.partner_id)
        return result
