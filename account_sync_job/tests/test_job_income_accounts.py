"""A job's type chooses the income accounts its invoice lines are pushed to, below a product override."""

from odoo.addons.account_sync.models import sync_mapper
from odoo.addons.account_sync.tests.common import MappingCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestJobIncomeAccounts(MappingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.job_type = cls.env["invoice.import.job.type"].create(
            {"name": "Maintenance", "account_sync_labour_income_account_id": cls.remote[("account", "220")].id}
        )
        cls.job = cls.env["project.task"].create(
            {
                "name": "Boiler service",
                "project_id": cls.env["project.project"].create({"name": "Harbour"}).id,
                "job_type_id": cls.job_type.id,
            }
        )

    def _codes(self, move):
        return [line.account_code for line in sync_mapper.document(self.connection, move, {})[1].lines]

    def test_job_found_from_the_source_document_and_its_type_overrides(self):
        move = self._invoice(invoice_origin=self.job.job_number)
        move.action_post()
        self.assertEqual(move.job_task_id, self.job, "the job number in the source document names the job")
        self.assertEqual(self._codes(move), ["220", "200"], "labour from the job type, materials default")
        self.job_type.account_sync_materials_income_account_id = self.remote[("account", "230")]
        self.assertEqual(self._codes(move), ["220", "230"])
        self.service.product_tmpl_id.account_sync_income_account_id = self.remote[("account", "260")]
        self.assertEqual(self._codes(move), ["260", "230"], "a product override comes before the job type")

    def test_job_type_in_summary_mode_and_other_company(self):
        self.connection.line_mode = "summary"
        move = self._invoice(invoice_origin="no such job")
        move.action_post()
        self.assertFalse(move.job_task_id)
        self.assertEqual(self._codes(move), ["200"])
        move.button_draft()
        move.job_task_id = self.job  # picked by hand
        move.action_post()
        self.job_type.account_sync_materials_income_account_id = self.remote[("account", "230")]
        self.assertEqual(self._codes(move), ["230"], "mixed lines: the job type's materials account")
        # the accounts are per company: another company's job type value is not this connection's
        other = self.env["res.company"].create({"name": "Other Co"})
        self.job_type.with_company(other).account_sync_materials_income_account_id = False
        self.assertEqual(self._codes(move), ["230"])

    def test_the_four_invoice_reference_choices(self):
        """Site address and client work order are the job's own, not the invoice's delivery address or
        payment reference."""
        self.job.write({"job_site_address": "4 Harbour Road\n\nPort Chalmers 9023", "job_client_work_order": "WO-5521"})
        move = self._invoice(invoice_origin=self.job.job_number, ref="PO-778")
        move.action_post()
        move.payment_reference = "Pay ref, not a work order"
        expected = {
            "origin": self.job.job_number,
            "ref": "PO-778",
            "site": "4 Harbour Road, Port Chalmers 9023",
            "payment_reference": "WO-5521",
        }
        for choice, reference in expected.items():
            self.connection.invoice_reference_field = choice
            self.assertEqual(sync_mapper.document(self.connection, move, {})[1].reference, reference, choice)
        move.button_draft()
        move.job_task_id = False  # an invoice without a job has no site or work order to send
        move.action_post()
        self.assertEqual(sync_mapper.document(self.connection, move, {})[1].reference, "")
