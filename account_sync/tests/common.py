"""What every provider's end-to-end Odoo test needs, whichever fake server it runs against.

Importing it also puts the repository root on ``sys.path``: the fake servers live in the repository's
``tests/fakes/`` (shared with the engine tier), not inside an addon.
"""

import os
import sys

from odoo import Command, fields
from odoo.tests import HttpCase

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)


class AccountSyncFlowCase(HttpCase):
    """Subclasses set ``connection``, ``partner``, ``product`` and ``tax`` in their set-up."""

    def _follow_callback(self, callback, mapping):
        """Come back from the provider's consent page, refresh the chart and map ``mapping``.

        ``mapping`` gives each mapping field as (kind, remote code), kind "account" or "tax".
        """
        response = self.url_open(callback, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "connected")
        self.connection.action_refresh_chart()
        remote = {(r.kind, r.code): r.id for r in self.connection.remote_account_ids}
        self.connection.write({field: remote[kind_code] for field, kind_code in mapping.items()})
        return self.connection

    def _invoice(self, price=100.0, move_type="out_invoice", post=True, **values):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.partner.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "price_unit": price,
                            "tax_ids": [Command.set(self.tax.ids if move_type == "out_invoice" else [])],
                        }
                    )
                ],
                **values,
            }
        )
        if post:
            move.action_post()
        return move

    def _remote(self, record):
        record.invalidate_recordset()
        self.assertNotEqual(record.account_sync_state, "error", record.account_sync_error)
        return record.account_sync_remote_id
