"""Odoo addon ``account_sync_job``: job types choose the remote income accounts of the jobs they invoice.

Neither ``account_sync`` nor ``project_job`` (the jobs) depends on the other; this bridge installs itself
when both are there.  It has no engine of its own: the resolution order lives in ``account_sync.engine.mapping``.
"""

from . import models  # noqa: F401
