"""Run by tests/odoo_migration.sh in ``odoo-bin shell`` after ``-u invoice_import`` with this checkout's code:
checks that project_job was installed and that the jobs, their XML ids and their numbering survived.

Prints one line per check and closes with ``migration: N passed, N failed``.
"""

import json
import os

results = []


def check(ok, what):
    results.append(bool(ok))
    print(f"migration: {'ok    ' if ok else 'FAILED'} {what}")


def main(env):
    with open(os.environ["MIGRATION_STATE"]) as state_file:
        state = json.load(state_file)
    modules = {m.name: m for m in env["ir.module.module"].search([("name", "in", ["invoice_import", "project_job"])])}
    check(modules["project_job"].state == "installed", "project_job installed by the upgrade")
    invoice_import = modules["invoice_import"]
    check(
        invoice_import.state == "installed" and invoice_import.latest_version != state["version"],
        f"invoice_import upgraded ({state['version']} -> {invoice_import.latest_version})",
    )
    depends = set(invoice_import.dependencies_id.mapped("name"))
    check("project_job" in depends and "project" not in depends, f"invoice_import depends on {sorted(depends)}")

    job = env["project.task"].browse(state["job"])
    check(job.job_number == state["job_number"], f"the job keeps its number {job.job_number}")
    check(job.job_type_id.id == state["job_type"], "and its type")
    check(job.job_site_address == "4 Harbour Road\nPort Chalmers 9023", "and its site address")
    check(job.job_client_work_order == "WO-5521", "and its client work order")
    order = env["purchase.order"].browse(state["order"])
    check(order.job_task_id == job and job.job_purchase_order_ids == order, "the purchase order keeps its job")
    line = order.order_line
    check(
        line.job_ordered_amount == 60.0,
        f"its line's ordered amount recomputed at the order's rate: 120 euros = {line.job_ordered_amount} dollars"
        f" (stored before: {state['order_line_ordered_before']}, at the day's rate)",
    )

    # every XML id of the job records: now project_job's, naming the same record, none left to invoice_import
    data = env["ir.model.data"]
    moved, wrong = 0, []
    for name, (model, res_id, noupdate) in state["xml_ids"].items():
        row = data.search([("module", "=", "project_job"), ("name", "=", name)])
        if row.model == model and row.res_id == res_id and row.noupdate == noupdate:
            moved += 1
        else:
            wrong.append(name)
    check(state["xml_ids"] and not wrong, f"{moved} of {len(state['xml_ids'])} XML ids moved to project_job {wrong}")
    left = data.search([("module", "=", "invoice_import"), ("name", "in", list(state["xml_ids"]))])
    check(not left, f"none left to invoice_import {left.mapped('name')}")
    env.cr.execute(
        "SELECT m.name FROM ir_model_constraint c JOIN ir_module_module m ON m.id = c.module"
        " WHERE c.name = 'project_task_job_number_uniq'"
    )
    check(env.cr.fetchall() == [("project_job",)], "the job number's unique constraint is project_job's")

    # the numbering goes on from the same sequence, and one sequence only
    sequences = env["ir.sequence"].search([("code", "=", "invoice_import.job")])
    check(len(sequences) == 1, f"one job number sequence ({len(sequences)})")
    new_job = env["project.task"].create({"name": "After the upgrade", "project_id": job.project_id.id})
    check(new_job.job_number > max(state["numbers"]), f"a new job is numbered after the others: {new_job.job_number}")

    # the screens: the task form with the Job tab, account_sync_job's column on the job types
    arch = env["project.task"].get_view(env.ref("project.view_task_form2").id, "form")["arch"]
    check('name="job_number"' in arch and "action_assign_job_number" in arch, "the task form shows the Job tab")
    view_id = state["xml_ids"]["invoice_import_job_type_view_list"][1]
    arch = env["invoice.import.job.type"].get_view(view_id, "list")["arch"]
    check("account_sync_labour_income_account_id" in arch, "the job types list with account_sync_job's columns")
    check(env.ref("project_job.invoice_import_job_type_menu").action, "the Job Types menu")

    print(f"migration: {results.count(True)} passed, {results.count(False)} failed")


main(env)  # noqa: F821 - odoo-bin shell's environment
