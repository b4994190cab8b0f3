"""Where a customer came from, for QuickBooks' lead source custom field.

Invoices made by ``sale`` carry a UTM source of their own, which wins; a customer without sales orders
(invoiced directly, or from a job) still has one here.  A UTM source, not free text, so it is the same
list that CRM and sale use.
"""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    account_sync_lead_source_id = fields.Many2one(
        "utm.source",
        string="Lead source",
        help="Sent to QuickBooks in the invoice custom field set up for the lead source",
    )
