"""Purchase order matching of imported bills, under the company's tolerance rules.

Odoo calls ``_link_bill_origin_to_purchase_orders`` on every bill decoded
from a file, which asks purchase's ``_find_and_set_purchase_orders`` to
match it.  Purchase's own matcher either replaces the bill's lines with
the PO's (totals equal within a fixed 0.02) or links lines of the exact
same unit price.  For a bill imported from a supplier's document this
extension keeps the supplier's lines (their quantities and prices are what
is owed), picks for each the PO line it bills (``engine/matching.py``:
supplier code, internal reference, description, price; quantities bounded
by receipts), and links it the way purchase does
(``purchase.order.line._prepare_account_move_line``), so billed
quantities, three-way matching and the PO's analytic distribution follow.
Other bills keep purchase's behaviour.

What this file adds to ``account.move``: the match fields shown on the
bill and the matching itself.  Whether a matched bill is posted is the one
auto-posting rule's (``engine/autopost.py``, read in
``account_move_review``); its reminder ends with the import's own ``_post``.
"""

import logging
import re
import time

from odoo import Command, _, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..engine.decimals import to_decimal
from ..engine.matching import (
    BILL_ORDERED,
    BILL_RECEIVED,
    InvoiceLine,
    OrderLine,
    discounted_price,
    match_lines,
    review_after_match,
)
from ..engine.states import EXCEPTION, FILLED_STATES, MATCHED, WAITING
from .account_move_line_memo import LINE_MEMO
from .invoice_import_document_po_match import MATCH_WARNING

_logger = logging.getLogger(__name__)
OPEN_PO_STATES = ("purchase", "done")
_CODE_PREFIX = re.compile(r"^\[([^\]]+)\]\s*")
_REFERENCE_SPLIT = re.compile(r"[,;\s]+")
# what ``product.template._get_product_accounts`` reads of a product
ACCOUNT_FIELDS = ["property_account_income_id", "property_account_expense_id", "categ_id"]


