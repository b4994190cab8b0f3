"""Odoo records ⇄ the engine's neutral records, and the order a sync run pushes them in.

The one place that knows both vocabularies: providers receive neutral ``Contact``/``Invoice``/``Bill``/
``CreditNote``/``Payment`` objects whose account and tax codes are already the remote ledger's (chosen
from the connection's mapping), and hand back ``ItemResult``/``Payment`` objects that are written to
bindings here.  Nothing vendor-specific, so the QuickBooks connector uses it unchanged.
"""

import dataclasses
import datetime
import logging
from decimal import Decimal

from odoo import fields
from odoo.tools import html2plaintext

from account_sync.engine.decimals import to_decimal
from account_sync.engine.errors import MappingError, SyncError
from account_sync.engine.idempotency import payload_fingerprint, version_hash
from account_sync.engine.mapping import IncomeAccounts, income_account, surcharge_account
from account_sync.engine.provider import contact_key, contacts_first, push_plan
from account_sync.engine.records import (
    Address,
    Allocation,
    Bill,
    Contact,
    CreditNote,
    Invoice,
    ItemResult,
    Line,
    Payment,
    RecordRef,
)
from account_sync.engine.states import DOCUMENT_KINDS as DOCUMENT_RECORD_KINDS
from account_sync.engine.states import DONE_STATES, RETRY_STATES, RecordKind, RemoteState, SyncState

_logger = logging.getLogger(__name__)

DOCUMENT_KINDS = {
    "out_invoice": "invoice",
    "in_invoice": "bill",
    "out_refund": "credit_note",
    "in_refund": "credit_note",
}
DONE_PAYMENT_STATES = ("in_process", "paid")
#: the binding states the candidate queries name, as SQL parameters
STATE_PARAMS = {
    "retry": tuple(state.value for state in RETRY_STATES),
    "synced": SyncState.SYNCED.value,
    "error": SyncState.ERROR.value,
}
SCAN_OVERLAP = datetime.timedelta(hours=1)  # longer than any transaction that writes invoices or payments


# --- Odoo → neutral -------------------------------------------------------------------------------------


def contact(partner, remote_id=None) -> Contact:
    partner = partner.commercial_partner_id
    address = Address(
        street=partner.street or "",
        street2=partner.street2 or "",
        city=partner.city or "",
        zip=partner.zip or "",
        state=partner.state_id.name or "",
        country_code=partner.country_id.code or "",
    )
    return Contact(
        ref=RecordRef("res.partner", partner.id, version_hash(partner.write_date)),
        name=partner.name or "",
        email=partner.email or "",
        phone=partner.phone or "",
        mobile=partner.mobile or "",
        vat=partner.vat or "",
        country_code=partner.country_id.code or "",
        is_customer=True,
        address=address if any([partner.street, partner.city, partner.zip, partner.country_id]) else None,
        remote_id=remote_id,
    )


def _reference(connection, move) -> str:
    """The invoice reference the settings choose: the job number (source document), the customer's PO
    number, or the site address / client work order of the invoice's job (asked through a hook: jobs live
    in another addon, and without it an invoice has none)."""
    field = connection.invoice_reference_field
    if field == "site":
        return move._account_sync_job_reference("site")
    if field == "payment_reference":  # the key predates the job: it is the job's client work order
        return move._account_sync_job_reference("work_order")
    if field == "origin":
        return move.invoice_origin or ""
    return move.ref or ""


def _income_rules(connection, move) -> dict:
    """What ``income_account`` needs besides the line, read once per move."""
    return {
        "default": IncomeAccounts(
            connection.labour_income_account_id.code or "", connection.materials_income_account_id.code or ""
        ),
        "job_type": move._account_sync_job_income_accounts(connection),
        "credit_note": (connection.credit_note_account_id.code or "") if move.move_type == "out_refund" else "",
    }


