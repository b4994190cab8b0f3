"""Where Intuit sends the browser back after consent: check the signed state, exchange the code, keep the realm."""

import logging

from odoo import http
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.http import request
from werkzeug.exceptions import BadRequest, Forbidden

from account_sync.engine.errors import SyncError

from ..models.account_sync_connection import CALLBACK_PATH

_logger = logging.getLogger(__name__)


class QboOAuthController(http.Controller):
    @http.route(CALLBACK_PATH, type="http", auth="user", methods=["GET"], csrf=False)
    def qbo_oauth_callback(self, code=None, state=None, realmId=None, error=None, **kwargs):  # noqa: N803 - Intuit's name
        # csrf=False: Intuit's redirect is a GET without Odoo's token; the signed ``state`` is the CSRF check
        try:
            connection = request.env["account.sync.connection"]._qbo_check_state(state)
        except (AccessDenied, AccessError) as exc:
            raise Forbidden(str(exc)) from exc
        if error or not code:
            connection._fail("disconnected" if connection.state == "disconnected" else "broken", error or "no code")
            return request.redirect(f"/odoo/account.sync.connection/{connection.id}")
        try:
            connection._qbo_finish_connect(code, realmId)
        except (SyncError, UserError) as exc:
            _logger.warning("QuickBooks connection %s failed: %s", connection.id, exc)
            raise BadRequest(f"QuickBooks refused the connection: {exc}") from exc
        return request.redirect(f"/odoo/account.sync.connection/{connection.id}")
