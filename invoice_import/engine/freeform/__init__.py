"""The template-free extractor: any supplier's invoice text in, a pivot invoice out.

``extract_from_text(pages)`` reads the text of each page (a PDF's text
layer or OCR output) with no per-supplier knowledge: multilingual label
vocabularies (``labels``), candidates scored by label strength and
position, and arithmetic cross-checks that settle ambiguities (untaxed +
tax = total; quantity x price = amount).  Every field gets a confidence
in ``invoice.confidence`` (keys: the Invoice field names, ``supplier.name``,
``supplier.vat``..., ``customer.name``, ``customer.vat``, ``lines``) and
every doubtful or missing field a warning.  Text with nothing recognisable
gives an invoice full of None and warnings, never an exception.  The
caller sets ``invoice.source``.
"""

from __future__ import annotations

from decimal import Decimal

from ..checks import cross_check, normalise_signs
from ..layout import Layout
from ..pivot import Invoice, Party
from .amounts import (
    add_global_triples,
    add_lines_sum_repair,
    choose_totals,
    currency_choice,
    printed_rates,
    totals_evidence,
)
from .confidence import Choice, Findings
from .dates import choose_due_date, doubtful_day_month, due_date_evidence, issue_date_evidence, reading_fit
from .document import Document
from .fields import credit_note_score, invoice_number_evidence, po_evidence
from .labels import TITLE
from .lines import read_lines
from .parties import read_parties

__all__ = ["extract_from_layout", "extract_from_pages", "extract_from_text"]

_CREDIT_NOTE = 0.6


def extract_from_text(pages: list[str], buyer: Party | None = None) -> Invoice:
    """Read page texts (kept for callers without positions: a template's fallback, pasted text)."""
    return _extract(Document([page or "" for page in pages or []]), buyer)


def extract_from_layout(layout: Layout, buyer: Party | None = None) -> Invoice:
    """Read positioned words (``layout.Layout`` from a PDF text layer or OCR): the reader's main entry point.

    ``buyer``: who the invoice is addressed to when the caller knows it (the
    company's own name and VAT number): that party is never the supplier.
    """
    return _extract(Document(layout=layout), buyer)


def extract_from_pages(pages: list[str], layout: Layout | None = None, buyer: Party | None = None) -> Invoice:
    """The positioned words when every page with text has them, else the page texts.

    pdfium may give no words for a page pdfminer read text from: reading
    that document's words alone would lose the page, so the texts are read.
    """
    positioned = (
        layout is not None
        and len(pages) == layout.page_count
        and all(text.strip() == "" or count for text, count in zip(pages, layout.page_words(), strict=True))
    )
    return extract_from_layout(layout, buyer) if positioned else extract_from_text(pages, buyer)


def _extract(doc: Document, buyer: Party | None) -> Invoice:
    findings = Findings()
    invoice = Invoice()
    if not doc.lines:
        findings.warn("the document has no text to read")

    number = invoice_number_evidence(doc).choose()
    invoice.invoice_number = number.value
    findings.record("invoice_number", number)

    issue, due = _read_dates(doc, number)
    invoice.issue_date, invoice.due_date = issue.value, due.value
    findings.record("issue_date", issue)
    findings.record("due_date", due)

    invoice.lines = read_lines(doc)
    lines_sum = sum((line.amount for line in invoice.lines), Decimal(0)) if invoice.lines else None
    _read_totals(doc, invoice, findings, lines_sum)
    # every row read multiplies out; rows that also add up to the untaxed total are surely all of them
    complete = lines_sum is not None and lines_sum == invoice.amount_untaxed
    findings.confidence["lines"] = 0.9 if complete else 0.6 if invoice.lines else 0.0

    currency = currency_choice(doc)
    invoice.currency = currency.value
    findings.record("currency", currency)

    supplier, customer = read_parties(doc, buyer)
    invoice.supplier = Party(
        name=supplier.name.value,
        vat=supplier.vat.value,
        email=supplier.email.value,
        phone=supplier.phone.value,
        iban=supplier.iban.value,
        address=supplier.address,
    )
    invoice.customer = Party(name=customer.name.value, vat=customer.vat.value)
    findings.record("supplier.name", supplier.name)
    findings.record("supplier.vat", supplier.vat)
    for key, choice in (
        ("supplier.email", supplier.email),
        ("supplier.phone", supplier.phone),
        ("supplier.iban", supplier.iban),
        ("customer.name", customer.name),
        ("customer.vat", customer.vat),
    ):
        findings.record(key, choice, required=False)

    po = po_evidence(doc).without(lambda value: value == invoice.invoice_number).choose()
    invoice.po_reference = po.value
    findings.record("po_reference", po, required=False)

    _read_document_type(doc, invoice, findings)
    invoice.confidence = findings.confidence
    invoice.warnings = findings.warnings
    for message in cross_check(invoice) + normalise_signs(invoice):
        if message not in invoice.warnings:
            invoice.warnings.append(message)
    return invoice


def _read_dates(doc: Document, number: Choice) -> tuple[Choice, Choice]:
    """Issue and due date; when nothing fixes the day/month order, the reading that makes sense wins."""
    number_lines = set(number.lines)
    readings = [doc.dayfirst] if doc.date_order_known else [doc.dayfirst, not doc.dayfirst]
    best = None
    for dayfirst in readings:
        doc.dayfirst = dayfirst
        issue = issue_date_evidence(doc, number_lines).choose()
        printed_due = due_date_evidence(doc)
        fit = reading_fit(doc, issue.value, printed_due.choose().value)
        if best is None or fit > best[0]:
            best = (fit, dayfirst, issue, choose_due_date(doc, printed_due, issue.value))
    _fit, doc.dayfirst, issue, due = best
    for choice in (issue, due):
        if doubtful_day_month(doc, choice.value):
            choice.confidence = round(choice.confidence * 0.85, 3)
            choice.why += "; day and month could be swapped"
    return issue, due


def _read_totals(doc: Document, invoice: Invoice, findings: Findings, lines_sum) -> None:
    evidence = totals_evidence(doc)
    if evidence["total"].choose().confidence < 0.5:
        add_global_triples(doc, evidence)
    add_lines_sum_repair(doc, evidence, lines_sum)
    totals = choose_totals(evidence, lines_sum, printed_rates(doc))
    invoice.amount_untaxed = totals.untaxed.value
    invoice.amount_tax = totals.tax.value
    invoice.amount_total = totals.total.value
    findings.record("amount_untaxed", totals.untaxed)
    findings.record("amount_tax", totals.tax)
    findings.record("amount_total", totals.total)
    if totals.note:
        findings.warn(totals.note)


def _read_document_type(doc: Document, invoice: Invoice, findings: Findings) -> None:
    score, reason = credit_note_score(doc)
    negative = invoice.amount_total is not None and invoice.amount_total < 0
    if score >= _CREDIT_NOTE or negative:
        invoice.document_type = "credit_note"
        confidence = max(score, 0.7 if negative else 0.0)
        if score >= _CREDIT_NOTE and negative:
            confidence = 0.95
        findings.confidence["document_type"] = round(confidence, 3)
        if score < _CREDIT_NOTE:
            findings.warn("document_type: read as a credit note because the total is negative")
        return
    titled = any(line.index < 15 for line, _hit, _strength in doc.hits(TITLE))
    findings.confidence["document_type"] = 0.9 if titled else 0.6 if invoice.invoice_number else 0.2
    if reason:
        findings.warn(f"document_type: read as an invoice although {reason} mentions a credit note")
