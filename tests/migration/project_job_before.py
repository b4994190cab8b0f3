"""Run by tests/odoo_migration.sh in ``odoo-bin shell`` on a database of the previous invoice_import: jobs data
as a user would have made it, and what the upgrade must keep, written as JSON to the path in MIGRATION_STATE.

The XML ids to keep are read from the database, not from project_job's hook: every invoice_import XML id that
names a job record (``job`` in its name) and the purchase line's company currency field, which came with them.
"""

import json
import os
from datetime import date, timedelta


def main(env):
    company = env.company
    eur = env.ref("base.EUR")
    eur.active = True
    # the order's date had 2 euros a dollar, today 4: the ordered amount is then converted at the order's rate
    order_day = date.today() - timedelta(days=400)
    env["res.currency.rate"].create(
        [
            {"currency_id": eur.id, "company_id": company.id, "name": order_day, "rate": 2.0},
            {"currency_id": eur.id, "company_id": company.id, "name": date.today(), "rate": 4.0},
        ]
    )
    job_type = env["invoice.import.job.type"].create({"name": "Installation"})
    project = env["project.project"].create({"name": "Harbour works"})
    job = env["project.task"].create(
        {
            "name": "Boiler replacement",
            "project_id": project.id,
            "job_type_id": job_type.id,
            "job_site_address": "4 Harbour Road\nPort Chalmers 9023",
            "job_client_work_order": "WO-5521",
        }
    )
    other_jobs = env["project.task"].create([{"name": f"Job {n}", "project_id": project.id} for n in range(3)])
    supplier = env["res.partner"].create({"name": "ACME Industrial GmbH"})
    product = env["product.product"].create({"name": "Hex bolts M8", "type": "consu"})
    order = env["purchase.order"].create(
        {
            "partner_id": supplier.id,
            "currency_id": eur.id,
            "date_order": f"{order_day} 12:00:00",
            "job_task_id": job.id,
            "order_line": [
                (0, 0, {"product_id": product.id, "product_qty": 12, "price_unit": 10.0, "taxes_id": False})
            ],
        }
    )
    order.button_confirm()
    env.flush_all()

    env.cr.execute(
        "SELECT name, model, res_id, noupdate FROM ir_model_data WHERE module = 'invoice_import'"
        " AND (name LIKE '%%job%%' OR name = 'field_purchase_order_line__company_currency_id')"
    )
    xml_ids = {name: [model, res_id, noupdate] for name, model, res_id, noupdate in env.cr.fetchall()}
    state = {
        "job": job.id,
        "job_number": job.job_number,
        "job_type": job_type.id,
        "numbers": sorted((job | other_jobs).mapped("job_number")),
        "order": order.id,
        "order_line_ordered_before": order.order_line.job_ordered_amount,
        "xml_ids": xml_ids,
        "version": env["ir.module.module"]._get("invoice_import").latest_version,
    }
    with open(os.environ["MIGRATION_STATE"], "w") as out:
        json.dump(state, out, indent=1, sort_keys=True)
    env.cr.commit()
    print(f"migration: before the upgrade: invoice_import {state['version']}, {len(xml_ids)} job XML ids")


main(env)  # noqa: F821 - odoo-bin shell's environment
