"""What an imported bill waits for, shown on the bill; and the one auto-posting rule it is posted by.

A bill imported from a file and left in draft waits for a person: its form says why in a banner
(``invoice_import_review_reason``, from ``engine/waiting.py``), the assignees have the activity on the
bill itself, and *To Review* among the vendor bills' filters lists them. Whether it is posted without
anyone is one rule (``engine/autopost.py``) reading the three switches together; the chatter of a bill
posted that way says which rule posted it.
"""

from odoo import fields, models

from ..engine.autopost import Decision, Switches, decide, posting_order
from ..engine.states import READY
from .invoice_import_document import PURCHASE_TYPES

ACTIVITY_TYPE = "invoice_import.mail_activity_type_invoice_import"


class AccountMove(models.Model):
    _inherit = "account.move"

    invoice_import_review_reason = fields.Char(related="invoice_import_document_id.review_reason", string="Waiting For")
    invoice_import_waiting = fields.Boolean(
        related="invoice_import_document_id.waits_for_person",
        string="Imported, To Review",
        help="Imported from a file and waiting in draft for a person.",
    )

    invoice_import_read_partner = fields.Char(related="invoice_import_document_id.read_partner_summary")
    invoice_import_proposed_partner_id = fields.Many2one(related="invoice_import_document_id.proposed_partner_id")
    invoice_import_proposed_partner_how = fields.Selection(related="invoice_import_document_id.proposed_partner_how")

    def action_invoice_import_partner(self):
        """The banner's buttons: the proposed partner, or (``invoice_import_create`` in context) one from the file."""
        self.ensure_one()
        document = self.invoice_import_document_id
        if self.env.context.get("invoice_import_create"):
            return document.action_create_partner()
        return document.action_use_proposed_partner()

    def _invoice_import_switches(self):
        """The three auto-posting switches for this bill's supplier and company (``engine.autopost.Switches``)."""
        self.ensure_one()
        partner = self.partner_id.with_company(self.company_id)
        return Switches(
            supplier_auto=bool(partner and partner.invoice_import_auto),
            match_autopost=bool(self.company_id.invoice_import_match_autopost),
            odoo_autopost=bool(
                partner
                and self.company_id.autopost_bills
                and partner.autopost_bills == "always"
                and not self.abnormal_amount_warning
            ),
        )

    def _invoice_import_autopost(self) -> Decision:
        """Whether this imported bill is posted now and why (``engine.autopost.decide``)."""
        self.ensure_one()
        document = self.invoice_import_document_id
        ready = self.move_type in PURCHASE_TYPES and self.state == "draft" and document.state == READY
        return decide(
            self._invoice_import_switches(),
            ready=ready,
            trusted=bool(document) and self._invoice_import_trusted_supplier(),
            match_state=document.match_state or None,
            orders=(document.match_report or {}).get("orders") or (),
        )

    def _invoice_import_settle_in_order(self):
        """Settle these bills of one delivery oldest invoice first, then in file order (``engine.autopost.
        posting_order``): the ones that post get their sequence numbers in the order of their dates."""
        by_id = {move.id: move for move in self}
        for move_id in posting_order([(move.id, move.invoice_date, move.id) for move in self]):
            by_id[move_id]._invoice_import_settle()

    def _invoice_import_settle(self):
        """After an import: post the bill when the rule says so, else see that the assignees have it to confirm."""
        self.ensure_one()
        if self._invoice_import_wants_post():
            return self._invoice_import_post()
        self._invoice_import_ask_confirmation()
        return None

    def _invoice_import_ask_confirmation(self):
        """An activity on a ready vendor bill that stays in draft, unless one of the import's is open already.

        Customer invoices keep their import's own activities (they are never posted without a person)."""
        document = self.invoice_import_document_id
        if not document or document.state != READY or self.state != "draft" or self.move_type not in PURCHASE_TYPES:
            return
        activity_type = self.env.ref(ACTIVITY_TYPE)
        open_users = self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id
        for user in self.company_id.invoice_import_assignee_ids - open_users:
            self.activity_schedule(
                ACTIVITY_TYPE,
                summary=self.env._("Confirm the bill: %s", document.review_reason),
                user_id=user.id,
            )
