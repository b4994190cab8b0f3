"""Odoo-free core shared by the Xero and QuickBooks Online connectors.

Nothing here knows either vendor: the vendor engines map these neutral records (``records``, with the
states of ``states``) to their SDK models, implement ``provider.Provider`` and plug their HTTP errors into
the shared retry, rate-limit and token machinery; ``provider.push_plan`` decides the order pushes run in.
"""