def _income_account(connection, line, rules) -> str:
    product = line.product_id
    override = product.product_tmpl_id.account_sync_income_account_id
    method = line.move_id.preferred_payment_method_line_id
    surcharge = surcharge_account(connection.surcharge_ids._rules(), str(product.id), str(method.id or ""))
    if surcharge == "":
        raise MappingError(
            connection.env._(
                "Map a surcharge income account for %(product)s paid by %(method)s in the accounting settings.",
                product=product.display_name,
                method=method.display_name or connection.env._("no payment method"),
            )
        )
    return income_account(
        product.type == "service",
        surcharge=surcharge,
        product=override.code if override and override.connection_id == connection else "",
        **rules,
    )


def _account_code(connection, line, rules) -> str:
    if line.move_id.is_purchase_document(include_receipts=True):
        account = connection.supplier_invoice_account_id if line.product_id else connection.supplier_expense_account_id
        return (account or connection.supplier_invoice_account_id).code or ""
    return _income_account(connection, line, rules)


def _tax_code(connection, taxes, purchase) -> str:
    """The remote tax code of a line's (or a summary's) taxes: the code their rows in the tax table give
    when they agree on one; else the connection's default for sales or purchases, taxed or tax-free."""
    codes = connection.tax_map_ids._codes()
    mapped = {codes.get(tax.id) for tax in taxes}
    if len(mapped) == 1 and None not in mapped:
        return mapped.pop()
    taxed = any(tax.amount for tax in taxes)
    if purchase:
        tax = connection.purchase_tax_id if taxed else connection.purchase_tax_free_id
    else:
        tax = connection.sales_tax_id if taxed else connection.sales_tax_free_id
    if not tax:
        raise MappingError(
            connection.env._("Map the %s tax code in the accounting settings.", "taxed" if taxed else "tax-free")
        )
    return tax.code


def _lines(connection, move) -> list[Line]:
    purchase = move.is_purchase_document(include_receipts=True)
    products = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
    rules = {} if purchase else _income_rules(connection, move)
    if connection.line_mode == "summary":
        labour = all(line.product_id.type == "service" for line in products)
        if purchase:
            account = connection.supplier_invoice_account_id.code or ""
        else:
            account = income_account(labour, **rules)
        lines = [
            Line(
                description=move.name or connection.env._("Invoice"),
                quantity=Decimal(1),
                unit_price=to_decimal(move.amount_untaxed),
                account_code=account,
                tax_code=_tax_code(connection, products.tax_ids, purchase),
            )
        ]
    else:
        lines = [
            Line(
                description=(line.name or line.product_id.display_name or "-")[:4000],
                quantity=to_decimal(line.quantity),
                unit_price=to_decimal(line.price_unit),
                discount_percent=to_decimal(line.discount),
                account_code=_account_code(connection, line, rules),
                tax_code=_tax_code(connection, line.tax_ids, purchase),
                item_code=(line.product_id.default_code or "") if connection.push_lines_as_items else "",
                item_name=(line.product_id.name or "") if connection.push_lines_as_items else "",
            )
            for line in products
        ]
    for rounding in move.line_ids.filtered(lambda line: line.display_type == "rounding"):
        if not connection.rounding_account_id:
            raise MappingError(connection.env._("Map the rounding account in the accounting settings."))
        sign = -1 if move.is_inbound() else 1
        lines.append(
            Line(
                description=rounding.name or connection.env._("Rounding"),
                quantity=Decimal(1),
                unit_price=to_decimal(sign * rounding.balance),
                account_code=connection.rounding_account_id.code,
                tax_code=_tax_code(connection, rounding.tax_ids, purchase),
            )
        )
    if connection.push_work_undertaken and move.narration and lines:
        work = html2plaintext(move.narration)
        lines[0].description = f"{lines[0].description}\n{work}"[:4000]
    return lines


def _fingerprint(doc) -> str:
    """Hash of what is sent, without ids: the same content is never pushed twice."""
    data = dataclasses.asdict(doc)
    data.pop("ref")
    data.pop("remote_id")
    data.pop("extras", None)  # what one provider adds is not the document's content
    if data.get("currency_rate") is None:  # home-currency documents keep the versions they were pushed with
        data.pop("currency_rate", None)
    for line in data["lines"]:  # likewise lines without items
        if not line.get("item_name"):
            line.pop("item_name", None)
    data["contact"] = data["contact"]["ref"]["id"]
    for allocation in data.get("allocations", []):
        allocation.pop("date", None)
    return payload_fingerprint(data)


