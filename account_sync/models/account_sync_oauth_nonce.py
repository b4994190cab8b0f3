"""Each OAuth ``state`` is answered once: the record of states already used and what came of them.

The signed ``state`` (``account.sync.connection._oauth_state``) is fresh for 15 minutes; without this
record the same link could be replayed in that window to swap the token pair or, with ``error=…``, to
mark the connection broken. The row is written in the same transaction as the tokens and the grant, so a
request that Odoo retries after a serialization failure finds the grant stored and exchanges nothing.
"""

import datetime
import hashlib

from odoo import api, fields, models

KEEP = datetime.timedelta(days=2)  # far longer than a state lives (15 minutes)


def answer_digest(code, error, extra=""):
    """A digest of the provider's answer: the same answer again is a retry, another one a replay.

    >>> same, other = answer_digest("abc", None), answer_digest("abd", None)
    >>> same == answer_digest("abc", None), same == other
    (True, False)
    """
    text = "\0".join([code or "", error or "", extra or ""])
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


class AccountSyncOauthNonce(models.Model):
    _name = "account.sync.oauth.nonce"
    _description = "OAuth state already used"
    _order = "id desc"

    nonce = fields.Char(required=True, index=True)
    connection_id = fields.Many2one("account.sync.connection", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    answer_digest = fields.Char(required=True)
    outcome = fields.Selection(
        [("connected", "Connected"), ("refused", "Consent refused"), ("failed", "Exchange failed")], required=True
    )
    message = fields.Text()

    _sql_constraints = [("nonce_uniq", "unique(nonce)", "An OAuth state is used once.")]

    @api.autovacuum
    def _gc_used_states(self):
        """States expire after 15 minutes; their record is kept two days for the administrator, then dropped."""
        self.sudo().search([("create_date", "<", fields.Datetime.now() - KEEP)]).unlink()
