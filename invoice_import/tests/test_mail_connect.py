"""Connect, and what a failing connection leaves on the record, against a real (private) dovecot."""

from odoo.tests import tagged

from .dovecot import Dovecot
from .mail_common import InvoiceImportMailCommon, invoice_mail


@tagged("post_install", "-at_install")
class TestMailConnect(InvoiceImportMailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a dovecot started then stopped: nothing listens on its ports any more (connection refused)
        stopped = Dovecot().start()
        stopped.cleanup()
        cls.stopped = stopped

    def _draft(self, record, **values):
        record.write({"state": "draft", **values})
        return record

    def assertFailure(self, result, server, kind, advice):
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(result["params"]["type"], "danger")
        self.assertIn(advice, result["params"]["message"])
        self.assertEqual(server.state, "draft")
        self.assertEqual(server.last_error_kind, kind)
        self.assertIn(advice, server.last_error)
        self.assertTrue(server.last_error_date)

    def test_connect_confirms_a_working_server_and_clears_the_last_error(self):
        for server in (self.imap, self.pop):
            self._draft(server, last_error="old", last_error_kind="other")
            self.assertIs(server.button_confirm_login(), True)
            self.assertEqual(server.state, "done")
            self.assertFalse(server.last_error)

    def test_wrong_password_is_named(self):
        for server in (self.imap, self.pop):
            self._draft(server, password="not-the-password")
            result = server.button_confirm_login()
            self.assertFailure(result, server, "wrong_credentials", "refused the user name or the password")
            self.assertIn("uthentication failed", server.last_error)  # the server's own words too

    def test_server_down_is_a_wrong_server_or_port(self):
        server = self._draft(self.imap, port=self.stopped.imap_port)
        result = server.button_confirm_login()
        self.assertFailure(result, server, "wrong_server_or_port", "Check the server name and the port")

    def test_ssl_on_a_plain_server_is_a_tls_problem(self):
        server = self._draft(self.pop, is_ssl=True)
        result = server.button_confirm_login()
        self.assertFailure(result, server, "tls", "Untick SSL/TLS")

    def test_unknown_server_name_cannot_be_found(self):
        server = self._draft(self.imap, server="no-such-host.invalid")
        result = server.button_confirm_login()
        self.assertFailure(result, server, "server_not_found", "Check the spelling of the server name")

    def test_scheduled_fetch_with_a_wrong_password_writes_the_error_and_touches_nothing(self):
        self.pop.active = False  # the same mailbox: only the IMAP inbox fetches it here
        self.dovecot.deliver(invoice_mail("GL-9501"))
        self.imap.password = "changed-on-the-server"
        self.env["fetchmail.server"]._fetch_mails()
        self.assertEqual(self.imap.last_error_kind, "wrong_credentials")
        self.assertTrue(self.imap.last_error_date)
        self.assertEqual(self.imap.state, "done")
        self.assertFalse(self.bills_of("accounts@greenleaf.example"))
        [(message_id, flags)] = self.inbox_messages()
        self.assertEqual(message_id, "<GL-9501@greenleaf.example>")
        self.assertNotIn("\\Seen", flags)
        # once the password is right again, the next run imports it and the error goes
        self.imap.password = self.dovecot.password
        self.env["fetchmail.server"]._fetch_mails()
        self.assertEqual(self.bills_of("accounts@greenleaf.example").ref, "GL-9501")
        self.assertFalse(self.imap.last_error)

    def test_scheduled_fetch_of_the_server_down_writes_the_error(self):
        self.pop.port = self.stopped.pop3_port
        self.env["fetchmail.server"]._fetch_mails()
        self.assertEqual(self.pop.last_error_kind, "wrong_server_or_port")

    def test_ordinary_server_keeps_odoos_loop_but_shows_its_errors(self):
        plain = self.env["fetchmail.server"].create(
            {
                "name": "Helpdesk",
                "server_type": "imap",
                "server": self.dovecot.host,
                "port": self.dovecot.imap_port,
                "user": self.dovecot.user,
                "password": "wrong",
                "state": "done",
            }
        )
        plain.fetch_mail(raise_exception=False)
        self.assertEqual(plain.last_error_kind, "wrong_credentials")
        self.assertFalse(self.received())
        plain.password = self.dovecot.password
        plain.fetch_mail(raise_exception=False)
        self.assertFalse(plain.last_error)
