"""One file into vendor bills or customer invoices: extract, recognise the partner, guard duplicates, fill, record.

Called by ``account.move``'s EDI decoder (see ``account_move_import.py``) inside
Odoo's own ``_extend_with_attachments`` loop, for one file.  Whatever the
outcome, the file ends up with an ``invoice.import.document`` per invoice
it holds, and nothing is raised: a file that cannot be read leaves the
bill empty and a *failed* document with the engine's error code.

The same import serves customer invoices issued elsewhere (the sales
journal's address, receivables): the move's type says which.  There the
partner is the document's *customer* (VAT number, then name), never the
sender (whoever issued or forwarded the invoice), the taxes are sales
taxes, the number also becomes the payment reference the customer will
quote, the customer's salesperson becomes the invoice's, and nothing is
posted without a person.  A credit note needs no due date.
"""

import hashlib
import logging

from odoo import Command, _
from odoo.tools import email_normalize, float_compare

from ..engine import ExtractionError, Limits
from ..engine import partners as partner_names
from ..engine.bill_plan import (
    BillPlan,
    bill_kind,
    discount_for,
    line_price,
    partner_confidence,
    plan_confidence,
    summary_lines,
    tax_rate,
)
from ..engine.display import describe_warning
from ..engine.extract import extract_einvoice_xml
from ..engine.mailbox import SenderAuthentication, sender_trust
from ..engine.pivot import Party
from ..engine.review import document_state
from ..engine.sandbox import extract_isolated
from ..engine.sniff import CSV, IMAGE, PDF, sniff
from ..engine.states import DUPLICATE, FAILED, QUEUED, TO_REVIEW
from .account_move_line_memo import LINE_MEMO
from .invoice_import_document import PURCHASE_TYPES, SALE_TYPES, SOURCES

_logger = logging.getLogger(__name__)

# The context key of a list the extra bills of a file are added to (their ids) instead of being settled
# at once: the caller settles the bills of the whole delivery in date order once they are all decoded.
SETTLE_LATER = "invoice_import_settle_later"

STRUCTURED_SOURCES = ("xml", "embedded-xml")
# a tax's repartition lines for invoices and for refunds (``account.tax``), by whether the bill is a refund
REPARTITION = {False: "invoice_repartition_line_ids", True: "refund_repartition_line_ids"}
# The longest a file may hold the thread that reads it (a mail fetch, a web request) before the reader
# process is stopped: text files take well under a second.  OCR, in the scheduled job, keeps the engine's own cap.
INTAKE_SECONDS = 60


