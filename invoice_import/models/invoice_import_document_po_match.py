"""The purchase order match of an imported document: its state and report, for the review panel and the re-matching."""

import logging
from datetime import timedelta

from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from ..engine.matching import NO_MATCH, QUANTITY
from ..engine.states import EXCEPTION, MATCH_STATE_LABELS, MATCHED, TO_REVIEW, WAITING, selection
from ..engine.states import MATCH_STATES as ENGINE_MATCH_STATES
from ..engine.tolerance import LINE_TOTAL, ORDER_TOTAL, UNIT_PRICE, describe_missing

_logger = logging.getLogger(__name__)
# Documents re-matched per batch (the cron triggers itself again while some are left).
REMATCH_BATCH = 100
# The scheduled action leaves alone what was matched this recently (a PO event re-matches at once anyway).
REMATCH_AGE = 30

MATCH_STATES = selection(ENGINE_MATCH_STATES, MATCH_STATE_LABELS)
# What a ready bill's document says when only its match holds it to review (``match_hold``).
MATCH_WARNING = "The bill does not match its purchase order(s) within tolerance: see the match report."


class InvoiceImportDocument(models.Model):
    _inherit = "invoice.import.document"

    match_state = fields.Selection(
        MATCH_STATES,
        string="PO Match",
        index=True,
        readonly=True,
        help="Waiting: a line matches no open purchase order line, or bills more than was received; the bill is "
        "matched again when a purchase order is confirmed or received, and by a scheduled action.",
    )
    match_report = fields.Json(readonly=True, help="The engine's match report (see engine/matching.py).")
    match_report_html = fields.Html(compute="_compute_match_report_html", sanitize=False)
    match_date = fields.Datetime(readonly=True)
    match_hold = fields.Boolean(
        "Held by the PO Match",
        compute="_compute_match_hold",
        store=True,
        readonly=True,
        help="The bill was ready; only its purchase order match holds it to review: a match within tolerance "
        "makes it ready again.",
    )

    @api.depends()
    def _compute_match_hold(self):
        # set by the match itself (``_invoice_import_after_match``); computed once, when the column is added,
        # for the documents held before it existed, whose warning was then the only record of the hold
        for doc in self:
            doc.match_hold = doc.state == TO_REVIEW and doc.warnings == MATCH_WARNING

    @api.depends("match_report")
    def _compute_match_report_html(self):
        for doc in self:
            doc.match_report_html = doc._render_match_report() if doc.match_report else False

    def _render_match_report(self):
        """The report as Odoo shows such a table: products, quantities, amounts in the bill's currency, badges.

        The engine's report (``match_report``) keeps ids and Decimal
        strings; this names each line by its product, takes the ordered
        and received quantities from the purchase order line, formats
        every amount with the currency (``formatLang``), says the rule
        that applied in words and the result as a badge.
        """
        report = self.match_report
        currency = self.move_id.currency_id or self.currency_id or self.company_id.currency_id
        bill_lines = self.move_id.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        po_lines = (
            self.env["purchase.order.line"]
            .sudo()
            .browse([ln["po_line_id"] for ln in report["lines"] if ln["po_line_id"]])
            .exists()
        )
        by_id = {line.id: line for line in po_lines}
        uom_digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")

        def money(value, signed=False):
            if value in (None, ""):
                return ""
            text = formatLang(self.env, float(value), currency_obj=currency)
            return f"+{text}" if signed and float(value) > 0 else text

        def qty(value):
            return "" if value in (None, "") else formatLang(self.env, float(value), digits=uom_digits)

        header = [
            _("Product"),
            _("Purchase Order"),
            _("Ordered"),
            _("Received"),
            _("Billed"),
            _("Unit Price"),
            _("Ordered Price"),
            _("Deviation"),
            _("Rule"),
            _("Result"),
        ]
        rows = []
        for line in report["lines"]:
            po_line = by_id.get(line["po_line_id"]) or po_lines.browse()
            index = line["invoice_index"]
            bill_line = bill_lines[index] if index < len(bill_lines) else self.env["account.move.line"]
            product = (
                po_line.product_id.display_name
                or bill_line.product_id.display_name
                or bill_line.name
                or _("Line %s", index + 1)
            )
            badge, detail = self._match_line_result(line, qty)
            cells = [
                product,
                line["order_name"] or "",
                qty(po_line.product_qty) if po_line else "",
                qty(po_line.qty_received) if po_line else "",
                qty(line["quantity"]),
                money(line["unit_price"]),
                money(line["unit_price_ordered"]),
                self._deviation(line["price_deviation"], money),
                Markup("<br/>").join(line["rules"]),
                badge + (Markup('<div class="small text-muted">%s</div>') % detail if detail else ""),
            ]
            rows.append(self._html_row(cells, "" if line["passed"] else "table-warning"))
        total = report.get("order_total")
        if total:
            cells = [
                _("Order total"),
                ", ".join(report["orders"]),
                "",
                "",
                "",
                money(total["document_value"]),
                money(total["ordered_value"]),
                self._deviation(total["deviation"], money),
                total["rule"] or describe_missing(ORDER_TOTAL),
                self._badge(total["passed"], _("Within tolerance") if total["passed"] else _("Outside tolerance")),
            ]
            rows.append(self._html_row(cells, "fw-bold" if total["passed"] else "fw-bold table-warning"))
        head = Markup("").join(Markup("<th>%s</th>") % h for h in header)
        table = '<table class="table table-sm o_invoice_import_match mb-0"><thead><tr>%s</tr></thead><tbody>%s</tbody>'
        return Markup(table + "</table>") % (head, Markup("").join(rows))

    def _match_line_result(self, line, qty):
        """``(badge, detail)`` of one report line: the result as a badge and what failed in words (or '')."""
        if line["passed"]:
            return self._badge(True, _("Within tolerance")), ""
        failed = line.get("failed_checks")
        if failed is None:  # a report stored before the checks were recorded
            if not line["po_line_id"]:
                failed = [NO_MATCH]
            elif float(line["quantity"]) > float(line["quantity_billable"] or 0):
                failed = [QUANTITY]
            else:
                failed = [UNIT_PRICE]
        if NO_MATCH in failed:
            return self._badge(False, _("Not on an order")), _("No open purchase order line bills this product.")
        details = []
        if QUANTITY in failed:
            details.append(
                _(
                    "Bills %(billed)s; %(billable)s can still be billed.",
                    billed=qty(line["quantity"]),
                    billable=qty(line["quantity_billable"] or 0),
                )
            )
        if UNIT_PRICE in failed or LINE_TOTAL in failed:
            details.append(_("The price differs from the order by more than the rule allows."))
        label = _("Quantity too high") if failed == [QUANTITY] else _("Outside tolerance")
        return self._badge(False, label), " ".join(details)

    @staticmethod
    def _badge(passed, label):
        style = "text-bg-success" if passed else "text-bg-warning"
        return Markup('<span class="badge rounded-pill %s">%s</span>') % (style, label)

    def _deviation(self, value, money):
        if value in (None, ""):
            return ""
        return money(value, signed=True) if float(value) else _("None")

    @staticmethod
    def _html_row(cells, style):
        return Markup('<tr class="%s">%s</tr>') % (style, Markup("").join(Markup("<td>%s</td>") % c for c in cells))

    def _match_activity_note(self):
        """One sentence linking the bill and saying what to check; the report itself stays on the bill's Import tab."""
        self.ensure_one()
        bill = self.move_id._get_html_link() if self.move_id else escape(self.display_name)
        orders = ", ".join((self.match_report or {}).get("orders") or []) or _("its purchase order")
        template = {
            MATCHED: _("%(bill)s matches %(orders)s within tolerance: check it and confirm it."),
            WAITING: _(
                "%(bill)s bills a product not on %(orders)s or more than was received: check the receipts before "
                "confirming it."
            ),
            EXCEPTION: _(
                "%(bill)s is outside the matching tolerance of %(orders)s: compare its prices with the order on its "
                "Import tab."
            ),
        }.get(self.match_state, "%(bill)s")
        sentence = Markup(escape(template)) % {"bill": bill, "orders": orders}
        return Markup("<p>%s</p>") % sentence

    # ------------------------------------------------------------------
    # Re-matching: the scheduled action and the purchase order triggers
    # ------------------------------------------------------------------

    @api.model
    def _lock_waiting(self, limit=REMATCH_BATCH, partners=None, matched_before=None):
        """Waiting documents this transaction may re-match, locked; those another worker holds are skipped.

        ``FOR UPDATE SKIP LOCKED``: several workers (two crons, a PO
        confirmed while the cron runs) each take a disjoint set, and none
        waits for the other nor processes a bill twice.
        """
        self.flush_model(["match_state", "match_date", "partner_id"])
        filters = SQL()
        if matched_before:
            filters = SQL("AND (match_date IS NULL OR match_date < %s)", matched_before)
        if partners is not None:
            commercial = partners.commercial_partner_id
            ids = self.env["res.partner"].with_context(active_test=False).search([("id", "child_of", commercial.ids)])
            filters = SQL("%s AND partner_id = ANY(%s)", filters, ids.ids)
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM invoice_import_document
                    WHERE match_state = %s %s
                 ORDER BY match_date NULLS FIRST, id
                    LIMIT %s
                      FOR UPDATE SKIP LOCKED""",
                WAITING,
                filters,
                limit,
            )
        )
        return self.browse([row[0] for row in rows])

    def _rematch(self):
        """Match these (locked) documents' bills again; a bill a person confirmed or dropped leaves the queue."""
        for doc in self:
            move = doc.move_id
            if not move or move.state != "draft":
                doc.match_state = False
                continue
            try:
                with self.env.cr.savepoint():
                    move._invoice_import_match(post=True)
            except Exception:  # one bad bill must not stop the others; it is tried again next time
                _logger.exception("invoice_import: re-matching bill %s failed", move.id)

    @api.model
    def _cron_rematch(self, limit=REMATCH_BATCH):
        """Oldest match first, each bill at most once per run of the hourly action (its match date moves on)."""
        documents = self._lock_waiting(limit, matched_before=fields.Datetime.now() - timedelta(minutes=REMATCH_AGE))
        documents._rematch()
        if len(documents) == limit:  # more may be waiting: run again once this batch is committed
            self.env.ref("invoice_import.ir_cron_invoice_import_rematch")._trigger()
        return documents

    @api.model
    def _rematch_for_partners(self, partners):
        """A purchase order of these suppliers was confirmed or received: their waiting bills may match now."""
        if partners:
            self._lock_waiting(limit=None, partners=partners)._rematch()

    def _schedule_match_activity(self, summary):
        """One open match activity per assignee: a bill matched again does not pile up reminders."""
        activity_type = self.env.ref("invoice_import.mail_activity_type_invoice_import")
        for doc in self:
            open_users = (
                doc._activity_record()
                .activity_ids.filtered(lambda a, t=activity_type: a.activity_type_id == t and a.summary == summary)
                .user_id
            )
            for user in doc.company_id.invoice_import_assignee_ids - open_users:
                doc._activity_record().activity_schedule(
                    "invoice_import.mail_activity_type_invoice_import",
                    summary=summary,
                    note=doc._match_activity_note(),
                    user_id=user.id,
                )
