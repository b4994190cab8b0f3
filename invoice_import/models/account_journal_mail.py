"""A purchase journal's address that nobody can guess, and a way to change it when it leaked."""

import secrets
import string

from odoo import models

ALIAS_PREFIX = "bills-"
ALIAS_RANDOM_LENGTH = 16


def random_alias_name():
    """``bills-`` and 16 random lower-case letters and digits (about 82 bits): not worth guessing."""
    alphabet = string.ascii_lowercase + string.digits
    return ALIAS_PREFIX + "".join(secrets.choice(alphabet) for _i in range(ALIAS_RANDOM_LENGTH))


class AccountJournal(models.Model):
    _inherit = "account.journal"

    def _invoice_import_new_alias(self):
        """A new random address; the old one is no alias any more, so Odoo's routing refuses its mail."""
        for journal in self:
            journal.alias_name = random_alias_name()
        return True