class BillImport:
    """The import of one file into ``move`` (and, for a CSV of several invoices, new bills beside it)."""

    def __init__(self, move, file_data, new, queued=None):
        """``queued``: the *queued* document of this file, when the OCR job reads it (see ``_queue``)."""
        self.move = move
        self.queued = queued
        self.sale = move.move_type in SALE_TYPES
        self.move_types = SALE_TYPES if self.sale else PURCHASE_TYPES
        self.env = move.env
        self.company = move.company_id
        # A Factur-X XML comes out of its PDF: the engine reads the whole PDF
        # (it prefers the XML itself) and the PDF is the file kept.
        origin = file_data.get("originator_pdf")
        self.file_data = file_data
        self.attachment = origin or file_data.get("attachment") or self.env["ir.attachment"]
        self.content = origin.raw if origin else file_data["content"]
        self.filename = (origin.name if origin else None) or file_data["filename"]
        self.new = new
        self.checksum = hashlib.sha256(self.content or b"").hexdigest()
        self.price_digits = self.env["decimal.precision"].precision_get("Product Price")
        self.Document = self.env["invoice.import.document"].sudo()
        # Who mailed the file: an intake that knows it says so in the context; Odoo's mail
        # gateway writes it on the bill (message_new).  A file uploaded by hand has none.
        self.sender = email_normalize(self.env.context.get("invoice_import_sender") or move.invoice_source_email or "")
        if self.sale:  # the sender of a customer invoice is its issuer, not the customer
            self.sender_partner, how = self.env["res.partner"], None
        else:
            self.sender_partner, how = self.env["invoice.import.sender"].sudo()._find_partner(self.sender, self.company)
        self.sender_match = {"address": "sender", "domain": "sender_domain"}.get(how)
        self._taxes = {}  # (company id, rate): what ``_tax`` found
        self._currencies = {}  # ISO code: what ``_currency`` found
        self.guess = None  # (partner, how, confidence) from the template-free reading that chose a template
        # what the receiving server said of the sender (``mail.thread.message_parse``): (status, details)
        auth = self.env.context.get("invoice_import_sender_auth") if self.sender else None
        self.sender_auth = SenderAuthentication(*auth) if auth else None

    # ------------------------------------------------------------------
    # The whole import
    # ------------------------------------------------------------------

    def run(self, odoo_decoder=None):
        """Import the file; True when it is handled (always, once a document records the outcome)."""
        if self.sender and not self.move.invoice_source_email:
            self.move.invoice_source_email = self.sender
        try:
            invoices, fmt = self._extract()
        except ExtractionError as exc:
            if exc.code == "needs_ocr":
                return self._queue(exc)
            if self.queued and self.queued._ocr_retry(exc.code, exc.message):
                return True
            # only an XML of a syntax the engine does not know goes to Odoo's decoder:
            # one it refused as unsafe (entities, DTD) is refused for good
            if odoo_decoder and exc.code == "invalid_xml":
                return self._delegate(odoo_decoder, exc)
            return self._fail(exc.code, exc.message)
        except Exception as exc:  # an engine bug must not lose the file nor reach the user
            _logger.exception("invoice_import: the engine failed on %s", self.filename)
            if self.queued and self.queued._ocr_retry("engine_error", str(exc)):
                return True
            return self._fail("engine_error", _("The extraction engine failed unexpectedly: %s", exc))
        plans = [self._plan(pivot, fmt) for pivot in invoices]
        # The bill being decoded holds the first new invoice of the file; a duplicate stays
        # on it only when the file holds nothing new, so that the person sees it there.
        any_fresh = any(not plan.duplicate for plan in plans)
        documents = self.Document
        free = self.move
        for plan in plans:
            if plan.duplicate:
                documents |= self._record_duplicate(plan, None if any_fresh else self.move)
                continue
            move, free = free or self._new_bill(), None
            documents |= self._import_one(move, plan)
        documents._schedule_activities()
        return True

    # ------------------------------------------------------------------
    # Extraction: the supplier's own format when it is known
    # ------------------------------------------------------------------

    def _extract(self):
        """``(invoices, format)``: the engine's invoices and the format record they were read with (maybe empty).

        The supplier known before reading (mapped sender, or the partner a
        person set on an existing bill) gives the format.  Otherwise a CSV
        is tried with each of the company's CSV formats (a format whose
        columns are missing refuses the file), and a PDF or scan is read
        without a template first: if its supplier turns out to have one,
        it is read again with it.
        """
        parsed = self._parsed_xml()
        if parsed:  # the e-invoice's XML beats any format, as it does in the engine
            return parsed, self.env["invoice.import.format"]
        kind = sniff(self.content, self.filename)
        # a supplier's format is the supplier's: a customer invoice is read with the company's formats
        known = self.sender_partner or (
            self.move.partner_id if not self.new and not self.sale else self.env["res.partner"]
        )
        fmt = self._format_of(known, kind)
        if fmt:
            return self._engine(fmt), fmt
        if kind == CSV and not known:
            for fmt in self._company_formats("csv"):
                try:
                    return self._engine(fmt), fmt
                except ExtractionError as exc:
                    if exc.code != "csv_error":
                        raise
        invoices = self._engine(None)
        if not known and not self.sale and kind in (PDF, IMAGE) and invoices[0].source not in STRUCTURED_SOURCES:
            guess = self._identify(invoices[0])
            fmt = self._format_of(guess[0], kind)
            if fmt:
                self.guess = guess  # what the document said; the template's constants add nothing to it
                return self._engine(fmt), fmt
        return invoices, self.env["invoice.import.format"]

    def _parsed_xml(self):
        """The invoices of the XML e-invoice Odoo's loop hands over already parsed (a Factur-X PDF's
        attachment, or an XML file), read in this worker; ``[]`` when the engine does not read it so.

        Odoo parsed these bytes in this worker before asking for a decoder:
        reading them again costs a millisecond, where the reader process
        would cost a fork and a second parse of the whole PDF.  An XML the
        engine refuses here (unsafe, unknown, over the size cap, or a bug) goes the
        usual way, the whole file to the reader process, which reports it
        (or reads the PDF's text) exactly as before.
        """
        if self.queued or self.file_data.get("type") != "xml" or not self.file_data.get("content"):
            return []
        try:
            embedded = bool(self.file_data.get("originator_pdf"))
            return extract_einvoice_xml(self.file_data["content"], embedded=embedded, limits=Limits()).invoices
        except Exception:  # noqa: BLE001 -- refused or not, the reader process reads the file and says why
            return []

    def _engine(self, fmt):
        formats = [fmt._engine_format()] if fmt else []
        # OCR only in the scheduled job: the decoder runs inside a mail fetch or a web request
        allow_ocr = bool(self.queued)
        # in a process of its own under OS limits (engine/sandbox.py): a hostile file cannot hang this worker
        limits = Limits() if allow_ocr else Limits(max_seconds=INTAKE_SECONDS)
        # a bill is addressed to the company: its own name and VAT number are never the supplier's
        buyer = None if self.sale else Party(name=self.company.name, vat=self.company.vat or None)
        return extract_isolated(
            self.content, filename=self.filename, formats=formats, allow_ocr=allow_ocr, limits=limits, buyer=buyer
        ).invoices

    def _format_of(self, partner, kind):
        fmt = partner.with_company(self.company).sudo().invoice_import_format_id if partner else None
        wanted = {CSV: "csv", PDF: "pdf", IMAGE: "pdf"}.get(kind)
        if fmt and fmt.active and fmt.kind == wanted and fmt.company_id in (self.company, fmt.company_id.browse()):
            return fmt
        return self.env["invoice.import.format"]

    def _company_formats(self, kind):
        return (
            self.env["invoice.import.format"]
            .sudo()
            .search([("kind", "=", kind), ("company_id", "in", [False, self.company.id])], order="company_id, id")
        )

    # ------------------------------------------------------------------
    # Supplier and duplicates
    # ------------------------------------------------------------------

    def _identify(self, pivot, fmt=None):
        """``(partner, how, confidence)``: mapped sender, the bill's own partner, then the document's data.

        Only what the document itself says is evidence. A template chosen because its supplier was
        recognised in the template-free reading fills in its ``fixed`` values (a VAT number, a name):
        they are the template's claim, not evidence, so that recognition stands as it was, at its own
        confidence (``fmt``: the template the pivot was read with). A name identifies a partner only when
        it is specific and equal (``engine.partners``), never by a fragment.
        """
        if self.sender_partner:
            return self.sender_partner, self.sender_match, partner_confidence(self.sender_match, 1.0)
        if not self.new and self.move.partner_id:
            return self.move.partner_id, "bill", partner_confidence("bill", 1.0)
        if fmt and self.guess and self.guess[0].with_company(self.company).invoice_import_format_id == fmt:
            return self.guess
        party, role = (pivot.customer, "customer") if self.sale else (pivot.supplier, "supplier")
        confidence = pivot.confidence
        searches = [("vat", {"vat": party.vat}, confidence.get(f"{role}.vat", 0.0))]
        if not self.sale:  # the sender Odoo's gateway knows, and contact data, are the supplier's
            searches += [
                ("mail", None, 1.0),
                (
                    "contact",
                    {"email": party.email, "phone": party.phone},
                    max(confidence.get("supplier.email", 0.0), confidence.get("supplier.phone", 0.0)),
                ),
            ]
        searches.append(("name", {"name": party.name}, confidence.get(f"{role}.name", 0.0)))
        Partner = self.env["res.partner"].with_company(self.company)
        for how, criteria, field_confidence in searches:
            if how == "mail":
                # the partner Odoo's mail gateway found from the sender's address
                partner = self.move.partner_id if self.new else Partner
            elif how == "name":
                partner = self._partner_named(party.name)
            elif any(criteria.values()):
                partner = Partner._retrieve_partner(**criteria, company=self.company)
            else:
                continue
            if partner and partner != self.company.partner_id:
                return partner, how, partner_confidence(how, field_confidence)
        return Partner, False, 0.0

    def _partner_named(self, name):
        """The one partner (company) whose name is ``name``, case, punctuation and legal forms aside.

        Not Odoo's ``ilike``: "Ltd" would find the one partner whose name contains it.
        """
        Partner = self.env["res.partner"].with_company(self.company)
        key, word = partner_names.name_key(name), partner_names.search_word(name)
        if not key or not word:
            return Partner
        domain = [*Partner._check_company_domain(self.company), ("name", "ilike", word)]
        found = Partner.search(domain, limit=200).filtered(lambda p: partner_names.name_key(p.name) == key)
        found = found.commercial_partner_id
        return found if len(found) == 1 else Partner

    def _plan(self, pivot, fmt):
        """The ``BillPlan`` of one invoice of the file: its supplier, confidence, format and duplicate."""
        partner, how, found_confidence = self._identify(pivot, fmt if pivot.format else None)
        # untrusted: the supplier rests on a From header nobody vouched for
        trusted, sender_warning = sender_trust(how, self.sender_auth, self.sender)
        duplicate = self.Document._find_duplicate(
            self.company,
            partner,
            pivot.invoice_number,
            self.checksum,
            exclude_moves=self.move,
            move_types=self.move_types,
        )
        return BillPlan(
            pivot=pivot,
            format=fmt if pivot.format else fmt.browse(),
            partner=partner,
            match=how,
            confidence=plan_confidence(found_confidence, trusted, pivot.confidence),
            duplicate=duplicate,
            sender_warning=sender_warning,
        )

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------

    def _document_values(self, move, plan=None, attachment=None):
        """The ``invoice.import.document`` create values (a dict) of this file on ``move``, with ``plan``'s data."""
        attachment = attachment or self.attachment
        values = {
            "company_id": self.company.id,
            "move_id": move.id if move else False,
            "attachment_id": attachment.id,
            "file_name": self.filename,
            "file_checksum": self.checksum,
            "sender_email": self.sender or False,
            "sender_auth": self.sender_auth.status if self.sender_auth else ("none" if self.sender else False),
            "sender_auth_detail": self.sender_auth.reason if self.sender_auth else False,
            "direction": "sale" if self.sale else "purchase",
        }
        if plan:
            pivot = plan.pivot
            currency = self._currency(pivot.currency)[0]
            values.update(
                {
                    "source": pivot.source if pivot.source in dict(SOURCES) else False,
                    "format_id": plan.format.id,
                    "partner_id": plan.partner.id,
                    "partner_match": plan.match,
                    "invoice_number": pivot.invoice_number,
                    "invoice_date": pivot.issue_date,
                    "currency_id": currency.id,
                    "amount_total": float(pivot.amount_total) if pivot.amount_total is not None else False,
                    "confidence": plan.confidence,
                    "pivot_json": self.Document._pivot_text(pivot),
                }
            )
        return values

    def _create_document(self, values):
        """A new import document; the OCR job's first one is the queued document itself, now filled in."""
        if self.queued:
            document, self.queued = self.queued, None
            document.write({"warnings": False, **values})
            return document
        return self.Document.create(values)

    def _queue(self, error):
        """The file needs OCR: the bill stays empty and a *queued* document waits for the OCR job.

        Always queued, also for a file a person uploads in the web client:
        one rule, a request that never waits for tesseract, and the import
        panel says "Queued for OCR" until the job (every few minutes) has
        read it.
        """
        document = self.Document.create(
            {
                **self._document_values(self.move),
                "state": QUEUED,
                "ocr_new": self.new,
                "warnings": error.message,
            }
        )
        self.move.message_post(
            body=_("The file %(file)s needs OCR: it is queued and will be read shortly.", file=self.filename)
        )
        document.env.ref("invoice_import.ir_cron_invoice_import_ocr")._trigger()
        return True

    def _fail(self, code, message, move=None, plan=None):
        move = self.move if move is None else move
        document = self._create_document(
            {**self._document_values(move, plan), "state": FAILED, "error_code": code, "error_message": message}
        )
        move.message_post(
            body=_("The file %(file)s could not be read: %(message)s", file=self.filename, message=message)
        )
        document._schedule_activities()
        return True

    def _record_duplicate(self, plan, move):
        existing = plan.duplicate
        document = self._create_document(
            {**self._document_values(move, plan), "state": DUPLICATE, "duplicate_of_move_id": existing.id}
        )
        if move:
            move.message_post(
                body=_(
                    "It seems this invoice has already been imported: %(bill)s. "
                    "Link this document to the existing bill, or replace the existing bill's document.",
                    bill=existing._get_html_link(),
                )
            )
        else:
            self.move.message_post(
                body=_(
                    "The file also holds invoice %(number)s, already imported as %(bill)s: it was not imported again.",
                    number=plan.pivot.invoice_number,
                    bill=existing._get_html_link(),
                )
            )
        return document

    def _delegate(self, odoo_decoder, error):
        """An XML the engine refuses but Odoo's own decoder knows: Odoo fills the bill, a person checks it."""
        if not odoo_decoder(self.move, self.file_data, self.new):
            return self._fail(error.code, error.message)
        self._create_document(
            {
                **self._document_values(self.move),
                "state": TO_REVIEW,
                "source": "xml",
                "partner_id": self.move.partner_id.id,
                "invoice_number": self.move.ref,
                "invoice_date": self.move.invoice_date,
                "currency_id": self.move.currency_id.id,
                "amount_total": self.move.amount_total,
                "warnings": _("Read by Odoo's own e-invoice import; the engine refused it: %s", error.message),
            }
        )._schedule_activities()
        return True

    # ------------------------------------------------------------------
    # Filling a bill
    # ------------------------------------------------------------------

    def _new_bill(self):
        """Another bill of the same file, created by whoever created the bill being decoded: Odoo's mail
        gateway creates that one as the mail's user and decodes its files as OdooBot."""
        creator = self.move.create_uid or self.env.user
        return (
            self.move.with_user(creator)
            .sudo(self.env.su)
            .create(
                {
                    "move_type": self.move.move_type,
                    "journal_id": self.move.journal_id.id,
                    "invoice_source_email": self.move.invoice_source_email,
                }
            )
            .with_env(self.env)
        )

    def _import_one(self, move, plan):
        try:
            with self.env.cr.savepoint():
                warnings = self._pivot_warnings(plan.pivot) + self._fill(move, plan)
                if plan.sender_warning:  # a From header alone: the person checks the bill, nothing is posted
                    warnings.append(plan.sender_warning)
        except Exception as exc:  # the bill stays empty, the reason is kept
            _logger.exception("invoice_import: filling a bill from %s failed", self.filename)
            self._fail("bill_error", _("The data was read but the bill could not be filled: %s", exc), move, plan)
            return self.Document.browse()
        attachment = self.attachment
        if move != self.move:
            # what Odoo's own loop does for the bill it decodes, done for the extra bills of the file
            attachment = self._attach(move)
            move.invoice_line_ids.is_imported = True
        state = document_state(plan.confidence, warnings)
        document = self._create_document(
            {**self._document_values(move, plan, attachment), "state": state, "warnings": "\n".join(warnings)}
        )
        if move != self.move and not self.sale:
            # after the document exists: the purchase order match is recorded on it
            move._link_bill_origin_to_purchase_orders(timeout=4)
            # and posted when it may be, as the bill being decoded is once Odoo's loop is done
            # (by mail, upload or the OCR job alike): the second invoice of a CSV is no exception. A caller
            # that settles the whole delivery collects it, so that the bills post in date order.
            later = self.env.context.get(SETTLE_LATER)
            if later is None:
                move._invoice_import_settle()
            else:
                later.append(move.id)
        # a note in the chatter, no notification (as Odoo logs its own changes): nobody is to be mailed about it
        move._message_log(
            body=_(
                "Imported from %(file)s (%(origin)s%(format)s): %(state)s.",
                file=self.filename,
                origin=dict(SOURCES).get(plan.pivot.source, plan.pivot.source),
                format=_(", format %s", plan.format.name) if plan.format else "",
                state=dict(document._fields["state"].selection)[state],
            )
        )
        return document

    def _pivot_warnings(self, pivot):
        """The engine's warnings in words (``engine.display.describe_warning``: a field's label, not its
        key); on a customer credit note, a due date not found is no concern."""
        warnings = pivot.warnings
        if self.sale and pivot.document_type == "credit_note":
            warnings = [w for w in warnings if not w.startswith("due_date:")]
        return [describe_warning(w) for w in warnings]

    def _attach(self, move):
        """The extra bills of a multi-invoice file carry a copy of the file too."""
        if not self.attachment:
            return self.attachment
        copy = self.attachment.sudo().copy({"res_model": "account.move", "res_id": move.id})
        move.with_context(no_new_invoice=True).message_post(attachment_ids=copy.ids)
        return copy

    def _fill(self, move, plan):
        """Write the pivot into the bill through Odoo's EDI creation context; returns the warnings it adds."""
        pivot, partner = plan.pivot, plan.partner
        warnings = []
        refund, sign = bill_kind(pivot.document_type, pivot.amount_total)
        move_type = self.move_types[1] if refund else self.move_types[0]
        if move.move_type != move_type:
            move.move_type = move_type
        currency, currency_warning = self._currency(pivot.currency)
        warnings += currency_warning
        if not partner:
            warnings.append(
                _("The customer could not be recognised: choose it on the invoice.")
                if self.sale
                else _("The supplier could not be recognised: choose it on the bill.")
            )
        with move._get_edi_creation() as bill:
            if partner:
                if bill.partner_id != partner:  # mostly it is the one Odoo's gateway found: then no write
                    bill.partner_id = partner
            elif self.sale and self.new:
                bill.partner_id = False  # Odoo's gateway took the sender for the customer
            values = {
                "ref": pivot.invoice_number,
                "invoice_date": pivot.issue_date,
                "invoice_origin": pivot.po_reference,
            }
            if self.sale:
                values["payment_reference"] = pivot.invoice_number
                values["invoice_user_id"] = partner.commercial_partner_id.user_id.id
                if pivot.due_date:  # the document's due date, not one the customer's payment terms compute
                    bill.invoice_payment_term_id = False
            if currency:
                values["currency_id"] = currency.id
            if pivot.due_date:
                values["invoice_date_due"] = pivot.due_date
            lines = []
            self._load_taxes(bill, self._document_rates(pivot, sign))
            # the totals' rate is only wanted for lines that state none (an e-invoice's lines all do)
            stated = all(line.tax_rate is not None for line in pivot.lines)
            default_tax = None if stated else self._document_rate_tax(bill, pivot)
            for line in pivot.lines:
                line_values, line_warnings = self._line_values(bill, line, sign, default_tax)
                lines.append(Command.create(line_values))
                warnings += line_warnings
            if not lines:
                summary, line_warnings = self._summary_lines(bill, pivot, sign)
                lines += [Command.create(line_values) for line_values in summary]
                warnings += line_warnings
            # the header first, then the lines: written together, the invoice date would be marked changed once
            # more after the lines were created, and the accounting date (with its look-ups of the journal's last
            # numbers) computed twice, once for the lines and again for the tax and payable lines
            bill.write({k: v for k, v in values.items() if v not in (None, False)})
            # what Odoo looks up for each new line (account, analytic distribution) is looked up once for them all
            bill.with_context(**{LINE_MEMO: {}}).write({"invoice_line_ids": lines})
        warnings += self._check_total(move, pivot)
        return warnings

    def _document_rates(self, pivot, sign):
        """The VAT rates (Decimals) whose taxes the bill's lines ask for (``_line_values`` and
        ``_document_rate_tax``, else ``_summary_lines``), so that ``_load_taxes`` finds them together."""
        if not pivot.lines:
            return {line.rate for line in summary_lines(pivot, sign)} - {None}
        rates = {line.tax_rate for line in pivot.lines}
        if None in rates:  # lines that state no rate take the document's
            rates.add(tax_rate(pivot.amount_tax, pivot.amount_untaxed))
        return rates - {None}

    def _document_rate_tax(self, bill, pivot):
        """The tax of the document's single rate (tax / untaxed), for lines that state no rate.

        Most invoices carry one VAT rate and many layouts print it only in
        the totals; a mixed-rate document gives a ratio no tax has, and its
        lines keep Odoo's default taxes (the total check then flags it).
        """
        rate = tax_rate(pivot.amount_tax, pivot.amount_untaxed)
        if rate is None:
            return None
        tax = self._tax(bill, rate)[0]
        return tax or None

    def _line_values(self, bill, line, sign, default_tax=None):
        """``(values, warnings)``: the bill line's create values for one pivot line, and what to tell about it."""
        quantity, price, discount = line_price(
            line.unit_price, line.amount, line.quantity, line.discount, self.price_digits
        )
        name = line.description or line.product_code or _("Line without description")
        if line.product_code and line.description:
            name = f"[{line.product_code}] {line.description}"
        values = {
            "name": name,
            "quantity": float(quantity * sign),
            "price_unit": float(price),
            "discount": float(discount_for(line.amount, quantity, price, discount)),
        }
        warnings = []
        tax = default_tax
        if line.tax_rate is not None:
            tax, warning = self._tax(bill, line.tax_rate)
            warnings += [warning] if warning else []
        if tax is not None:
            values.update(_taxes_given(tax))
            if tax.price_include:
                values["price_unit"] *= 1 + tax.amount / 100
        return values, warnings

    def _summary_lines(self, bill, pivot, sign):
        """``(values, warnings)``: no line items read, the lines that make the bill add up (``summary_lines``):
        one per VAT rate of the document's breakdown (a Factur-X MINIMUM/BASIC WL), else one of the net total.

        ``values`` is a list of line create values, empty when no untaxed total is known either.
        """
        summary = summary_lines(pivot, sign)
        if not summary:
            return [], [_("No line items and no untaxed total were read: add the lines.")]
        label = pivot.invoice_number or self.filename
        values, warnings = [], []
        for line in summary:
            line_values = {"name": label, "quantity": 1.0, "price_unit": float(line.amount)}
            if len(summary) > 1:
                line_values["name"] = _("%(label)s, VAT %(rate)s %%", label=label, rate=_percent(line.rate))
            if line.rate is not None:
                tax, warning = self._tax(bill, line.rate)
                line_values.update(_taxes_given(tax))
                warnings += [warning] if warning else []
            values.append(line_values)
        if len(summary) > 1:
            warnings.insert(0, _("No line items were read: one line per VAT rate holds that rate's untaxed amount."))
        else:
            warnings.insert(0, _("No line items were read: one line holds the untaxed total."))
        return values, warnings

    def _tax(self, bill, rate):
        """``(tax, warning)``: the company's purchase (or sales) tax of this percentage, price-excluded first.

        No such tax: an empty recordset and a warning (none for a rate of 0).  Looked up once per rate and
        company for the whole file (``_load_taxes``): an invoice's lines mostly share one or two rates.
        """
        key = (bill.company_id.id, rate)
        if key not in self._taxes:
            self._load_taxes(bill, {rate})
        return self._taxes[key]

    def _load_taxes(self, bill, rates):
        """Look up the taxes of all these rates (Decimals) in one query and remember them for ``_tax``.

        One search for every rate the document asks (not one, or two, per rate), so that the taxes also share
        one prefetch: the repartition lines Odoo reads for each tax of the new lines (base tags, tax lines)
        then come in one query for all of them, not one per tax.  A single tax too: creating the lines reads
        its tags once and creating the tax line reads them again, read here they are read once (a query less
        a bill).  Per rate the first tax in Odoo's order
        that is price-excluded, else the first price-included one, as two searches per rate would find.
        """
        rates = {rate for rate in rates if (bill.company_id.id, rate) not in self._taxes}
        if not rates:
            return
        Tax = self.env["account.tax"]
        domain = [
            *Tax._check_company_domain(bill.company_id),
            ("type_tax_use", "=", "sale" if self.sale else "purchase"),
            ("amount_type", "=", "percent"),
            ("amount", "in", sorted(float(rate) for rate in rates)),
        ]
        found = _search_read(Tax, domain)
        by_rate = {rate: Tax.browse() for rate in rates}
        for tax in found:  # the database compared exactly: each tax found is of the rate nearest its float amount
            by_rate[min(rates, key=lambda rate, tax=tax: abs(float(rate) - tax.amount))] |= tax
        for rate, taxes in by_rate.items():
            tax = taxes.filtered(lambda t: not t.price_include)[:1] or taxes[:1]
            self._taxes[(bill.company_id.id, rate)] = (tax, None if tax else self._no_tax_warning(rate))
        if found:  # what Odoo reads of each tax of the new lines and of their tax lines, read once for them all
            repartition = found[REPARTITION[bill.move_type in ("in_refund", "out_refund")]]
            repartition.fetch([*_prefetched(repartition), "tag_ids"])

    def _no_tax_warning(self, rate):
        """What the bill says of a rate the company has no tax for (nothing for a rate of 0)."""
        if not rate:
            return None
        if self.sale:
            return _("No sales tax of %s %% in this company: the line has no tax.", _percent(rate))
        return _("No purchase tax of %s %% in this company: the line has no tax.", _percent(rate))

    def _currency(self, code):
        """``(currency, warnings)``: the active currency of this ISO code, else empty with a warning (a list).

        Looked up once per code for the whole file: the bill and its import record both ask."""
        if code not in self._currencies:
            self._currencies[code] = self._find_currency(code)
        currency, warnings = self._currencies[code]
        return currency, list(warnings)

    def _find_currency(self, code):
        """``_currency`` without the memo."""
        if not code:
            return self.env["res.currency"], []
        currency = _first_read(self.env["res.currency"].with_context(active_test=False), [("name", "=", code)])
        if not currency:
            return currency, [_("Unknown currency %s: the bill is in the company's currency.", code)]
        if not currency.active:
            return currency.browse(), [_("The currency %s is not active: the bill is in the company's currency.", code)]
        return currency, []

    def _check_total(self, move, pivot):
        """The bill Odoo computed must add up to the total the document states."""
        if pivot.amount_total is None:
            return []
        expected = float(abs(pivot.amount_total))
        tolerance = move.currency_id.rounding * max(2, len(pivot.lines))
        if (
            float_compare(abs(move.amount_total - expected), tolerance, precision_rounding=move.currency_id.rounding)
            > 0
        ):
            return [
                _(
                    "The bill's total %(bill)s differs from the document's total %(document)s.",
                    bill=move.currency_id.format(move.amount_total),
                    document=move.currency_id.format(expected),
                )
            ]
        return []


