{
    "name": "Jobs",
    "summary": "Jobs as project tasks: job number, type, site address, client work order, purchase orders and "
    "what their suppliers billed",
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "license": "LGPL-3",
    "author": "Invoice Import Suite",
    # project_purchase: the purchase order's project, from which a job's order lines take their analytic account
    "depends": ["project", "purchase", "project_purchase"],
    "data": [
        "security/ir.model.access.csv",
        "data/project_job_data.xml",
        "views/invoice_import_job_type_views.xml",
        "views/project_task_views.xml",
        "views/purchase_order_views.xml",
    ],
    "assets": {"web.assets_tests": ["project_job/static/tests/tours/**/*"]},
    "pre_init_hook": "pre_init_hook",
    "post_init_hook": "post_init_hook",
    "installable": True,
    "application": False,
}
