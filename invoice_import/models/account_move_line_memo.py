"""What Odoo asks the database once per new bill line, asked once for all the lines of an imported bill.

When lines are created, Odoo computes each new line on its own: a line
without a product takes the account its partner's lines used most in the
last two years (``account.move.line._compute_account_id``), and every
product line the analytic distribution of the distribution models that
apply to it (``_compute_analytic_distribution``).  A bill of ten lines
asks the database the same two questions ten times each, though the answer
is the same for every line that asks with the same arguments (company,
partner, move type; product, account prefix...).  While the import creates
a bill's lines it puts a memo in the context (``LINE_MEMO``, see
``bill_import``): the first line with given arguments asks, the others get
its answer.  The memo lives for that one creation of lines, in which
nothing changes the history or the models asked about; without it nothing
changes.  The purchase order match, which gives the lines their products,
writes them with a memo too (``account_move_po_match``).

Lines of ten products ask ten different questions of the distribution
models; a company without any distribution model (most) gets the same
empty answer to all of them, so within a memo whether there is any model
at all is asked first, once, and the per-line search only when there is.
"""

from odoo import api, models
from odoo.tools import frozendict

# The context key of the memo, ``{(question, its arguments): answer}``, of one creation of lines: empty when it
# starts, gone when it ends, so that no later change of history or distribution models is missed.
LINE_MEMO = "invoice_import_line_memo"


def _memo(env, key, ask):
    """The answer to ``key`` from the context's memo (``ask()`` the first time), or ``ask()`` without a memo."""
    memo = env.context.get(LINE_MEMO)
    if memo is None:
        return ask()
    if key not in memo:
        memo[key] = ask()
    return memo[key]


class AccountAccount(models.Model):
    _inherit = "account.account"

    @api.model
    def _get_most_frequent_account_for_partner(self, company_id, partner_id, move_type=None):
        # EXTENDS account: answered from the memo of the lines being created, when there is one
        return _memo(
            self.env,
            ("frequent_account", company_id, partner_id, move_type),
            lambda: super(AccountAccount, self)._get_most_frequent_account_for_partner(
                company_id, partner_id, move_type=move_type
            ),
        )


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    @api.model
    def _get_distribution(self, vals):
        # EXTENDS analytic: answered from the memo of the lines being created, when there is one; and with no
        # distribution model at all (most companies), answered by one question for all the lines, whatever
        # their products: the search for the models of each line could only find nothing
        if self.env.context.get(LINE_MEMO) is not None and not _memo(
            self.env, ("analytic_models_exist",), lambda: bool(self.search_count([], limit=1))
        ):
            return {}
        return _memo(
            self.env,
            # lists as tuples: the search below appends to the caller's lists (``_create_domain``), which would
            # change a key holding them
            ("analytic_distribution", frozendict({k: tuple(v) if isinstance(v, list) else v for k, v in vals.items()})),
            lambda: super(AccountAnalyticDistributionModel, self)._get_distribution(vals),
        )
