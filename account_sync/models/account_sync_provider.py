"""The accounting packages the sync knows: one abstract model of hooks, one model per provider addon.

As Odoo's ``google.calendar.sync`` leaves to each synced model the hooks that say how its records map to
Google's, this model leaves to each provider what only it knows, and the base (``account.sync.connection``,
``sync_mapper.SyncRun``) does everything else once: what to push and when, in which order, bindings,
logs, errors, pulled payments.  A provider addon

- adds its code to ``account.sync.connection.provider`` (``selection_add``);
- defines ``account.sync.provider.<code>``, inheriting this model, with at least ``_client``,
  ``_authorize`` and ``_revoke``;
- ships an engine client implementing ``account_sync.engine.provider.Provider``.

The connection finds its provider by code (``account.sync.connection._provider()``), so no method of the
base ever asks which provider it runs for.
"""

from odoo import _, models
from odoo.exceptions import UserError


class AccountSyncProvider(models.AbstractModel):
    _name = "account.sync.provider"
    _description = "Accounting package (sync provider hooks)"

    # --- required -----------------------------------------------------------------------------------------

    def _client(self, connection):
        """The engine client (an ``account_sync.engine.provider.Provider``) for ``connection``'s ledger,
        with its account and tax mapping; raises ``ReconnectRequired`` when nothing is connected."""
        raise NotImplementedError

    def _authorize(self, connection):
        """The action that sends the user to the provider's consent screen (OAuth2 ``state`` from
        ``connection._oauth_state()``)."""
        raise UserError(_("No connector installed for %s.", connection.provider))

    def _revoke(self, connection):
        """Give the grant back to the provider (Disconnect); the base forgets it locally afterwards."""
        raise NotImplementedError

    # --- optional -----------------------------------------------------------------------------------------

    def _document_extras(self, connection, move):
        """What this provider sends with a document besides the neutral fields (``Document.extras``)."""
        return {}

    def _contacts_pulled(self, connection, contacts):
        """Before the customer import creates partners for ``contacts`` (neutral, pulled): e.g. bind
        existing partners to them instead."""

    def _contacts_imported(self, connection, contacts):
        """After the customer import: e.g. refresh the imported partners from the fuller remote record."""
