"""Where Intuit sends the browser back after consent, naming the company (realm) chosen."""

from odoo import http
from odoo.addons.account_sync.controllers.oauth import finish_oauth_callback

from ..models.account_sync_connection import CALLBACK_PATH


class QboOAuthController(http.Controller):
    @http.route(CALLBACK_PATH, type="http", auth="user", methods=["GET"], csrf=False)
    def qbo_oauth_callback(self, code=None, state=None, realmId=None, error=None, **kwargs):  # noqa: N803 - Intuit's name
        return finish_oauth_callback(
            "qbo",
            state,
            code,
            error,
            lambda connection, store: connection._qbo_finish_connect(code, realmId, store),
            extra=realmId or "",
        )
