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


@dataclass(frozen=True)
class IncomeAccounts:
    """A pair of remote income accounts: one for labour (services), one for materials (everything else)."""

    labour: str = ""
    materials: str = ""

    def pick(self, labour: bool) -> str:
        return self.labour if labour else self.materials


def income_account(
    labour: bool,
    default: IncomeAccounts,
    *,
    surcharge: str | None = None,
    product: str = "",
    job_type: IncomeAccounts = IncomeAccounts(),
    credit_note: str = "",
) -> str:
    """The remote income account of one sales line, most specific rule first.

    A surcharge line (``surcharge`` is not None: its product is a surcharge product) goes to the surcharge
    account of the invoice's payment method and to nothing else; then the product's own account, then the
    job type's account for the line's kind, then the credit note account (refunds), then the default
    labour/materials account.  An empty string at a level means "no override there".

    >>> default = IncomeAccounts(labour="200", materials="260")
    >>> job = IncomeAccounts(labour="205")
    >>> income_account(True, default, product="210", job_type=job)
    '210'
    >>> income_account(True, default, job_type=job)
    '205'
    >>> income_account(False, default, job_type=job)  # the job type overrides labour only
    '260'
    >>> income_account(False, default, job_type=job, credit_note="270")
    '270'
    >>> income_account(True, default, surcharge="280", product="210", job_type=job)
    '280'
    >>> income_account(True, default, surcharge="")
    Traceback (most recent call last):
    ...
    account_sync.engine.errors.MappingError: no surcharge income account mapped for this payment method
    >>> income_account(True, IncomeAccounts(materials="260"))
    Traceback (most recent call last):
    ...
    account_sync.engine.errors.MappingError: no labour income account mapped
    """
    if surcharge is not None:
        if not surcharge:
            raise MappingError("no surcharge income account mapped for this payment method")
        return surcharge
    found = product or job_type.pick(labour) or credit_note or default.pick(labour)
    if not found:
        raise MappingError(f"no {'labour' if labour else 'materials'} income account mapped")
    return found


def surcharge_account(rules: Mapping[tuple[str, str], str], product: str, payment_method: str) -> str | None:
    """The surcharge account for a line of ``product`` on an invoice paid by ``payment_method``.

    ``rules`` maps (surcharge product, payment method) to a remote account; a rule with an empty payment
    method applies to every method without its own rule.  None: the product is no surcharge product;
    "" : it is one, but this payment method has no account (the caller refuses to guess).

    >>> rules = {("CARD-FEE", "card"): "281", ("CARD-FEE", ""): "280", ("LATE", "cash"): "285"}
    >>> surcharge_account(rules, "CARD-FEE", "card"), surcharge_account(rules, "CARD-FEE", "cheque")
    ('281', '280')
    >>> surcharge_account(rules, "LATE", "card"), surcharge_account(rules, "WIDGET", "card")
    ('', None)
    """
    products = {p for p, _method in rules}
    if product not in products:
        return None
    return rules.get((product, payment_method)) or rules.get((product, "")) or ""
