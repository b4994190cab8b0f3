"""The take-over of the job records that invoice_import held before jobs had an addon of their own.

The whole upgrade is proven by tests/odoo_migration.sh on a database of the previous invoice_import; this
checks, in the ordinary tier, that the hook finds every record of this addon from its data files and classes.
"""

from odoo.tests import TransactionCase, tagged

from ..hooks import take_over_from_previous_module

NEW_IN_THIS_ADDON = ("project_task_action_assign_job_number",)


@tagged("post_install", "-at_install")
class TestTakeOver(TransactionCase):
    def _rows(self, module):
        self.env.cr.execute("SELECT name, model, res_id FROM ir_model_data WHERE module = %s", [module])
        return {name: (model, res_id) for name, model, res_id in self.env.cr.fetchall()}

    def _constraint_module(self):
        self.env.cr.execute(
            "SELECT m.name FROM ir_model_constraint c JOIN ir_module_module m ON m.id = c.module"
            " WHERE c.name = 'project_task_job_number_uniq'"
        )
        return [name for (name,) in self.env.cr.fetchall()]

    def test_every_record_of_the_previous_invoice_import_is_taken_over(self):
        if not self.env["ir.module.module"]._get("invoice_import"):
            self.env["ir.module.module"].create({"name": "invoice_import", "state": "uninstalled"})
        ours = self._rows("project_job")
        self.assertLessEqual(
            {
                "seq_invoice_import_job",
                "project_task_view_form_job",
                "invoice_import_job_type_menu",
                "access_invoice_import_job_type_user",
                "model_invoice_import_job_type",
                "field_project_task__job_number",
                "field_invoice_import_job_type__create_uid",
                "constraint_project_task_job_number_uniq",
            },
            set(ours),
        )
        # the XML id of a model that several addons extend goes to each of them (model_project_task): not moved
        mine = {name for name in ours if not name.startswith("model_") or name == "model_invoice_import_job_type"}
        # the database as invoice_import 18.0.0.5.0 left it: these rows were invoice_import's
        self.env.cr.execute(
            "UPDATE ir_model_data SET module = 'invoice_import' WHERE module = 'project_job' AND name IN %s",
            [tuple(mine - set(NEW_IN_THIS_ADDON))],
        )
        self.env.cr.execute(
            "UPDATE ir_model_constraint SET module = (SELECT id FROM ir_module_module WHERE name = 'invoice_import')"
            " WHERE name = 'project_task_job_number_uniq'"
        )
        self.assertEqual(self._constraint_module(), ["invoice_import"])

        moved = take_over_from_previous_module(self.env.cr)
        self.env.registry.clear_cache()

        self.assertEqual(moved, len(mine) - len(NEW_IN_THIS_ADDON))
        self.assertEqual(self._rows("project_job"), ours, "every row back, naming the same record")
        self.assertFalse(set(self._rows("invoice_import")) & mine, "nothing left behind")
        self.assertEqual(self._constraint_module(), ["project_job"])
        self.assertEqual(take_over_from_previous_module(self.env.cr), 0, "run twice, nothing more to move")
        self.assertEqual(self.env.ref("project_job.seq_invoice_import_job").code, "invoice_import.job")
