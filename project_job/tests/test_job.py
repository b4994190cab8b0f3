"""Jobs: numbered by sequence (old tasks on demand), their orders take the job's project, and what the
job's suppliers billed against what was ordered, both in the company's currency at their documents' rates."""

from odoo import Command
from odoo.tests import tagged

from .common import JobCommon, project_with_analytic_account


@tagged("post_install", "-at_install")
class TestJobNumbers(JobCommon):
    def test_jobs_are_numbered_by_sequence(self):
        job = self.job(job_site_address="12 Market Road, Bristol", job_client_work_order="WO-8812")
        other = job.copy({"name": "Second job"})
        self.assertRegex(job.job_number, r"^JOB-\d{5}$")
        self.assertRegex(other.job_number, r"^JOB-\d{5}$")
        self.assertNotEqual(other.job_number, job.job_number)

    def _old_tasks(self, count):
        """Tasks as they are when the addon is installed on a database that had them: no job number."""
        tasks = self.env["project.task"]
        for index in range(count):
            tasks |= self.job(name=f"Old task {index}")
        self.env.cr.execute("UPDATE project_task SET job_number = NULL WHERE id IN %s", [tuple(tasks.ids)])
        tasks.invalidate_recordset(["job_number"])
        self.assertFalse(any(tasks.mapped("job_number")))
        return tasks

    def test_old_tasks_get_a_job_number_on_demand(self):
        first, second = self._old_tasks(2)
        numbered = self.job(name="New task")
        kept = numbered.job_number
        project_user = self.env["res.users"].create(
            {
                "name": "Paul Project",
                "login": "paul.project",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [Command.set([self.env.ref("project.group_project_user").id])],
            }
        )
        # the button on the task, as a project user: the next numbers, oldest task first
        (second | numbered | first).with_user(project_user).action_assign_job_number()
        self.assertEqual(numbered.job_number, kept, "a task that has a number keeps it")
        self.assertRegex(first.job_number, r"^JOB-\d{5}$")
        self.assertLess(first.job_number, second.job_number, "numbered in the order the tasks were created")
        self.assertGreater(first.job_number, kept, "the sequence goes on: no number given twice")
        # the action of the task list, bound to it for project users
        third = self._old_tasks(1)
        action = self.env.ref("project_job.project_task_action_assign_job_number")
        self.assertEqual(action.binding_model_id.model, "project.task")
        self.assertIn(self.env.ref("project.group_project_user"), action.groups_id)
        action.with_context(active_model="project.task", active_ids=third.ids).run()
        self.assertGreater(third.job_number, second.job_number)


@tagged("post_install", "-at_install")
class TestJobCosts(JobCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project, cls.analytic = project_with_analytic_account(cls.env)

    def test_order_takes_the_jobs_project(self):
        job = self.job(self.project)
        order = self.order(job, [(self.bolts, 12, 8.90)])
        self.assertEqual(order.project_id, self.project)
        self.assertEqual(order.order_line._job_analytic_distribution(), {str(self.analytic.id): 100})
        # chosen on the form, the job brings its project too
        draft = self.env["purchase.order"].new({"partner_id": self.acme.id, "job_task_id": job.id})
        draft._onchange_job_task_id()
        self.assertEqual(draft.project_id, self.project)
        other = self.env["project.project"].create({"name": "Elsewhere"})
        order.write({"job_task_id": job.id, "project_id": other.id})
        self.assertEqual(order.project_id, other, "a project given with the job wins")

    def test_billed_and_ordered_in_company_currency_at_each_documents_rate(self):
        job = self.job(self.project)
        # ordered in 2016 (3 euros a dollar), billed in 2017 (2 euros a dollar): 12 bolts at 8.90 and 20
        # washers at 2.35 = 153.80 euros ordered, 12 bolts and 10 washers = 130.30 euros billed
        order = self.order(job, [(self.bolts, 12, 8.90), (self.washers, 20, 2.35)], date="2016-06-01")
        bill = self.bill(order, [12, 10], "RE-J1", date="2017-06-01")
        other_supplier = self.env["res.partner"].create({"name": "Other supplier"})
        other_order = self.order(job, [(self.bolts, 1, 30.0)], partner=other_supplier, date="2017-03-01")
        self.assertEqual(self.company.currency_id.name, "USD")

        bolts, washers = order.order_line
        self.assertEqual([bolts.job_ordered_amount, washers.job_ordered_amount], [35.60, 15.67])  # / 3
        self.assertEqual([bolts.job_billed_amount, washers.job_billed_amount], [53.40, 11.75])  # / 2
        self.assertAlmostEqual(bolts.job_ordered_amount + washers.job_ordered_amount, order.amount_total_cc)
        self.assertAlmostEqual(bolts.job_billed_amount + washers.job_billed_amount, -bill.amount_untaxed_signed)
        self.assertEqual(other_order.order_line.job_ordered_amount, 15.0)
        # the job: the sums, in the company's dollars
        self.assertEqual(job.job_currency_id, self.company.currency_id)
        self.assertAlmostEqual(job.job_ordered_amount, 35.60 + 15.67 + 15.0)
        self.assertAlmostEqual(job.job_billed_amount, 65.15)
        self.assertEqual(job.job_supplier_bill_count, 1)

        # the smart buttons: the job's supplier bills; ordered vs billed per supplier and per line
        action = job.action_job_supplier_bills()
        self.assertEqual(self.env["account.move"].search(action["domain"]), bill)
        action = job.action_job_ordered_vs_billed()
        self.assertEqual(action["context"]["group_by"], ["partner_id"])
        groups = self.env["purchase.order.line"].read_group(
            action["domain"], ["job_ordered_amount:sum", "job_billed_amount:sum"], ["partner_id"]
        )
        by_supplier = {group["partner_id"][0]: group for group in groups}
        self.assertEqual(set(by_supplier), {self.acme.id, other_supplier.id})
        self.assertAlmostEqual(by_supplier[self.acme.id]["job_ordered_amount"], 51.27)
        self.assertAlmostEqual(by_supplier[self.acme.id]["job_billed_amount"], 65.15)
        self.assertAlmostEqual(by_supplier[other_supplier.id]["job_billed_amount"], 0.0)
        self.assertEqual(washers.qty_invoiced, 10)
        # the detail list shows both amounts as money in the company's currency
        view = self.env["purchase.order.line"].get_view(action["views"][0][0], "list")
        fields = self.env["purchase.order.line"].fields_get(["job_ordered_amount", "job_billed_amount"])
        self.assertEqual({f["type"] for f in fields.values()}, {"monetary"})
        self.assertEqual({f["currency_field"] for f in fields.values()}, {"company_currency_id"})
        self.assertIn('name="company_currency_id"', view["arch"])
