"""Local account and tax codes → the remote ledger's codes.

Charts of accounts rarely match one to one, so the Odoo layer builds an ``AccountMapping`` from its
configuration (and from a chart refresh); the engines only ask it and fail loudly on a gap instead of
letting the remote side guess an account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import MappingError


@dataclass(frozen=True)
class AccountMapping:
    accounts: Mapping[str, str] = field(default_factory=dict)
    taxes: Mapping[str, str] = field(default_factory=dict)
    default_sale_account: str = ""
    default_purchase_account: str = ""
    default_sale_tax: str = ""
    default_purchase_tax: str = ""
    passthrough: bool = False  # the charts share codes: an unmapped code is sent as is

    def account(self, local_code: str, purchase: bool = False) -> str:
        return self._resolve(self.accounts, local_code, self._default_account(purchase), "account")

    def tax(self, local_code: str, purchase: bool = False) -> str:
        default = self.default_purchase_tax if purchase else self.default_sale_tax
        return self._resolve(self.taxes, local_code, default, "tax")

    def _default_account(self, purchase: bool) -> str:
        return self.default_purchase_account if purchase else self.default_sale_account

    def _resolve(self, table: Mapping[str, str], code: str, default: str, what: str) -> str:
        if code and code in table:
            return table[code]
        if code and self.passthrough:
            return code
        if default:
            return default
        raise MappingError(f"no remote {what} mapped for local {what} code {code!r}")