def _first_read(model, domain):
    """The first record of ``model`` matching ``domain``, its fields read by the search's own query."""
    return _search_read(model, domain, limit=1)


def _search_read(model, domain, limit=None):
    """The records of ``model`` matching ``domain`` in its order, their fields read by the search's own query.

    The fields are those their first use would read (Odoo's prefetch: every field of the default prefetch group
    the user may read), so that a tax or currency the bill then uses costs one query, not a search and a read.
    """
    return model.search_fetch(domain, _prefetched(model), limit=limit)


def _prefetched(model):
    """The fields Odoo reads of a record of ``model`` at the first use of any (every field of the default
    prefetch group the user may read)."""
    return [name for name, field in model._fields.items() if field.prefetch is True and field.is_accessible(model.env)]


def _taxes_given(tax):
    """A bill line's values for the taxes the document gave: those taxes, and the line marked as imported.

    Odoo's loop marks every line a decoder added as imported once the decoder is done (so that a product
    set later, by the purchase order match, does not recompute them); marked at creation, that write
    changes nothing and is skipped (``account_move_line_import``).  A line without a tax of the document
    keeps Odoo's default tax until then, as before."""
    return {"tax_ids": [Command.set(tax.ids)], "is_imported": True}


def _percent(rate):
    """A rate as people write it: 20, 5.5 (``Decimal.normalize`` alone writes 20.00 as 2E+1)."""
    return format(rate.normalize(), "f")
