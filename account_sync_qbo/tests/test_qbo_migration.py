"""18.0.0.4.0's migration: QuickBooks account ids move from the old ``qbo_id`` column to the base's
``remote_id``. The old column is added back inside the test's transaction (rolled back with it), rows are set
up as an older database holds them, and the migration's own ``migrate`` runs on them."""

from pathlib import Path

from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, tagged

SCRIPT = Path(__file__).resolve().parents[1] / "migrations" / "18.0.0.4.0" / "post-migrate.py"


def _migration():
    """The script, loaded by Odoo's own loader (as an update runs it)."""
    return load_script(str(SCRIPT), "account_sync_qbo_post_migrate")


@tagged("post_install", "-at_install")
class TestQboIdMigration(TransactionCase):
    def setUp(self):
        super().setUp()
        connection = self.env["account.sync.connection"]._for_company()
        Remote = self.env["account.sync.remote.account"]
        rows = [("1200", "Current Account"), ("4100", "Services"), ("5000", "Cost of sales")]
        self.current, self.services, self.costs = Remote.create(
            [{"connection_id": connection.id, "kind": "account", "code": c, "name": n} for c, n in rows]
        )
        self.costs.write({"remote_id": "77"})  # refreshed after the update already: the ledger's id as it is now
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE account_sync_remote_account ADD COLUMN qbo_id varchar")
        for record, qbo_id in ((self.current, "35"), (self.services, None), (self.costs, "12")):
            self.env.cr.execute("UPDATE account_sync_remote_account SET qbo_id = %s WHERE id = %s", (qbo_id, record.id))

    def _remote_ids(self):
        self.env.invalidate_all()
        return [self.current.remote_id, self.services.remote_id, self.costs.remote_id]

    def test_update_copies_qbo_id_where_remote_id_is_empty(self):
        _migration().migrate(self.env.cr, "18.0.0.3.0")
        self.assertEqual(self._remote_ids(), ["35", False, "77"], "copied; no id stays none; a newer id is kept")

    def test_a_new_install_is_left_alone(self):
        _migration().migrate(self.env.cr, None)
        self.assertEqual(self._remote_ids(), [False, False, "77"])
