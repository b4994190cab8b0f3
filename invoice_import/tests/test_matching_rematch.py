"""Bills waiting for a purchase order or a receipt are matched again; several workers never share a bill."""

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import SQL

from .committed_documents import commit_documents
from .matching_common import MatchingCommon


@tagged("post_install", "-at_install")
class TestRematching(MatchingCommon):
    def test_late_purchase_order_is_matched_when_confirmed_and_received(self):
        self.company.invoice_import_match_autopost = True
        order = self.purchase([(self.bolts, 12, 8.90)], confirm=False)
        bill = self.import_csv("RE-L1", order.name, [("10-2040", "Schrauben", 12, 8.90)])
        document = bill.invoice_import_document_id
        self.assertEqual(document.match_state, "waiting")
        self.assertFalse(bill.invoice_line_ids.purchase_line_id)
        self.assertEqual(document.state, "to_review")
        order.button_confirm()  # confirmed, not received: linked, still waiting for the goods
        self.assertEqual(document.match_state, "waiting")
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
        order.order_line.qty_received = 12
        self.assertEqual(document.match_state, "matched")
        self.assertEqual(bill.state, "posted")
        self.assertEqual(order.order_line.qty_invoiced, 12)

    def test_scheduled_action_matches_what_no_trigger_announced(self):
        order = self.purchase([(self.bolts, 12, 8.90)], received=False)
        bill = self.import_csv("RE-L2", order.name, [("10-2040", "Schrauben", 12, 8.90)])
        document = bill.invoice_import_document_id
        self.assertEqual(document.match_state, "waiting")
        # a receipt recorded without going through the ORM's write (as a stock picking recomputes it)
        self.env.execute_query(
            SQL(
                "UPDATE purchase_order_line SET qty_received = 12, qty_received_manual = 12 WHERE id = %s",
                order.order_line.id,
            )
        )
        self.env.invalidate_all()
        # matched just now: the hourly action leaves it for the next run
        self.assertNotIn(document, self.env["invoice.import.document"]._cron_rematch())
        document.match_date = "2024-01-01 00:00:00"
        cron = self.env.ref("invoice_import.ir_cron_invoice_import_rematch")
        self.assertEqual(cron.code.strip(), "model._cron_rematch()")
        done = self.env["invoice.import.document"]._cron_rematch()
        self.assertIn(document, done)
        self.assertEqual(document.match_state, "matched")
        # nothing left waiting: a second run takes nothing
        self.assertFalse(self.env["invoice.import.document"]._cron_rematch())

    def test_bill_confirmed_by_hand_leaves_the_queue(self):
        order = self.purchase([(self.bolts, 12, 8.90)], received=False)
        bill = self.import_csv("RE-L3", order.name, [("10-2040", "Schrauben", 12, 8.90)])
        bill.action_post()
        bill.invoice_import_document_id.match_date = "2024-01-01 00:00:00"
        self.env["invoice.import.document"]._cron_rematch()
        self.assertFalse(bill.invoice_import_document_id.match_state)


@tagged("post_install", "-at_install")
class TestRematchConcurrency(MatchingCommon):
    """Two workers on two real database connections (the test's own cursor cannot show locks)."""

    def test_two_workers_take_disjoint_bills_without_waiting(self):
        ids = commit_documents(self, 4, "concurrency", state="to_review", match_state="waiting")
        with db_connect(self.env.cr.dbname).cursor() as cr_a, db_connect(self.env.cr.dbname).cursor() as cr_b:
            # a worker that found itself blocked would hang the test: fail fast instead
            cr_b.execute("SET lock_timeout = '2s'")
            worker_a = api.Environment(cr_a, SUPERUSER_ID, {})["invoice.import.document"]
            worker_b = api.Environment(cr_b, SUPERUSER_ID, {})["invoice.import.document"]
            taken_a = worker_a._lock_waiting(limit=2)
            taken_b = worker_b._cron_rematch()  # runs while A holds its two
            self.assertEqual(len(taken_a), 2)
            self.assertEqual(set(taken_a.ids) | set(taken_b.ids), set(ids))
            self.assertFalse(set(taken_a.ids) & set(taken_b.ids), "a bill was processed by both workers")
            cr_b.commit()
            # B is done; A processes its own, and nothing is left for anyone
            taken_a._rematch()
            cr_a.commit()
            self.assertFalse(worker_b._lock_waiting())
        with db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM invoice_import_document WHERE id = ANY(%s) AND match_state IS NULL", (ids,)
            )
            self.assertEqual(cr.fetchone()[0], 4)