def home_rate(move):
    """Company currency units per one unit of the move's currency (Intuit's definition of a rate; Odoo
    stores the inverse, ``invoice_currency_rate``); None for a move in the company currency."""
    if move.currency_id == move.company_id.currency_id:
        return None
    if move.invoice_currency_rate:
        return (Decimal(1) / Decimal(str(move.invoice_currency_rate))).quantize(Decimal("1e-10")).normalize()
    if move.amount_total:  # no rate stored: the booked amounts say it
        return (Decimal(str(abs(move.amount_total_signed))) / Decimal(str(move.amount_total))).quantize(
            Decimal("1e-10")
        )
    return None


def document(connection, move, remote_ids, number=None):
    """Invoice, Bill or CreditNote for a posted move; ``remote_ids`` maps (model, id) to remote ids.

    ``number`` replaces the move's own number (a number the user accepted after the remote ledger
    refused the move's as already used)."""
    kind = DOCUMENT_KINDS[move.move_type]
    partner = move.partner_id.commercial_partner_id
    values = {
        "ref": RecordRef("account.move", move.id),
        "contact": contact(partner, remote_ids.get(("res.partner", partner.id))),
        "date": move.invoice_date or move.date,
        "due_date": move.invoice_date_due,
        "number": number or ((move.ref or move.name) if move.is_purchase_document() else move.name),
        "reference": _reference(connection, move),
        "currency": move.currency_id.name if move.currency_id != move.company_id.currency_id else "",
        "currency_rate": home_rate(move),
        "amounts_include_tax": any(move.invoice_line_ids.tax_ids.mapped("price_include")),
        "lines": _lines(connection, move),
        "remote_id": remote_ids.get(("account.move", move.id)),
        "extras": connection._provider()._document_extras(connection, move) if connection.provider else {},
    }
    if kind == "credit_note":
        doc = CreditNote(supplier=move.move_type == "in_refund", **values)
        origin = move.reversed_entry_id
        origin_remote = remote_ids.get(("account.move", origin.id)) if origin else None
        if origin_remote and not values["remote_id"]:
            amount = min(move.amount_total, origin.amount_residual or origin.amount_total)
            if amount > 0:
                doc.allocations = [
                    Allocation(invoice_remote_id=origin_remote, amount=to_decimal(amount), date=doc.date)
                ]
    elif kind == "bill":
        doc = Bill(**values)
    else:
        doc = Invoice(**values)
    doc.ref = RecordRef("account.move", move.id, _fingerprint(doc)[:16])
    return kind, doc


def payment(connection, pay, document_remote_id, previous_remote_id="", document_kind=None) -> Payment:
    """The neutral payment of ``pay`` on one pushed document (of ``document_kind``).

    ``previous_remote_id`` (the payment deleted remotely before) enters the version: a payment confirmed
    again after a remote delete is a new one, with a new idempotency key."""
    card = pay.payment_method_line_id.account_sync_payment_kind == "card" and connection.credit_card_account_id
    account = connection.credit_card_account_id if card else connection.payment_account_id
    if not account:
        raise MappingError(connection.env._("Map the account that receives payments in the accounting settings."))
    version = version_hash([str(pay.amount), str(pay.date), document_remote_id, previous_remote_id])
    return Payment(
        ref=RecordRef("account.payment", pay.id, version),
        document_remote_id=document_remote_id,
        amount=to_decimal(pay.amount),
        date=pay.date,
        account_code=account.code,
        reference=pay.memo or pay.name or "",
        document_kind=document_kind,
        card=bool(card),
        currency_rate=payment_home_rate(pay),
    )


