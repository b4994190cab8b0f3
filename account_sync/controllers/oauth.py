"""What every provider's OAuth callback does once it has the provider's answer.

The routes stay in the provider addons (each has its own redirect URI and
parameters); the checks and outcomes are the same for all, so they live here.
"""

import logging

from odoo.exceptions import AccessDenied, AccessError
from odoo.http import request
from werkzeug.exceptions import BadRequest, Forbidden

_logger = logging.getLogger(__name__)


def finish_oauth_callback(provider, state, code, error, finish, extra=""):
    """Check the signed ``state``, then let ``finish(connection, store)`` exchange ``code``, once per state.

    A forged, foreign or stale state is a 403, and so is a state answered already with another answer (a
    replay); the same answer again (Odoo retrying the request after a serialization failure, a reload)
    finds the first outcome and redirects. A refusal at consent (``error``) or a missing code leaves the
    connection's state as it was, with the reason; a provider refusing the exchange is a 400 with its
    words. ``extra`` is whatever else of the answer identifies it (QuickBooks' realm).
    """
    # csrf=False on the routes: the provider's redirect is a GET without Odoo's token; ``state`` is the check
    try:
        connection, nonce = request.env["account.sync.connection"]._oauth_check_state(state, provider)
    except (AccessDenied, AccessError) as exc:
        raise Forbidden(str(exc)) from exc
    outcome, message = connection._oauth_finish(nonce, code, error, finish, extra=extra)
    if outcome == "used":
        raise Forbidden(message)
    if outcome == "failed":
        _logger.warning("connection %s failed: %s", connection.id, message)
        raise BadRequest(message)
    return request.redirect(f"/odoo/account.sync.connection/{connection.id}")
