"""Odoo addon ``account_sync``: what the Xero and QuickBooks Online connectors share.

Its ``engine/`` package (rate limiting, retries, idempotency keys, tokens, neutral records) never imports
``odoo``, so the connectors' engines and their tests run without an Odoo server.

The engines import each other by their top-level names (``account_sync.engine``), as installed by the
repository's ``setup.py``.  When Odoo loads this folder as an addon and the engines are not installed, the
folder holding the addons is put on ``sys.path`` so those names resolve to these same files; the ORM layer
then imports the engines only by their top-level names, so one class never exists twice.
"""

if __name__.startswith("odoo.addons."):
    import importlib.util
    import os
    import sys

    if importlib.util.find_spec("account_sync") is None:
        sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

    from . import controllers, models, wizards  # noqa: F401
