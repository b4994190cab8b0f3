"""Odoo addon ``account_sync``: what the Xero and QuickBooks Online connectors share.

Its ``engine/`` package (rate limiting, retries, idempotency keys, tokens, neutral records) never imports
``odoo``, so the connectors' engines and their tests run without an Odoo server.
"""
