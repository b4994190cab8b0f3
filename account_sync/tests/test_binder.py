"""The binder (local record <-> remote id per connection, as OCA connector's) and the provider registry."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from account_sync.engine.states import RecordKind, SyncState

from .common import MappingCase


@tagged("post_install", "-at_install")
class TestBinder(MappingCase):
    def setUp(self):
        super().setUp()
        self.Binding = self.env["account.sync.binding"].sudo()
        self.partners = self.env["res.partner"].create([{"name": "Harbour Plumbing"}, {"name": "Bolt Supplies"}])

    def test_bind_then_look_up_both_ways(self):
        first, second = self.partners
        binding = self.Binding.bind(self.connection, first, RecordKind.CONTACT, "R-1")
        self.assertEqual((binding.state, binding.kind, binding.origin), (SyncState.SYNCED, "contact", "local"))
        self.assertEqual(self.Binding.to_external(self.connection, self.partners), {first.id: "R-1"})
        self.assertEqual(self.Binding.to_internal(self.connection, "res.partner", "R-1"), first)
        self.assertFalse(self.Binding.to_internal(self.connection, "res.partner", "R-2"), "bound to nothing")
        self.assertFalse(self.Binding.to_internal(self.connection, "account.move", "R-1"), "another model's ids")
        again = self.Binding.bind(self.connection, first, RecordKind.CONTACT, "R-9", origin="remote")
        self.assertEqual(again, binding, "one binding per record and connection: bound again, not twice")
        self.assertEqual(self.Binding._by_remote(self.connection, "res.partner"), {"R-9": binding})
        self.assertEqual(binding.origin, "remote")
        self.assertFalse(self.Binding.to_external(self.connection, second))

    def test_a_deleted_record_is_bound_to_nothing(self):
        first = self.partners[0]
        self.Binding.bind(self.connection, first, RecordKind.CONTACT, "R-1")
        first.unlink()
        self.assertFalse(self.Binding.to_internal(self.connection, "res.partner", "R-1"))
        self.assertTrue(self.Binding._by_remote(self.connection, "res.partner")["R-1"].record_gone)

    def test_a_connection_without_its_provider_addon_says_so(self):
        self.connection.provider = False
        with self.assertRaisesRegex(UserError, "No connector installed"):
            self.connection._provider()
        self.assertEqual(self.env["account.sync.provider"]._document_extras(self.connection, None), {})
