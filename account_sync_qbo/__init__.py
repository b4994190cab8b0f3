"""Odoo addon ``account_sync_qbo``; its ``engine/`` never imports odoo.

The ORM layer is loaded only when Odoo imports this folder as an addon; ``account_sync`` (a dependency,
loaded first) has already made the engines importable by their top-level names.
"""

if __name__.startswith("odoo.addons."):
    from . import controllers, models  # noqa: F401
