"""Odoo addon account_sync_xero; its engine (when present) never imports odoo."""
