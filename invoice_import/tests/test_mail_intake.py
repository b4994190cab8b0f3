"""The supplier invoice inbox against a real IMAP/POP server (a private dovecot)."""

from unittest.mock import patch

from odoo.tests import tagged

from .mail_common import BAD_CHARSET, BROKEN_MIME, InvoiceImportMailCommon, invoice_mail

GREENLEAF = "accounts@greenleaf.example"


class WorkerKilled(BaseException):
    """What a killed worker looks like to the code it was running: nothing catches it."""


@tagged("post_install", "-at_install")
class TestMailIntake(InvoiceImportMailCommon):
    def test_imap_mails_become_bills_and_leave_the_server_after_commit(self):
        self.dovecot.deliver(invoice_mail("GL-1001"), invoice_mail("GL-1002"))
        self.imap.fetch_mail()
        bills = self.bills_of(GREENLEAF)
        self.assertEqual(sorted(bills.mapped("ref")), ["GL-1001", "GL-1002"])
        self.assertEqual(bills.journal_id, self.journal)
        self.assertEqual(self.inbox_messages(), [])
        # each mail's outcome was committed while the mail was still on the server, unread
        self.assertEqual([len(state) for state in self.commits[:2]], [2, 1])
        self.assertNotIn("\\Seen", self.commits[0][0][1])
        self.assertEqual(self.received().mapped("state"), ["imported", "imported"])
        self.assertFalse(self.imap.last_error)

    def test_pop_mails_become_bills_and_are_deleted(self):
        self.dovecot.deliver(invoice_mail("GL-2001"), invoice_mail("GL-2002"))
        self.pop.fetch_mail()
        self.assertEqual(sorted(self.bills_of(GREENLEAF).mapped("ref")), ["GL-2001", "GL-2002"])
        self.assertEqual(self.inbox_messages(), [])

    def _assert_poison_kept(self, count):
        failed = self.failed_documents()
        self.assertEqual(len(failed), count)
        self.assertEqual(set(failed.mapped("state")), {"failed"})
        for document in failed:
            self.assertEqual(document.attachment_id.mimetype, "message/rfc822")
            self.assertIn(b"broken@mailer.example", document.attachment_id.raw)
            self.assertTrue(document.error_message)
        self.assertEqual(self.review_activities(failed).user_id, self.reviewer)
        self.assertEqual(len(self.review_activities(failed)), count)

    def test_imap_poison_mails_do_not_block_the_next_and_are_kept(self):
        self.dovecot.deliver(BAD_CHARSET % 1, BROKEN_MIME % 1, invoice_mail("GL-3001"))
        self.imap.fetch_mail()
        self.assertEqual(self.bills_of(GREENLEAF).ref, "GL-3001")
        self._assert_poison_kept(2)
        self.assertIn("x-no-such-charset", self.failed_documents()[0].error_message)
        self.assertEqual(self.inbox_messages(), [])

    def test_processing_exception_is_a_failed_document_not_a_lost_mail(self):
        self.dovecot.deliver(invoice_mail("GL-3101"), invoice_mail("GL-3102"))
        Move = type(self.env["account.move"])
        original = Move.message_new

        def message_new(model, msg_dict, custom_values=None):
            if "GL-3101" in msg_dict.get("subject", ""):
                raise RuntimeError("the database said no")
            return original(model, msg_dict, custom_values)

        with patch.object(Move, "message_new", message_new):
            self.imap.fetch_mail()
        self.assertEqual(self.bills_of(GREENLEAF).ref, "GL-3102")
        failed = self.failed_documents()
        self.assertEqual(len(failed), 1)
        self.assertIn("the database said no", failed.error_message)
        self.assertIn(b"GL-3101", failed.attachment_id.raw)
        # the half-made bill of the failed mail was rolled back
        self.assertFalse(self.env["account.move"].search([("ref", "=", "GL-3101")]))

    def test_pop_more_than_fifty_poison_mails_do_not_block_the_next(self):
        self.dovecot.deliver(*[BAD_CHARSET % i for i in range(51)], invoice_mail("GL-4001"))
        self.pop.fetch_mail()
        self.assertEqual(self.bills_of(GREENLEAF).ref, "GL-4001")
        self.assertEqual(len(self.failed_documents()), 51)
        self.assertEqual(self.inbox_messages(), [])

    def _kill_during(self, server, subject):
        """Fetch, the worker dying while the mail ``subject`` is being processed."""
        Move = type(self.env["account.move"])
        original = Move.message_new

        def message_new(model, msg_dict, custom_values=None):
            move = original(model, msg_dict, custom_values)
            if subject in msg_dict.get("subject", ""):
                raise WorkerKilled()
            return move

        # not assertRaises: Odoo's rolls back everything done inside it, the committed first mail included
        try:
            with patch.object(Move, "message_new", message_new):
                server.fetch_mail()
        except WorkerKilled:
            pass
        else:
            self.fail("the worker was not killed")

    def test_imap_worker_killed_mid_mail_loses_nothing_and_imports_once(self):
        self.dovecot.deliver(invoice_mail("GL-5001"), invoice_mail("GL-5002"), invoice_mail("GL-5003"))
        self._kill_during(self.imap, "GL-5002")
        self.assertEqual(self.bills_of(GREENLEAF).mapped("ref"), ["GL-5001"])
        remaining = self.inbox_messages()
        self.assertEqual(
            [mid for mid, _flags in remaining], ["<GL-5002@greenleaf.example>", "<GL-5003@greenleaf.example>"]
        )
        self.assertFalse(any("\\Seen" in flags or "\\Deleted" in flags for _mid, flags in remaining))
        self.imap.fetch_mail()
        self.assertEqual(sorted(self.bills_of(GREENLEAF).mapped("ref")), ["GL-5001", "GL-5002", "GL-5003"])
        self.assertEqual(self.inbox_messages(), [])

    def test_pop_worker_killed_mid_mail_loses_nothing_and_imports_once(self):
        self.dovecot.deliver(invoice_mail("GL-5101"), invoice_mail("GL-5102"))
        self._kill_during(self.pop, "GL-5102")
        self.assertEqual(self.bills_of(GREENLEAF).mapped("ref"), ["GL-5101"])
        # no QUIT: the DELE of the first mail never took effect, both are still there
        self.assertEqual(len(self.inbox_messages()), 2)
        self.pop.fetch_mail()
        self.assertEqual(sorted(self.bills_of(GREENLEAF).mapped("ref")), ["GL-5101", "GL-5102"])
        self.assertEqual(self.inbox_messages(), [])

    def test_same_mail_delivered_twice_gives_one_bill(self):
        with_id = invoice_mail("GL-6001")
        without_id = invoice_mail("GL-6002", message_id=False)
        self.dovecot.deliver(with_id, without_id, with_id, without_id)
        self.imap.fetch_mail()
        self.dovecot.deliver(without_id)
        self.pop.fetch_mail()
        self.assertEqual(sorted(self.bills_of(GREENLEAF).mapped("ref")), ["GL-6001", "GL-6002"])
        self.assertEqual(len(self.received()), 2)
        self.assertEqual(self.inbox_messages(), [])

    def test_oversized_mail_is_reported_once_and_not_downloaded(self):
        self.imap.invoice_import_max_size = 1
        big = invoice_mail("GL-7001").replace(b"Please find", b"X" * (1100 * 1024) + b"\nPlease find", 1)
        self.dovecot.deliver(big, invoice_mail("GL-7002"))
        fetched = []
        original = type(self.imap)._invoice_import_take

        def take(server, raw):
            fetched.append(raw)
            return original(server, raw)

        with patch.object(type(self.imap), "_invoice_import_take", take):
            self.imap.fetch_mail()
            self.imap.fetch_mail()
        self.assertEqual(len(fetched), 1)  # only the small one was downloaded
        self.assertEqual(self.bills_of(GREENLEAF).ref, "GL-7002")
        failed = self.failed_documents()
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed.error_code, "mail_too_large")
        self.assertIn("over the limit of 1 MB", failed.error_message)
        self.assertEqual(self.review_activities(failed).user_id, self.reviewer)
        self.assertEqual([mid for mid, _flags in self.inbox_messages()], ["<GL-7001@greenleaf.example>"])
        # with a higher limit, the same mail is imported (its report was no import)
        self.imap.invoice_import_max_size = 5
        self.imap.fetch_mail()
        self.assertEqual(sorted(self.bills_of(GREENLEAF).mapped("ref")), ["GL-7001", "GL-7002"])
        self.assertEqual(self.inbox_messages(), [])

    def test_address_in_the_display_name_is_not_trusted(self):
        self.env["invoice.import.sender"].create({"email": "supplier@good.example", "partner_id": self.acme.id})
        self.dovecot.deliver(
            invoice_mail("GL-8001", sender="supplier@good.example <evil@bad.example>"),
            invoice_mail("GL-8002", sender='"supplier@good.example" <evil@bad.example>'),
            invoice_mail("GL-8003", sender="Good <supplier@good.example>"),
        )
        self.imap.fetch_mail()
        spoofed = self.bills_of("evil@bad.example")
        self.assertEqual(sorted(spoofed.mapped("ref")), ["GL-8001", "GL-8002"])
        self.assertNotIn(self.acme, spoofed.partner_id)
        self.assertEqual(set(spoofed.invoice_import_document_id.mapped("sender_email")), {"evil@bad.example"})
        genuine = self.bills_of("supplier@good.example")
        self.assertEqual(genuine.ref, "GL-8003")
        self.assertEqual(genuine.partner_id, self.acme)
        self.assertEqual(genuine.invoice_import_document_id.partner_match, "sender")

    def test_processed_mail_is_moved_to_the_folder_and_a_copy_forwarded(self):
        self.dovecot.create_mailbox("Processed")
        self.imap.write({"invoice_import_folder": "Processed", "invoice_import_forward_to": "archive@example.com"})
        sent = self.capture_outgoing()
        self.dovecot.deliver(invoice_mail("GL-9001"))
        self.imap.fetch_mail()
        self.assertEqual(self.bills_of(GREENLEAF).ref, "GL-9001")
        self.assertEqual(self.inbox_messages(), [])
        self.assertEqual([mid for mid, _flags in self.inbox_messages("Processed")], ["<GL-9001@greenleaf.example>"])
        forwarded = [message for message in sent if message["To"] == "archive@example.com"]
        self.assertEqual(len(forwarded), 1)
        attachment = next(forwarded[0].iter_attachments())
        self.assertEqual(attachment.get_content_type(), "message/rfc822")
        self.assertIn("GL-9001", attachment.as_string())

    def test_mail_without_attachment_is_a_failed_document(self):
        self.dovecot.deliver(
            b"From: Someone <someone@nowhere.example>\nSubject: hello\nMessage-Id: <hello@nowhere.example>\n\nhi\n"
        )
        self.pop.fetch_mail()
        failed = self.failed_documents()
        self.assertEqual(failed.error_code, "no_attachment")
        self.assertEqual(failed.sender_email, "someone@nowhere.example")
        self.assertIn(b"Subject: hello", failed.attachment_id.raw)
