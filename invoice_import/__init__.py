"""Odoo addon ``invoice_import`` and, in ``engine/``, its Odoo-free engine.

The ORM layer is loaded only when Odoo imports this folder as an addon
(``odoo.addons.invoice_import``).  Imported as plain ``invoice_import``
(the CLI, the engine tests) nothing here touches ``odoo``.
"""

if __name__.startswith("odoo.addons."):
    from . import models, wizards  # noqa: F401
