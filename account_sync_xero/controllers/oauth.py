"""Where Xero sends the browser back after consent."""

from odoo import http
from odoo.addons.account_sync.controllers.oauth import finish_oauth_callback

from ..models.account_sync_connection import CALLBACK_PATH


class XeroOAuthController(http.Controller):
    @http.route(CALLBACK_PATH, type="http", auth="user", methods=["GET"], csrf=False)
    def xero_oauth_callback(self, code=None, state=None, error=None, **kwargs):
        return finish_oauth_callback(
            "xero", state, code, error, lambda connection, store: connection._xero_finish_connect(code, store)
        )
