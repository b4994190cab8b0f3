"""QuickBooks Online connector engine: python-quickbooks and intuit-oauth wrapped for safe, paced sync.

Never imports ``odoo``.  ``client.QboClient`` is the entry point; the rest are its parts (transport
with retries and pacing, OAuth, mapping of the neutral records, optimistic updates, batches, change pulls).
"""
