"""QuickBooks' OAuth callback through the real route, answered once per state (the fake Intuit refuses a
code exchanged twice with ``invalid_grant``)."""

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import requests
from odoo.tests import tagged

from .test_qbo_flow import QboFlowCase


@tagged("post_install", "-at_install")
class TestQboCallback(QboFlowCase):
    def _callback(self):
        self.authenticate("admin", "admin")
        action = self.connection.with_user(self.admin).action_connect()
        consent = requests.get(action["url"], allow_redirects=False, timeout=10)
        self.assertEqual(consent.status_code, 302, consent.text[:300])
        return consent.headers["Location"]

    def test_the_same_answer_again_finds_the_grant_another_is_refused(self):
        callback = self._callback()
        first = self.url_open(callback, allow_redirects=False)
        self.assertIn(first.status_code, (302, 303), first.text[:300])
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "connected")
        realm, refresh = self.connection.tenant_id, self.connection.sudo().refresh_token
        # a retried request (Odoo after a serialization failure, a reload): no second exchange, no 400
        again = self.url_open(callback, allow_redirects=False)
        self.assertIn(again.status_code, (302, 303), again.text[:300])
        self.env.invalidate_all()
        self.assertEqual(self.connection.sudo().refresh_token, refresh)
        self.assertEqual(self.fake.oauth.live_refresh_tokens(realm), [refresh], "one grant, not two")
        # the same state with another company (realm): a replay, refused, nothing changed
        parts = urlsplit(callback)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        other = urlunsplit(parts._replace(query=urlencode({**query, "realmId": "999999"})))
        self.assertEqual(self.url_open(other, allow_redirects=False).status_code, 403)
        self.env.invalidate_all()
        self.assertEqual((self.connection.tenant_id, self.connection.state), (realm, "connected"))
