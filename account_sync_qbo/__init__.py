"""Odoo addon account_sync_qbo; its engine (when present) never imports odoo."""
