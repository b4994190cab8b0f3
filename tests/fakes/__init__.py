"""Local stand-ins for remote services (Xero, QuickBooks Online) used by the engine tests and benches.

Each fake listens on 127.0.0.1 on a random free port and checks what the official SDKs send against the
vendor's own specification, so a test passes only if the real service would have accepted the request.
"""
