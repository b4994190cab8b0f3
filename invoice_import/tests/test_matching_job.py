"""A bill matched to a job's purchase order carries the job project's analytic account (jobs: project_job)."""

from odoo.addons.project_job.tests.common import project_with_analytic_account
from odoo.tests import tagged

from .matching_common import MatchingCommon


@tagged("post_install", "-at_install")
class TestJobMatching(MatchingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project, cls.analytic = project_with_analytic_account(cls.env)
        cls.job_type = cls.env["invoice.import.job.type"].create(
            {
                "name": "Installation",
                "labour_income_account_id": cls.company_data["default_account_revenue"].id,
                "materials_income_account_id": cls.company_data["default_account_revenue"].id,
            }
        )
        cls.job = cls.env["project.task"].create(
            {
                "name": "Boiler replacement",
                "project_id": cls.project.id,
                "job_type_id": cls.job_type.id,
                "job_site_address": "12 Market Road, Bristol",
                "job_client_work_order": "WO-8812",
            }
        )

    def test_matched_bill_carries_the_job_cost_to_the_project(self):
        self.company.invoice_import_match_autopost = True
        order = self.purchase([(self.bolts, 12, 8.90), (self.washers, 20, 2.35)], confirm=False)
        order.job_task_id = self.job
        self.assertEqual(order.project_id, self.project)
        order.button_confirm()
        for line in order.order_line:
            line.qty_received = line.product_qty
        bill = self.import_csv(
            "RE-J1", order.name, [("10-2040", "Schrauben", 12, 8.90), ("10-3310", "Scheiben", 10, 2.35)]
        )
        self.assertEqual(bill.state, "posted", bill.invoice_import_document_id.match_report)
        analytic = str(self.analytic.id)
        self.assertTrue(all(line.analytic_distribution == {analytic: 100.0} for line in bill.invoice_line_ids))
        # Odoo's own project profitability counts the bill as a cost of the project
        costs = self.project._get_profitability_items(with_action=False)["costs"]
        purchase_costs = next(item for item in costs["data"] if item["id"] == "purchase_order")
        self.assertAlmostEqual(
            purchase_costs["billed"],
            -bill.currency_id._convert(bill.amount_untaxed, self.project.currency_id, self.company, bill.date),
            places=2,
        )
        # the job sees the bill as its supplier's: its costs are project_job's own tests
        self.assertEqual(self.job.job_supplier_bill_count, 1)
        self.assertAlmostEqual(self.job.job_billed_amount, -bill.amount_untaxed_signed)
