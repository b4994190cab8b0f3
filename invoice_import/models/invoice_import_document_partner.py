"""An unrecognised supplier: the vendor proposed from what the file says of it, or created from it in one click.

The import recognises a supplier only on evidence nobody can dispute (``bill_import.BillImport._identify``).
When it recognised none, the bill's vendor stays empty and the file still says who sent it: its name,
VAT number, postal address, e-mail, phone and IBAN. The bill then proposes a partner
(``engine.partners.propose``: VAT number, then name, looser than the import since a person confirms it), or
offers to create the vendor from those values, its IBAN as the bill's recipient bank.
"""

import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..engine import partners as partner_names


class InvoiceImportDocument(models.Model):
    _inherit = "invoice.import.document"

    read_partner_name = fields.Char("Name Read", compute="_compute_read_partner")
    read_partner_vat = fields.Char("VAT Number Read", compute="_compute_read_partner")
    read_partner_email = fields.Char("Email Read", compute="_compute_read_partner")
    read_partner_phone = fields.Char("Phone Read", compute="_compute_read_partner")
    read_partner_iban = fields.Char("IBAN Read", compute="_compute_read_partner")
    read_partner_address = fields.Char(
        "Address Read", compute="_compute_read_partner", help="The postal address the file gives, on one line."
    )
    read_partner_summary = fields.Char(
        "Partner Read",
        compute="_compute_read_partner",
        help="The name, address, VAT number, e-mail and IBAN the file gives.",
    )
    proposed_partner_id = fields.Many2one(
        "res.partner", "Proposed Partner", compute="_compute_proposed_partner_id", compute_sudo=False
    )
    proposed_partner_how = fields.Selection(
        [("vat", "Same VAT number"), ("name", "Similar name")], compute="_compute_proposed_partner_id"
    )

    def _read_party(self):
        """The party the file names as the supplier (the customer for a customer invoice), as a dict; {} if none."""
        self.ensure_one()
        try:
            data = json.loads(self.pivot_json) if self.pivot_json else {}
        except ValueError:
            return {}
        party = data.get("customer" if self.direction == "sale" else "supplier") if isinstance(data, dict) else None
        return party if isinstance(party, dict) else {}

    @api.depends("pivot_json", "direction")
    def _compute_read_partner(self):
        for doc in self:
            party = doc._read_party()
            doc.read_partner_name = party.get("name")
            doc.read_partner_vat = party.get("vat")
            doc.read_partner_email = party.get("email")
            doc.read_partner_phone = party.get("phone")
            doc.read_partner_iban = party.get("iban")
            address = doc._read_address_values()
            if address:
                # the way the country writes its addresses (Odoo's address format), on one line
                lines = self.env["res.partner"].new(address)._display_address(without_company=True).splitlines()
                doc.read_partner_address = ", ".join(line.strip() for line in lines if line.strip()) or False
            else:
                doc.read_partner_address = False
            details = [
                party.get("name"),
                doc.read_partner_address,
                party.get("vat") and _("VAT %s", party["vat"]),
                party.get("email"),
                party.get("iban") and _("IBAN %s", party["iban"]),
            ]
            doc.read_partner_summary = ", ".join(d for d in details if d) or False

    def _read_address_values(self):
        """The address the file gives as ``res.partner`` values: a dict with some of ``street``, ``street2``,
        ``zip``, ``city`` and ``country_id`` (a country the database knows); {} when the file gives none."""
        address = self._read_party().get("address")
        if not isinstance(address, dict):
            return {}
        values = {
            key: address[key]
            for key in ("street", "street2", "zip", "city")
            if isinstance(address.get(key), str) and address[key].strip()
        }
        code = address.get("country_code")
        if isinstance(code, str) and code:
            country = self.env["res.country"].search([("code", "=", code.upper())], limit=1)
            if country:
                values["country_id"] = country.id
        return values

    @api.depends("partner_id", "move_id.partner_id", "read_partner_name", "read_partner_vat")
    def _compute_proposed_partner_id(self):
        for doc in self:
            proposal = doc._propose_partner() if not doc.move_id.partner_id and not doc.partner_id else None
            doc.proposed_partner_id = proposal[0] if proposal else False
            doc.proposed_partner_how = proposal[1] if proposal else False

    def _propose_partner(self):
        """``(partner, how)`` proposed for the partner read from the file, or None (``engine.partners.propose``)."""
        name, vat = self.read_partner_name, self.read_partner_vat
        if not name and not vat:
            return None
        Partner = self.env["res.partner"].with_company(self.company_id)
        alternatives = []
        word = partner_names.search_word(name)
        if word:
            alternatives.append([("name", "ilike", word)])
        digits = "".join(ch for ch in partner_names.compact_vat(vat) if ch.isdigit())
        if len(digits) >= 5:
            alternatives.append([("vat", "ilike", digits[-5:])])
        if not alternatives:
            return None
        domain = [*Partner._check_company_domain(self.company_id), ("id", "!=", self.company_id.partner_id.id)]
        domain += ["|"] * (len(alternatives) - 1) + [term for alternative in alternatives for term in alternative]
        found = Partner.search(domain, limit=200).commercial_partner_id
        proposal = partner_names.propose(name, vat, [(p.id, p.name, p.vat) for p in found])
        return (Partner.browse(proposal[0]), proposal[1]) if proposal else None

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_use_proposed_partner(self):
        """The proposed partner becomes the bill's (a person chose it: its confidence is a person's)."""
        self.ensure_one()
        partner = self.proposed_partner_id
        if not partner:
            raise UserError(_("No partner to propose for this document."))
        return self._set_partner(partner)

    def action_create_partner(self):
        """Create the vendor (or customer) from the values read from the file and put it on the bill."""
        self.ensure_one()
        if not self.read_partner_name:
            raise UserError(_("The file gives no name to create the partner from."))
        if self.move_id.partner_id:
            raise UserError(_("The bill has a partner already."))
        values = {
            "name": self.read_partner_name,
            "is_company": True,
            "email": self.read_partner_email,
            "phone": self.read_partner_phone,
            "company_id": False,
        }
        vat = partner_names.compact_vat(self.read_partner_vat)
        if vat:
            values["vat"] = vat
            country = self.env["res.country"].search([("code", "=", "GR" if vat[:2] == "EL" else vat[:2])], limit=1)
            if country:
                values["country_id"] = country.id
        # the address the file gives; its country, when stated, wins over the VAT number's prefix
        values.update(self._read_address_values())
        if self.read_partner_iban:
            values["bank_ids"] = [fields.Command.create({"acc_number": self.read_partner_iban})]
        rank = "customer_rank" if self.direction == "sale" else "supplier_rank"
        partner = self.env["res.partner"].create({**values, rank: 1})
        return self._set_partner(partner, created=True)

    def _set_partner(self, partner, created=False):
        move = self.move_id
        confidence = dict(self.confidence or {}, partner=1.0)
        self.write({"partner_id": partner.id, "partner_match": "bill", "confidence": confidence})
        if move and move.state == "draft":
            move.partner_id = partner
            bank = partner.commercial_partner_id.bank_ids[:1]
            if bank and move.is_purchase_document() and not move.partner_bank_id:
                move.partner_bank_id = bank
            body = (
                _("%s was created from the file and set on the bill.", partner._get_html_link())
                if created
                else _("%s, proposed from the file, was set on the bill.", partner._get_html_link())
            )
            move.message_post(body=body)
        return True
