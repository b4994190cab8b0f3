"""Which supplier sends from which address: the strongest clue to who a bill is from.

A document names its supplier too (VAT, name), but a mail's sender address
mapped by a person beats anything read from the file.  A mapping is an
exact address or a whole ``@domain`` (which also covers its subdomains);
an exact address wins over a domain.
"""

import re

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize

_DOMAIN = re.compile(r"^@[a-z0-9-]+(\.[a-z0-9-]+)+$")
_ADDRESS = re.compile(r"^[^@\s<>,;]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")


def normalise_sender(value):
    """Trimmed and lower-cased; anything else wrong with it is refused, not repaired."""
    return (value or "").strip().lower()


class InvoiceImportSender(models.Model):
    _name = "invoice.import.sender"
    _description = "Supplier Invoice Sender"
    _order = "email"
    _check_company_auto = True

    email = fields.Char(
        "Sender",
        required=True,
        help="An address (billing@acme.example) or a whole domain (@acme.example, subdomains included).",
    )
    partner_id = fields.Many2one("res.partner", "Supplier", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    is_domain = fields.Boolean(compute="_compute_is_domain", store=True)

    _sql_constraints = [
        (
            "email_company_uniq",
            "unique(company_id, email)",
            "This sender is already mapped to a supplier in this company.",
        ),
    ]

    @api.depends("email")
    def _compute_is_domain(self):
        for sender in self:
            sender.is_domain = bool(sender.email and sender.email.startswith("@"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "email" in vals:
                vals["email"] = normalise_sender(vals["email"])
        return super().create(vals_list)

    def write(self, vals):
        if "email" in vals:
            vals["email"] = normalise_sender(vals["email"])
        return super().write(vals)

    @api.constrains("email")
    def _check_email(self):
        for sender in self:
            if sender.is_domain:
                if not _DOMAIN.match(sender.email):
                    raise ValidationError(_("'%s' is not a domain such as @acme.example.", sender.email))
            elif not _ADDRESS.match(sender.email):
                raise ValidationError(
                    _("'%s' is neither an email address nor a domain such as @acme.example.", sender.email)
                )

    @api.model
    def _find_partner(self, address, company):
        """The supplier mapped to a sender address in a company: ``(partner, 'address' | 'domain' | None)``."""
        address = email_normalize(address or "")
        if not address:
            return self.env["res.partner"], None
        base = [("company_id", "=", company.id)]
        # the mapping and its partner in one query: every mail from a mapped sender asks
        exact = self.search_fetch(base + [("email", "=", address)], ["partner_id"], limit=1)
        if exact:
            return exact.partner_id, "address"
        labels = address.split("@", 1)[1].split(".")
        domains = ["@" + ".".join(labels[i:]) for i in range(len(labels) - 1)]
        mappings = self.search(base + [("email", "in", domains)])
        # the most specific domain wins: @billing.acme.example before @acme.example
        for domain in domains:
            mapping = mappings.filtered(lambda m, d=domain: m.email == d)
            if mapping:
                return mapping.partner_id, "domain"
        return self.env["res.partner"], None
