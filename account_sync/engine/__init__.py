"""Odoo-free core shared by the Xero and QuickBooks Online connectors.

Nothing here knows either vendor: the vendor engines map these neutral records to their SDK models and
plug their HTTP errors into the shared retry, rate-limit and token machinery.
"""
