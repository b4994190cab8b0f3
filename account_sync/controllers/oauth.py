"""What every provider's OAuth callback does once it has the provider's answer.

The routes stay in the provider addons (each has its own redirect URI and
parameters); the checks and outcomes are the same for all, so they live here.
"""

import logging

from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.http import request
from werkzeug.exceptions import BadRequest, Forbidden

from account_sync.engine.errors import SyncError

_logger = logging.getLogger(__name__)


def finish_oauth_callback(provider, state, code, error, finish):
    """Check the signed ``state``, then let ``finish(connection)`` exchange ``code``; redirect to the connection.

    A forged, foreign or stale state is a 403; a refusal at consent (``error``) or a missing code leaves
    the connection as it was, with the reason; a provider refusing the exchange is a 400 with its words.
    """
    # csrf=False on the routes: the provider's redirect is a GET without Odoo's token; ``state`` is the check
    try:
        connection = request.env["account.sync.connection"]._oauth_check_state(state, provider)
    except (AccessDenied, AccessError) as exc:
        raise Forbidden(str(exc)) from exc
    if error or not code:
        connection._fail("disconnected" if connection.state == "disconnected" else "broken", error or "no code")
        return request.redirect(f"/odoo/account.sync.connection/{connection.id}")
    try:
        finish(connection)
    except (SyncError, UserError) as exc:
        label = dict(connection._fields["provider"]._description_selection(request.env))[provider]
        _logger.warning("%s connection %s failed: %s", label, connection.id, exc)
        raise BadRequest(f"{label} refused the connection: {exc}") from exc
    return request.redirect(f"/odoo/account.sync.connection/{connection.id}")