def payment_home_rate(pay):
    """Company currency units per one unit of the payment's currency, from what Odoo booked for it (the
    payment's own rate, which may differ from its invoice's: the difference is an exchange gain or loss);
    None for a payment in the company currency."""
    if pay.currency_id == pay.company_id.currency_id or not pay.amount:
        return None
    booked = Decimal(str(abs(pay.amount_company_currency_signed)))
    return (booked / Decimal(str(pay.amount))).quantize(Decimal("1e-10")).normalize()


# --- neutral → Odoo -------------------------------------------------------------------------------------


def import_contacts(connection, contacts) -> int:
    """Create partners for remote contacts not bound yet; returns how many were created."""
    env = connection.env
    Binding = env["account.sync.binding"].sudo()
    known = set(Binding._by_remote(connection, "res.partner"))
    created = 0
    for remote in contacts:
        if not remote.remote_id or remote.remote_id in known or not remote.name:
            continue
        partner = env["res.partner"].create(
            {
                "name": remote.name,
                "email": remote.email or False,
                "phone": remote.phone or False,
                "mobile": remote.mobile or False,
                "vat": remote.vat or False,
                "is_company": True,
                "customer_rank": 1 if remote.is_customer or not remote.is_supplier else 0,
                "supplier_rank": 1 if remote.is_supplier else 0,
                "company_id": False,
            }
        )
        Binding.bind(connection, partner, RecordKind.CONTACT, remote.remote_id, origin="remote")
        known.add(remote.remote_id)
        created += 1
    return created


def _supplier(pay):
    """Whether a payment (gone: False) pays a supplier, for providers that keep those apart."""
    return bool(pay) and pay.partner_type == "supplier"


