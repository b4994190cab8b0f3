"""Where Xero sends the browser back after consent: check the signed state, exchange the code."""

import logging

from odoo import http
from odoo.exceptions import AccessDenied, AccessError
from odoo.http import request
from werkzeug.exceptions import BadRequest, Forbidden

from account_sync.engine.errors import SyncError

from ..models.account_sync_connection import CALLBACK_PATH

_logger = logging.getLogger(__name__)


class XeroOAuthController(http.Controller):
    @http.route(CALLBACK_PATH, type="http", auth="user", methods=["GET"], csrf=False)
    def xero_oauth_callback(self, code=None, state=None, error=None, **kwargs):
        # csrf=False: Xero's redirect is a GET without Odoo's token; the signed ``state`` is the CSRF check
        try:
            connection = request.env["account.sync.connection"]._xero_check_state(state)
        except (AccessDenied, AccessError) as exc:
            raise Forbidden(str(exc)) from exc
        if error or not code:
            connection._fail("disconnected" if connection.state == "disconnected" else "broken", error or "no code")
            return request.redirect(f"/odoo/account.sync.connection/{connection.id}")
        try:
            connection._xero_finish_connect(code)
        except SyncError as exc:
            _logger.warning("Xero connection %s failed: %s", connection.id, exc)
            raise BadRequest(f"Xero refused the connection: {exc}") from exc
        return request.redirect(f"/odoo/account.sync.connection/{connection.id}")
