"""The purchase order match of an imported document: its state and report, for the review panel and the re-matching."""

import logging
from datetime import timedelta

from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)
# Documents re-matched per batch (the cron triggers itself again while some are left).
REMATCH_BATCH = 100
# The scheduled action leaves alone what was matched this recently (a PO event re-matches at once anyway).
REMATCH_AGE = 30

MATCH_STATES = [
    ("waiting", "Waiting for a PO or a receipt"),
    ("exception", "Outside tolerance"),
    ("matched", "Matched"),
]


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

    @api.depends("match_report")
    def _compute_match_report_html(self):
        for doc in self:
            doc.match_report_html = doc._render_match_report() if doc.match_report else False

    def _render_match_report(self):
        report = self.match_report
        header = [
            _("Line"),
            _("Purchase order"),
            _("Found by"),
            _("Qty"),
            _("Billable"),
            _("Unit price"),
            _("Ordered price"),
            _("Deviation"),
            _("Rules"),
            _("Result"),
        ]
        rows = []
        for line in report["lines"]:
            cells = [
                line["invoice_index"] + 1,
                line["order_name"] or "-",
                line["found_by"] or "-",
                line["quantity"],
                line["quantity_billable"] or "-",
                line["unit_price"],
                line["unit_price_ordered"] or "-",
                line["price_deviation"] or "-",
                "; ".join(line["rules"]),
                _("pass") if line["passed"] else "; ".join(line["reasons"]),
            ]
            rows.append(self._html_row(cells, "" if line["passed"] else "table-warning"))
        total = report.get("order_total")
        if total:
            cells = [
                _("Order total"),
                ", ".join(report["orders"]) or "-",
                "",
                "",
                "",
                total["document_value"],
                total["ordered_value"],
                total["deviation"],
                total["rule"] or _("exact (no rule)"),
                _("pass") if total["passed"] else _("outside tolerance"),
            ]
            rows.append(self._html_row(cells, "fw-bold" if total["passed"] else "fw-bold table-warning"))
        head = Markup("").join(Markup("<th>%s</th>") % h for h in header)
        table = '<table class="table table-sm o_invoice_import_match mb-0"><thead><tr>%s</tr></thead><tbody>%s</tbody>'
        return Markup(table + "</table>") % (head, Markup("").join(rows))

    @staticmethod
    def _html_row(cells, style):
        return Markup('<tr class="%s">%s</tr>') % (style, Markup("").join(Markup("<td>%s</td>") % c for c in cells))

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
                    WHERE match_state = 'waiting' %s
                 ORDER BY match_date NULLS FIRST, id
                    LIMIT %s
                      FOR UPDATE SKIP LOCKED""",
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
            open_users = doc.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t and a.summary == summary
            ).user_id
            for user in doc.company_id.invoice_import_assignee_ids - open_users:
                doc.activity_schedule(
                    "invoice_import.mail_activity_type_invoice_import",
                    summary=summary,
                    note=doc.match_report_html,
                    user_id=user.id,
                )
