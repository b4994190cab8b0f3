"""Odoo addon ``project_job``: jobs are project tasks with a number, a type, a site and the client's work order,
and the purchase orders made for them, with what their suppliers billed.

``invoice_import`` (bills matched to a job's orders carry its analytic account) and ``account_sync_job`` (job types
choose the remote income accounts) depend on it.  Jobs were part of ``invoice_import`` up to its version
18.0.0.5.0: ``hooks.py`` takes their records over on such a database.
"""

from . import models  # noqa: F401
from .hooks import post_init_hook, pre_init_hook  # noqa: F401
