"""Odoo-free Xero connector: mapping to xero-python models and a client wrapper around the official SDK.

Shared behaviour (rate limits, retries, idempotency, tokens, neutral records) comes from
``account_sync.engine``; this package only knows Xero.
"""