class AccountMove(models.Model):
    _inherit = "account.move"

    invoice_import_match_state = fields.Selection(related="invoice_import_document_id.match_state")
    invoice_import_match_html = fields.Html(related="invoice_import_document_id.match_report_html")

    def _find_and_set_purchase_orders(self, po_references, partner_id, amount_total, from_ocr=False, timeout=10):
        # EXTENDS purchase: an imported vendor bill is matched line by line under the tolerance rules
        if not self._invoice_import_matchable():
            return super()._find_and_set_purchase_orders(
                po_references, partner_id, amount_total, from_ocr=from_ocr, timeout=timeout
            )
        self._invoice_import_match(po_references)
        return None

    def _invoice_import_matchable(self):
        self.ensure_one()
        document = self.invoice_import_document_id
        return bool(
            document and document.state in FILLED_STATES and self.move_type == "in_invoice" and self.state == "draft"
        )

    # ------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------

    def _invoice_import_match(self, po_references=None, post=False):
        """Match, link the lines, record the report on the import document; post or ask a person.

        ``post``: a match found later (cron, PO confirmed) posts the bill
        itself; at import Odoo's own ``_autopost_bill`` does it.
        """
        for move in self.filtered(lambda m: m._invoice_import_matchable()):
            start = time.perf_counter()
            references = po_references if po_references is not None else [move.invoice_origin]
            references = [r for ref in references if ref for r in _REFERENCE_SPLIT.split(ref) if r]
            report, expected = move._invoice_import_match_report(references)
            if report is None:
                continue
            move._invoice_import_apply(report)
            move._invoice_import_after_match(report, post, expected)
            _logger.debug("invoice_import: matched bill %s in %.3fs", move.id, time.perf_counter() - start)

    def _invoice_import_match_report(self, references):
        """``(report, expected)``: the engine's report (None: nothing to match) and whether a PO is expected.

        A PO is expected when there are candidate lines or the supplier has
        a purchase order (an RFQ counts: its bill may come before it is
        confirmed); only then does a failed match hold the bill back.  A
        supplier the company never orders from in Odoo (utilities, rent)
        keeps the import's own state; its bill citing an order reference
        still waits quietly, in case that order is entered later.
        """
        cited = self._invoice_import_cited_orders(references)
        # no existing order cited and no line linked: the only candidates are the supplier's own orders' lines,
        # and a supplier the company never orders from (utilities, rent) needs no search for them
        has_orders = None
        if not cited and not self.invoice_line_ids.purchase_line_id:
            has_orders = self._invoice_import_supplier_has_orders()
            if not has_orders and not references:
                return None, False
        po_lines = []
        if has_orders is not False:
            po_lines = self._invoice_import_engine_po_lines(self._invoice_import_candidate_po_lines(cited))
        expected = bool(po_lines) or (self._invoice_import_supplier_has_orders() if has_orders is None else has_orders)
        if not expected and not references:
            return None, False
        bill_lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        rules = self.env["invoice.import.tolerance.rule"]._engine_rules(self.company_id)
        report = match_lines(
            [self._invoice_import_engine_line(i, line) for i, line in enumerate(bill_lines)],
            po_lines,
            rules,
            references,
        )
        return report, expected

    def _invoice_import_cited_orders(self, references):
        """The company's open purchase orders named (or whose supplier reference is) one of ``references``."""
        if not references:
            return self.env["purchase.order"]
        return self.env["purchase.order"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", OPEN_PO_STATES),
                "|",
                ("name", "in", references),
                ("partner_ref", "in", references),
            ]
        )

    def _invoice_import_candidate_po_lines(self, cited):
        """The query of the open PO lines this bill may bill: of the orders it cites (``cited``, see
        ``_invoice_import_cited_orders``), of its supplier's orders.

        Indexed searches only (order name, supplier reference, the line's
        stored partner): a supplier's open lines, never all POs.  Lines
        this bill already bills stay candidates, though the bill itself
        may have made their order *fully billed*.
        """
        POL = self.env["purchase.order.line"]
        base = [
            ("company_id", "=", self.company_id.id),
            ("state", "in", OPEN_PO_STATES),
            ("display_type", "=", False),
            ("currency_id", "=", self.currency_id.id),
        ]
        alternatives = [[("id", "in", self.invoice_line_ids.purchase_line_id.ids)]]
        if cited:
            alternatives.append([("order_id", "in", cited.ids)])
        if self.partner_id:
            alternatives.append(
                [
                    ("partner_id", "child_of", self.partner_id.commercial_partner_id.id),
                    ("order_id.invoice_status", "in", ("no", "to invoice")),
                ]
            )
        return POL._search(expression.AND([base, expression.OR(alternatives)]))

    def _invoice_import_supplier_has_orders(self):
        if not self.partner_id:
            return False
        return bool(
            self.env["purchase.order"].search_count(
                [
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "child_of", self.partner_id.commercial_partner_id.id),
                    ("state", "in", ("draft", "sent", "to approve", *OPEN_PO_STATES)),
                ],
                limit=1,
            )
        )

    def _invoice_import_engine_line(self, index, line):
        match = _CODE_PREFIX.match(line.name or "")
        code = match.group(1) if match else line.product_id.default_code or None
        description = (line.name or "")[match.end() :] if match else line.name
        return InvoiceLine(
            index=index,
            quantity=to_decimal(line.quantity),
            unit_price=discounted_price(to_decimal(line.price_unit), to_decimal(line.discount)),
            description=description,
            product_code=code,
            amount=to_decimal(line.price_subtotal),
            ref=line,
        )

    def _invoice_import_engine_po_lines(self, query):
        """The candidate lines as engine dataclasses, in two queries.

        A supplier may have thousands of open lines: reading them through
        records (order, product, template, partner per line) costs a
        second for 10,000, one SQL query over the ORM's own search (record
        rules applied) a few milliseconds.
        """
        for model in ("purchase.order.line", "purchase.order", "product.product", "product.template"):
            self.env[model].flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT l.id, l.order_id, o.name, o.partner_ref, l.price_unit, l.discount, l.product_qty,
                          l.qty_received, l.qty_invoiced, l.name, l.product_id, pp.default_code,
                          pt.purchase_method, pp.product_tmpl_id, COALESCE(p.commercial_partner_id, p.id)
                     FROM purchase_order_line l
                     JOIN purchase_order o ON o.id = l.order_id
                LEFT JOIN product_product pp ON pp.id = l.product_id
                LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                LEFT JOIN res_partner p ON p.id = l.partner_id
                    WHERE l.id IN %s
                 ORDER BY l.order_id, l.id""",
                query.subselect(),
            )
        )
        codes = self._invoice_import_supplier_codes({(row[10], row[13]) for row in rows if row[10]})
        own = {}
        for bill_line in self.invoice_line_ids.filtered("purchase_line_id"):
            own[bill_line.purchase_line_id.id] = own.get(bill_line.purchase_line_id.id, 0.0) + bill_line.quantity
        result = []
        for (
            line_id,
            order_id,
            order_name,
            order_ref,
            price_unit,
            discount,
            qty,
            received,
            invoiced,
            name,
            product_id,
            default_code,
            purchase_method,
            _template_id,
            supplier_id,
        ) in rows:
            result.append(
                OrderLine(
                    id=line_id,
                    order_id=order_id,
                    order_name=order_name,
                    order_ref=order_ref or None,
                    unit_price=discounted_price(to_decimal(price_unit), to_decimal(discount)),
                    qty_ordered=to_decimal(qty),
                    qty_received=to_decimal(received),
                    qty_billed=to_decimal((invoiced or 0.0) - own.get(line_id, 0.0)),
                    billing_policy=BILL_ORDERED if purchase_method == "purchase" else BILL_RECEIVED,
                    description=name or "",
                    internal_ref=default_code or None,
                    supplier_codes=tuple(codes.get((product_id, supplier_id), ())),
                )
            )
        return result

    def _invoice_import_supplier_codes(self, products):
        """``{(product id, supplier id): [codes]}`` from product.supplierinfo; ``products``: (id, template id)."""
        if not products:
            return {}
        self.env["product.supplierinfo"].flush_model()
        variants = {}
        for product_id, template_id in products:
            variants.setdefault(template_id, []).append(product_id)
        rows = self.env.execute_query(
            SQL(
                """SELECT s.product_tmpl_id, s.product_id, COALESCE(p.commercial_partner_id, p.id), s.product_code
                     FROM product_supplierinfo s
                     JOIN res_partner p ON p.id = s.partner_id
                    WHERE s.product_tmpl_id = ANY(%s) AND s.product_code IS NOT NULL AND s.product_code != ''""",
                list(variants),
            )
        )
        codes = {}
        for template_id, product_id, supplier_id, code in rows:
            for variant in [product_id] if product_id else variants[template_id]:
                codes.setdefault((variant, supplier_id), []).append(code)
        return codes

    # ------------------------------------------------------------------
    # Applying the report
    # ------------------------------------------------------------------

    def _invoice_import_apply(self, report):
        """Link each bill line to the PO line it bills, as purchase links the lines it adds itself.

        The supplier's name, quantity, price and discount stay; the PO
        line brings the product, unit, its taxes when the document gave
        none, and its analytic distribution.
        """
        # browsed together, so that what each PO line's preparation reads (the line, its product, taxes) is read
        # once for all of them, not once per line
        po_lines = self.env["purchase.order.line"].browse([r.po_line_id for r in report.lines if r.po_line_id])
        by_id = {po_line.id: po_line for po_line in po_lines}
        # and the accounts their products give the bill lines (``_compute_account_id``, product by product)
        po_lines.product_id.product_tmpl_id.with_company(self.company_id).fetch(ACCOUNT_FIELDS)
        commands = []
        for result in report.lines:
            line = result.ref
            po_line = by_id.get(result.po_line_id, po_lines.browse())
            if line.purchase_line_id == po_line:
                continue
            if not po_line:
                commands.append(Command.update(line.id, {"purchase_line_id": False}))
                continue
            prepared = po_line._prepare_account_move_line(self)
            values = {
                "purchase_line_id": po_line.id,
                "product_id": prepared["product_id"],
                "product_uom_id": prepared["product_uom_id"],
                "name": line.name,
                "quantity": line.quantity,
                "price_unit": line.price_unit,
                "discount": line.discount,
                "tax_ids": [Command.set(line.tax_ids.ids or po_line.taxes_id.ids)],
            }
            distribution = prepared.get("analytic_distribution") or po_line._job_analytic_distribution()
            if distribution and not line.analytic_distribution:
                values["analytic_distribution"] = distribution
            commands.append(Command.update(line.id, values))
        if commands:
            # what Odoo looks up again for each line given a product (its analytic distribution) is asked once
            # for them all (``account_move_line_memo``)
            with self.with_context(**{LINE_MEMO: {}})._get_edi_creation() as bill:
                bill.invoice_line_ids = commands

    def _invoice_import_after_match(self, report, post, expected=True):
        """Record the match on the import document; hold or release the bill; post it or remind a person.

        ``expected``: a purchase order was to be expected (see
        ``_invoice_import_match_report``); when not, only the match is recorded.
        """
        document = self.invoice_import_document_id
        state = report.state
        values = {"match_state": state, "match_report": report.to_dict(), "match_date": fields.Datetime.now()}
        if not expected:
            document.write(values)
            return
        new_state, held = review_after_match(state, document.state, document.match_hold)
        if new_state:
            values.update(state=new_state, match_hold=held)
            if held:
                values["warnings"] = MATCH_WARNING
        document.write(values)
        orders = ", ".join(report.order_names) or _("no purchase order")
        if state == MATCHED and self._invoice_import_wants_post():
            if post:
                self._invoice_import_post()
            return
        summary = {
            MATCHED: _("Matched to %s: confirm the bill", orders),
            WAITING: _("Waiting for a purchase order or a receipt (%s)", orders),
            EXCEPTION: _("Outside the matching tolerance: check the bill against %s", orders),
        }[state]
        document._schedule_match_activity(summary)