class SyncRun:
    """One pass over a connection: what to push, in dependency order, and what to pull.

    Candidates are chosen in SQL, not by reading every record: a document or payment is looked at when it
    has no binding, its binding is pending or in error, or it was written after the version last pushed
    (``record_write_date``), and only among records written since the connection's last complete scan
    (``documents_scanned_at``) minus ``SCAN_OVERLAP``.  The overlap covers transactions that started before
    the scan and committed after it (their write_date is their start); the write_date comparison keeps it
    cheap.  An unchanged record is therefore neither read nor pushed again.
    """

    def __init__(self, connection):
        self.connection = connection
        self.env = connection.env
        self.cr = connection.env.cr
        self.Binding = self.env["account.sync.binding"].sudo()
        self.company = connection.company_id
        self.scan_started = None
        self._client = None

    @property
    def client(self):
        """The provider's engine client, built once per run (on first use: a run with nothing to do
        needs no grant)."""
        if self._client is None:
            self._client = self.connection._client()
        return self._client

    def _remote_ids(self, records):
        """{(model, id): remote id} of ``records`` bound remotely (the keys ``document`` looks up)."""
        return {(records._name, i): r for i, r in self.Binding.to_external(self.connection, records).items()}

    def _since(self):
        scanned = self.connection.documents_scanned_at
        return scanned - SCAN_OVERLAP if scanned else None

    def _candidates(self, query, **params):
        """Ids from ``query`` (SQL over a table aliased r and the bindings b), after flushing the ORM."""
        self.env.flush_all()
        if self.scan_started is None:
            self.scan_started = self.cr.now()
        params.update(connection=self.connection.id, company=self.company.id, since=self._since(), **STATE_PARAMS)
        params.setdefault("start", self.connection.start_date or None)
        self.cr.execute(query, params)
        return [row[0] for row in self.cr.fetchall()]

    def _document_candidates(self):
        return self._candidates(
            """
            SELECT r.id FROM account_move r
            LEFT JOIN account_sync_binding b
                   ON b.connection_id = %(connection)s AND b.model = 'account.move' AND b.res_id = r.id
            WHERE r.company_id = %(company)s AND r.move_type IN %(types)s AND r.state = 'posted'
              AND (%(start)s::date IS NULL OR r.invoice_date >= %(start)s::date)
              AND (%(since)s::timestamp IS NULL OR r.write_date >= %(since)s::timestamp)
              AND (b.id IS NULL OR b.record_write_date IS NULL OR r.write_date > b.record_write_date)
            UNION
            SELECT r.id FROM account_sync_binding b JOIN account_move r ON r.id = b.res_id
            WHERE b.connection_id = %(connection)s AND b.model = 'account.move' AND b.state IN %(retry)s
              AND r.state = 'posted' AND r.company_id = %(company)s
            ORDER BY 1
            """,
            types=tuple(DOCUMENT_KINDS),
        )

    def push_customers(self):
        """The export action: every customer of the company not linked yet, in provider-sized batches."""
        partners = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("customer_rank", ">", 0),
                    ("parent_id", "=", False),
                    ("company_id", "in", [False, self.company.id]),
                ],
                order="id",
            )
        )
        linked = self.Binding._of(self.connection, partners)
        todo = [p for p in partners if not (p.id in linked and linked[p.id].remote_id)]
        pushed = 0
        partners = {p.id: p for p in todo}
        for step in push_plan([contact(p) for p in todo], self.client.capabilities):
            results = self.client.push_contacts(step.records)
            for neutral, result in zip(step.records, results, strict=True):
                self._record(partners[neutral.ref.id], RecordKind.CONTACT, result, "")
                pushed += result.ok
            self.connection._commit()
        return pushed

    def push_documents(self):
        moves = self.env["account.move"].sudo().browse(self._document_candidates())
        invoices = moves.filtered(lambda m: m.move_type in ("out_invoice", "in_invoice"))
        self._push(invoices)
        self._push(moves - invoices)  # credit notes after the invoices they are allocated to

    def finish_scan(self):
        """Every candidate was handled: the next run looks only at what is written from now on."""
        if self.scan_started:
            self.connection.sudo().documents_scanned_at = self.scan_started

    def _push(self, moves):
        if not moves:
            return
        partners = moves.partner_id.commercial_partner_id
        remote_ids = {**self._remote_ids(partners), **self._remote_ids(moves | moves.reversed_entry_id)}
        bindings = self.Binding._of(self.connection, moves)
        todo = []
        for move in moves:
            written = move.write_date
            binding = bindings.get(move.id)
            try:
                kind, doc = document(self.connection, move, remote_ids, binding.number_override if binding else None)
            except SyncError as exc:
                self._record_error(move, DOCUMENT_KINDS[move.move_type], exc)
                continue
            if binding and binding.state in DONE_STATES and binding.version == doc.ref.version:
                binding.record_write_date = written  # read again for nothing; not next time
                continue  # this version is already there: pushing again would be a no-op at best
            if binding and binding.duplicate_remote_id and binding.version == doc.ref.version:
                binding.record_write_date = written
                continue  # its number is taken remotely: the user binds or renumbers it, no blind retry
            todo.append((move, kind, doc, written))
        if not todo:
            return
        capabilities = self.client.capabilities
        # the plan's first phase: each party not linked yet, once, before the documents that name it
        failed = contacts_first([doc for _m, _k, doc, _w in todo], self.client.push_contacts, capabilities)
        ready = []
        for move, kind, doc, written in todo:
            partner = move.partner_id.commercial_partner_id
            if doc.contact.remote_id and doc.contact.remote_id != remote_ids.get(("res.partner", partner.id)):
                remote_ids[("res.partner", partner.id)] = doc.contact.remote_id
                self.Binding.bind(self.connection, partner, RecordKind.CONTACT, doc.contact.remote_id, last_error=False)
            refused = failed.get(contact_key(doc, capabilities))
            if refused is not None:  # not sent: the provider would refuse it for want of its party
                errors = tuple(f"{partner.display_name}: {error}" for error in refused.errors)
                self._record(move, kind, ItemResult(doc.ref, False, errors=errors), doc.ref.version)
                continue
            ready.append((move, kind, doc, written))
        entries = {id(doc): (move, kind, doc, written) for move, kind, doc, written in ready}
        self.connection._commit()
        for step in push_plan([doc for _m, _k, doc, _w in ready], capabilities):
            # one provider batch at a time, recorded and committed before the next: if a later batch hits
            # the rate limit, the remote ids of this one are kept and never pushed (created) twice
            results = self.client.push_documents(step.records)
            for doc, result in zip(step.records, results, strict=True):
                move, kind, doc, written = entries[id(doc)]
                self._record(move, kind, result, doc.ref.version, record_write_date=written)
            self.connection._commit()

    def _record(self, record, kind, result, version, **extra):
        duplicate = result.duplicate
        values = {
            "version": version,
            "last_error": False,
            "duplicate_remote_id": duplicate.remote_id if duplicate else False,
            "duplicate_number": duplicate.number if duplicate else False,
            "duplicate_same": bool(duplicate and duplicate.same),
            "duplicate_suggestion": (duplicate.suggestion or False) if duplicate else False,
            **extra,
        }
        if result.remote_id:
            values["remote_id"] = result.remote_id
        if result.number:
            values["remote_number"] = result.number
        if result.ok:
            values["state"] = SyncState.SYNCED
        else:
            values.update(state=SyncState.ERROR, last_error="\n".join(result.errors))
            self.connection._log("push", "error", values["last_error"], record)
        if kind in DOCUMENT_RECORD_KINDS:
            for warning in result.warnings:  # pushed, but something around it was refused (a credit applied)
                self.connection._log("push", "error", warning, record)
        self.Binding._set(self.connection, record, kind, **values)

    def _record_error(self, record, kind, exc):
        self.Binding._set(self.connection, record, kind, state=SyncState.ERROR, last_error=str(exc))
        self.connection._log("push", "error", str(exc), record)

    def _bindings_to_undo(self, table, done_states):
        """Bindings of records pushed (remote id known) that are gone or left ``done_states`` since.

        Three index-driven parts instead of a join over every binding: records written since the last
        scan, bindings whose record was deleted (``record_gone``, set at unlink) and earlier failures.
        """
        model = table.replace("_", ".")
        ids = self._candidates(
            f"""
            SELECT b.id FROM {table} r
            JOIN account_sync_binding b ON b.connection_id = %(connection)s AND b.model = %(model)s AND b.res_id = r.id
            WHERE (%(since)s::timestamp IS NULL OR r.write_date >= %(since)s::timestamp) AND r.state NOT IN %(done)s
              AND b.state = %(synced)s AND b.remote_id IS NOT NULL
            UNION
            SELECT b.id FROM account_sync_binding b
            WHERE b.connection_id = %(connection)s AND b.model = %(model)s AND b.remote_id IS NOT NULL
              AND (b.state = %(error)s OR (b.record_gone AND b.state = %(synced)s))
            ORDER BY 1
            """,  # noqa: S608 - the table name is one of two constants
            model=model,
            done=tuple(done_states),
        )
        bindings = self.Binding.browse(ids)
        return bindings.filtered(lambda b: not b._record() or b._record().state not in done_states)

    def void_cancelled(self):
        """Documents pushed, then cancelled (or deleted) in Odoo: voided remotely, credit notes too."""
        for binding in self._bindings_to_undo("account_move", ("posted", "draft")):
            move = binding._record()
            if binding.kind not in DOCUMENT_RECORD_KINDS:
                continue
            ref = RecordRef("account.move", binding.res_id, binding.version)
            supplier = move.is_purchase_document() if move else None  # None: deleted, nobody knows
            result = self.client.void(binding.remote_id, ref, RecordKind(binding.kind), supplier)
            label = move.name if move else binding.remote_number or binding.remote_id
            self._undone(binding, move, result, "void", self.env._("%s voided", label))

    def _undone(self, binding, record, result, operation, message):
        if result.ok:
            binding.write({"state": SyncState.VOIDED, "last_error": False, "last_sync_at": fields.Datetime.now()})
            self.connection._log(operation, "info", message, record or None)
        else:
            binding.write({"state": SyncState.ERROR, "last_error": "\n".join(result.errors)})
            self.connection._log(operation, "error", binding.last_error, record or None)

    def delete_payments(self):
        """Payments pushed (or pulled), then cancelled, reset to draft or deleted in Odoo: deleted remotely."""
        for binding in self._bindings_to_undo("account_payment", DONE_PAYMENT_STATES):
            pay = binding._record()
            ref = RecordRef("account.payment", binding.res_id, binding.version)
            result = self.client.delete_payment(binding.remote_id, ref, supplier=_supplier(pay))
            label = pay.name if pay else self.env._("Payment #%s", binding.res_id)
            self._undone(binding, pay, result, "delete", self.env._("%s deleted", label))

    def push_payments(self):
        """Each done payment of one pushed document, once; an invoice paid in parts pushes every part."""
        ids = self._candidates(
            """
            SELECT r.id FROM account_payment r
            LEFT JOIN account_sync_binding b
                   ON b.connection_id = %(connection)s AND b.model = 'account.payment' AND b.res_id = r.id
            WHERE r.company_id = %(company)s AND r.state IN %(done)s
              AND (%(start)s::date IS NULL OR r.date >= %(start)s::date)
              AND (%(since)s::timestamp IS NULL OR r.write_date >= %(since)s::timestamp)
              AND (b.id IS NULL OR b.state <> %(synced)s
                   OR (b.origin = 'local' AND (b.record_write_date IS NULL OR r.write_date > b.record_write_date)))
            UNION
            SELECT r.id FROM account_sync_binding b JOIN account_payment r ON r.id = b.res_id
            WHERE b.connection_id = %(connection)s AND b.model = 'account.payment' AND b.state IN %(retry)s
              AND r.state IN %(done)s
            ORDER BY 1
            """,
            done=DONE_PAYMENT_STATES,
        )
        pays = self.env["account.payment"].sudo().browse(ids)
        bound = self.Binding._of(self.connection, pays)
        documents = {pay.id: pay.reconciled_invoice_ids | pay.reconciled_bill_ids | pay.invoice_ids for pay in pays}
        move_ids = self._remote_ids(self.env["account.move"].union(*documents.values()))
        todo = []
        for pay in pays:
            binding = bound.get(pay.id)
            if binding and (binding.origin == "remote" or (binding.state == SyncState.ERROR and binding.remote_id)):
                continue  # pulled payments are never pushed back; a failed delete is retried by delete_payments
            remote = [move_ids.get(("account.move", d.id)) for d in documents[pay.id]]
            if len(remote) != 1 or not remote[0]:
                continue  # payments of several documents, or of documents not pushed, stay local
            kind = RecordKind(DOCUMENT_KINDS[documents[pay.id].move_type])
            # after a remote delete (voided) a re-confirmed payment is a new one: a new key, not a replay
            previous = binding.remote_id if binding and binding.state == SyncState.VOIDED else ""
            try:
                neutral = payment(self.connection, pay, remote[0], previous, kind)
                if binding and binding.state == SyncState.SYNCED:
                    if binding.version == neutral.ref.version:
                        binding.record_write_date = pay.write_date
                        continue
                    # changed in Odoo (reset, edited, confirmed again): payments cannot be edited remotely
                    result = self.client.delete_payment(binding.remote_id, neutral.ref, supplier=_supplier(pay))
                    if not result.ok:  # the remote payment stays; so does the binding, in error
                        self._undone(binding, pay, result, "delete", "")
                        continue
                    self.connection._log("delete", "info", self.env._("%s changed: deleted, pushed again", pay.name))
                    neutral = payment(self.connection, pay, remote[0], binding.remote_id, kind)
            except SyncError as exc:
                self._record_error(pay, "payment", exc)
                continue
            todo.append((pay, neutral, pay.write_date))
        entries = {id(neutral): (pay, written) for pay, neutral, written in todo}
        for step in push_plan([neutral for _pay, neutral, _written in todo], self.client.capabilities):
            results = self.client.push_payments(step.records)
            for neutral, result in zip(step.records, results, strict=True):
                pay, written = entries[id(neutral)]
                self._record(pay, RecordKind.PAYMENT, result, neutral.ref.version, record_write_date=written)
            self.connection._commit()

    def pull_payments(self):
        """Register remote payments (bank feeds...) on their Odoo documents, which become paid (or partly
        paid: a part payment leaves the rest open); a payment deleted remotely is cancelled in Odoo."""
        since = self.connection._pull_window_start()
        remote_payments = self.client.pull_payments(since)
        bound_payments = self.Binding._by_remote(
            self.connection, "account.payment", {p.remote_id for p in remote_payments}
        )
        by_remote = self.Binding._by_remote(
            self.connection, "account.move", {p.document_remote_id for p in remote_payments}
        )
        newest = self.connection.payments_pulled_at
        for remote in remote_payments:
            if remote.updated_at:
                stamp = remote.updated_at.replace(tzinfo=None) if remote.updated_at.tzinfo else remote.updated_at
                newest = max(newest, stamp) if newest else stamp
            known = bound_payments.get(remote.remote_id)
            if remote.status == RemoteState.DELETED:
                if known and known.state == SyncState.SYNCED:
                    self._cancel_deleted(known, remote)
                continue
            if remote.status == RemoteState.ELSEWHERE and not known:
                self._log_elsewhere(remote)
            if known or remote.status != RemoteState.ACTIVE:
                continue
            binding = by_remote.get(remote.document_remote_id)
            move = binding._record() if binding else None
            if not move or move.state != "posted" or move.payment_state in ("paid", "in_payment", "reversed"):
                continue
            try:
                with self.env.cr.savepoint():
                    pay = self._register(move, remote)
            except Exception as exc:  # noqa: BLE001 - one payment that Odoo refuses must not block the rest
                _logger.warning("pulled payment %s not registered: %s", remote.remote_id, exc)
                self.connection._log("pull", "error", self.env._("Payment %s: %s", remote.remote_id, exc), move)
                continue
            self.Binding.bind(self.connection, pay, RecordKind.PAYMENT, remote.remote_id, origin="remote")
            self.connection._log(
                "pull", "info", self.env._("Payment of %s registered on %s", remote.amount, move.name), move
            )
        if newest:
            self.connection.sudo().payments_pulled_at = newest

    def _log_elsewhere(self, remote):
        """A payment into an account whose payments Odoo does not register (QuickBooks' polled deposit
        account): said once per pull, not registered."""
        self.connection._log(
            "pull",
            "info",
            self.env._(
                "%(provider)s payment %(payment)s went into account %(account)s, not the deposit account:"
                " not registered",
                provider=self.connection._provider_label(),
                payment=remote.remote_id,
                account=remote.account_code,
            ),
        )

    def _cancel_deleted(self, binding, remote):
        """Deleted in the accounting package: the Odoo payment is cancelled, which un-reconciles it."""
        pay = binding._record()
        try:
            with self.env.cr.savepoint():
                if pay and pay.state != "canceled":
                    pay.action_draft()
                    pay.action_cancel()
        except Exception as exc:  # noqa: BLE001 - e.g. a lock date; shown, the others go on
            binding.write({"state": SyncState.ERROR, "last_error": str(exc)})
            self.connection._log("pull", "error", self.env._("Payment %s: %s", remote.remote_id, exc), pay)
            return
        binding.write({"state": SyncState.VOIDED, "last_error": False, "last_sync_at": fields.Datetime.now()})
        self.connection._log(
            "pull", "info", self.env._("Payment %s deleted remotely: cancelled", pay.name if pay else remote.remote_id)
        )

    def _register(self, move, remote):
        method_line = self.connection.default_payment_method_line_id
        journal = method_line.journal_id or self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "bank")], limit=1
        )
        values = {
            "amount": float(remote.amount),
            "payment_date": remote.date,
            "journal_id": journal.id,
            "communication": remote.reference or move.name,
        }
        if method_line and method_line.journal_id == journal:
            values["payment_method_line_id"] = method_line.id
        wizard = (
            self.env["account.payment.register"]
            .sudo()
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(values)
        )
        return wizard._create_payments()
