{
    "name": "Accounting Sync: job types",
    "summary": "Income accounts per job type for the accounting sync (bridge between jobs and the sync base)",
    "version": "18.0.0.2.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Import Suite",
    "depends": ["account_sync", "project_job"],
    "data": ["views/invoice_import_job_type_views.xml", "views/account_move_views.xml"],
    "auto_install": True,
    "installable": True,
}
