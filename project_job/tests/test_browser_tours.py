"""The job screens in a real browser: Odoo tours in headless Chromium, as the administrator.

Tagged ``iis_browser``: the odoo tier leaves them out and ``tests/odoo_browser_tier.sh`` runs them. Each test
makes its own data, checks in Python the figures the screen should show, then runs a tour of
``static/tests/tours/`` that checks what a user sees. Odoo fails a tour on any console error.
"""

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import JobCommon


@tagged("post_install", "-at_install", "iis_browser")
class TestJobTours(JobCommon, HttpCase):
    def setUp(self):
        super().setUp()
        # the administrator works in the test company, as a user of a new database would in theirs
        self.env.ref("base.user_admin").write(
            {"company_id": self.company.id, "company_ids": [Command.link(self.company.id)]}
        )

    def test_job_supplier_costs(self):
        job = self.job()
        order = self.order(job, [(self.bolts, 12, 8.90), (self.washers, 20, 2.35)], date="2017-03-01")
        bill = self.bill(order, [12, 10], "RE-J1")
        self.assertEqual(job.job_supplier_bill_count, 1)
        # the figures the tour reads, in the company's dollars (2 euros each in the test rates of 2017): 12 x 8.90 +
        # 10 x 2.35 = 130.30 euros billed of 12 x 8.90 + 20 x 2.35 = 153.80 euros ordered; the project has no company
        self.assertFalse(job.company_id)
        self.assertEqual(job.job_currency_id, self.company.currency_id)
        self.assertAlmostEqual(job.job_billed_amount, -bill.amount_untaxed_signed)
        self.assertEqual([round(job.job_billed_amount, 2), round(job.job_ordered_amount, 2)], [65.15, 76.90])
        self.start_tour(f"/odoo/project.task/{job.id}", "project_job_costs", login="admin")

    def test_old_task_gets_a_job_number(self):
        task = self.job(name="Roof inspection")
        self.env.cr.execute("UPDATE project_task SET job_number = NULL WHERE id = %s", [task.id])
        task.invalidate_recordset(["job_number"])
        self.start_tour(f"/odoo/project.task/{task.id}", "project_job_assign_number", login="admin")
        self.assertRegex(task.job_number, r"^JOB-\d{5}$")
