"""QuickBooks account ids move from ``qbo_id`` to the base's ``remote_id``, which every provider now fills
on a chart refresh: copied once, so pushes keep sending mapped accounts by id without a refresh first."""

from odoo.tools.sql import column_exists


def migrate(cr, version):
    if version and column_exists(cr, "account_sync_remote_account", "qbo_id"):
        cr.execute(
            "UPDATE account_sync_remote_account SET remote_id = qbo_id WHERE remote_id IS NULL AND qbo_id IS NOT NULL"
        )
