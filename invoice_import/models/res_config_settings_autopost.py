"""The settings say in a sentence what imported bill is posted automatically (``engine/autopost.py``)."""

from odoo import api, fields, models

from ..engine.autopost import Switches, describe_policy


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    invoice_import_autopost_policy = fields.Char(
        "Automatic Posting of Imported Bills", compute="_compute_invoice_import_autopost_policy"
    )

    @api.depends("invoice_import_match_autopost", "autopost_bills")
    def _compute_invoice_import_autopost_policy(self):
        for settings in self:
            switches = Switches(
                match_autopost=bool(settings.invoice_import_match_autopost),
                odoo_autopost=bool(settings.autopost_bills),
            )
            settings.invoice_import_autopost_policy = self.env._(describe_policy(switches))  # noqa: INT001
