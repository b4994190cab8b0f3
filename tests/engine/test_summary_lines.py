"""Documents without line items (Factur-X MINIMUM, BASIC WL): the VAT breakdown read, and the bill lines made of it.

A BASIC WL states, instead of lines, one ``ApplicableTradeTax`` per VAT
rate (basis, rate, tax); the bill gets one line per rate so that it adds up
to the document's totals.  The XML an Odoo worker has already taken out of
the PDF is read in process (``extract_einvoice_xml``): it must give what the
reader process gives for the whole PDF.
"""

from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from invoice_import.engine.bill_plan import SummaryLine, bill_kind, summary_lines
from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.extract import extract_bytes, extract_einvoice_xml
from invoice_import.engine.pivot import Invoice, TaxSubtotal

CENT = D("0.01")


def embedded_invoice_xml(pdf_path):
    """The first XML attachment of the PDF that the engine reads as an e-invoice, as Odoo hands it over."""
    for name, payloads in PdfReader(pdf_path).attachments.items():
        if name.lower().endswith(".xml"):
            try:
                extract_einvoice_xml(payloads[0], embedded=True)
            except ExtractionError:
                continue
            return payloads[0]
    return None


def bill_total(lines):
    """What the bill of these lines comes to: each rate's tax rounded half up to the cent, as Odoo rounds a tax."""
    taxes = [(line.amount * (line.rate or 0) / 100).quantize(CENT, ROUND_HALF_UP) for line in lines]
    return sum((line.amount for line in lines), D(0)) + sum(taxes, D(0))


def test_the_vat_breakdown_of_a_basic_wl_is_read_per_rate(corpus_dir):
    invoice = extract_bytes((corpus_dir / "oca-edi__Facture_FR_BASICWL.pdf").read_bytes()).invoices[0]
    assert invoice.lines == []
    assert [(sub.rate, sub.basis, sub.amount) for sub in invoice.tax_subtotals] == [
        (D("20.00"), D("81.90"), D("16.38")),
        (D("5.50"), D("543.00"), D("29.87")),
    ]


def test_a_zugferd1_breakdown_is_read_from_its_applicable_percent(corpus_dir):
    invoice = extract_bytes((corpus_dir / "ZUGFeRDv1-Intarsys__ZUGFeRD_1p0_BASIC_Einfach.pdf").read_bytes()).invoices[0]
    assert invoice.tax_subtotals
    assert all(sub.rate is not None and sub.basis is not None for sub in invoice.tax_subtotals)
    assert sum(sub.basis for sub in invoice.tax_subtotals) == invoice.amount_untaxed


def test_every_corpus_document_without_lines_but_with_a_breakdown_gets_its_total(corpus_dir):
    seen = 0
    for pdf_path in sorted(corpus_dir.glob("*.pdf")):
        invoice = extract_bytes(pdf_path.read_bytes()).invoices[0]
        if invoice.lines or not invoice.tax_subtotals:
            continue
        seen += 1
        lines = summary_lines(invoice, bill_kind(invoice.document_type, invoice.amount_total).sign)
        assert len(lines) == len({sub.rate for sub in invoice.tax_subtotals}), pdf_path.name
        assert sum(line.amount for line in lines) == invoice.amount_untaxed, pdf_path.name
        assert bill_total(lines) == invoice.amount_total, pdf_path.name
    assert seen >= 4  # the BASIC WL files of the FNFE and OCA sets


def test_a_mixed_rate_basic_wl_no_longer_gets_one_untaxed_line(corpus_dir):
    invoice = extract_bytes((corpus_dir / "ZUGFeRDv2-FNFE-factur-x-examples__Facture_FR_BASICWL.pdf").read_bytes())
    lines = summary_lines(invoice.invoices[0])
    assert [line.rate for line in lines] == [D("20.00"), D("5.50")]
    assert bill_total(lines) == D("671.15")


def test_a_minimum_profile_states_no_breakdown_and_keeps_one_line_of_the_untaxed_total(corpus_dir):
    # MINIMUM has no ApplicableTradeTax: the single line takes the totals' implied rate (none fits a mixed-rate
    # document; the bill's total check flags it)
    invoice = extract_bytes((corpus_dir / "oca-edi__Facture_FR_MINIMUM.pdf").read_bytes()).invoices[0]
    assert invoice.tax_subtotals == []
    assert summary_lines(invoice) == [SummaryLine(D("624.90"), D("7.40"))]


def breakdown_invoice(*subtotals, untaxed="100.00", tax=None):
    return Invoice(
        amount_untaxed=D(untaxed),
        amount_tax=D(tax) if tax else None,
        tax_subtotals=[TaxSubtotal(*(D(v) if v is not None else None for v in sub)) for sub in subtotals],
    )


def test_categories_of_one_rate_share_a_line():
    # an exempt (E) and a zero-rated (Z) category are both 0 %: one tax, one line
    invoice = breakdown_invoice(("0", "30.00", "0"), ("19", "50.00", "9.50"), ("0.00", "20.00", "0"))
    assert summary_lines(invoice) == [SummaryLine(D("50.00"), D("0")), SummaryLine(D("50.00"), D("19"))]


@pytest.mark.parametrize(
    "subtotals",
    [
        (("19", "60.00", "11.40"), ("7", "30.00", "2.10")),  # 10.00 short of the untaxed total
        (("19", "60.00", "11.40"), (None, "40.00", "2.80")),  # a rate missing
        (("19", None, "11.40"),),  # a basis missing
    ],
)
def test_a_breakdown_that_does_not_account_for_the_untaxed_total_is_not_used(subtotals):
    invoice = breakdown_invoice(*subtotals, tax="13.50")
    assert summary_lines(invoice) == [SummaryLine(D("100.00"), D("13.50"))]


def test_a_cent_of_rounding_per_rate_is_tolerated():
    invoice = breakdown_invoice(("19", "60.00", "11.40"), ("7", "40.01", "2.80"))
    assert [line.amount for line in summary_lines(invoice)] == [D("60.00"), D("40.01")]


def test_a_credit_note_stated_negative_becomes_positive_lines_of_an_invoice():
    invoice = breakdown_invoice(("19", "-60.00", "-11.40"), ("7", "-40.00", "-2.80"), untaxed="-100.00")
    sign = bill_kind("credit_note", D("-114.20")).sign
    assert summary_lines(invoice, sign) == [SummaryLine(D("60.00"), D("19")), SummaryLine(D("40.00"), D("7"))]
    assert summary_lines(Invoice(amount_total=D("-119"), amount_tax=D("-19")), sign) == [
        SummaryLine(D("100"), D("19.00"))
    ]


def test_nothing_known_gives_no_line():
    assert summary_lines(Invoice()) == []
    assert summary_lines(Invoice(tax_subtotals=[TaxSubtotal(D("19"), D("100"), D("19"))])) == [
        SummaryLine(D("100"), D("19"))
    ]


def test_the_breakdown_survives_the_pivot_json():
    invoice = breakdown_invoice(("19", "60.00", "11.40"), ("7", "40.00", "2.80"))
    assert Invoice.from_dict(invoice.to_dict()).tax_subtotals == invoice.tax_subtotals


def test_the_embedded_xml_read_in_process_gives_what_the_whole_pdf_gives(corpus_dir):
    compared = 0
    for pdf_path in sorted(corpus_dir.glob("*.pdf")):
        payload = embedded_invoice_xml(pdf_path)
        if payload is None:
            continue
        whole = extract_bytes(pdf_path.read_bytes(), filename=pdf_path.name).invoices
        alone = extract_einvoice_xml(payload, embedded=True).invoices
        # the boxes of the visible page are the whole PDF's alone: the XML has no page to locate values on
        read_whole = [{k: v for k, v in i.to_dict().items() if k != "locations"} for i in whole]
        assert [i.to_dict() for i in alone] == read_whole, pdf_path.name
        compared += 1
    assert compared >= 25


def test_an_unsafe_xml_is_refused_in_process_as_the_reader_process_refuses_it():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(ExtractionError) as in_process:
        extract_einvoice_xml(bomb)
    with pytest.raises(ExtractionError) as whole:
        extract_bytes(bomb, filename="bomb.xml")
    assert in_process.value.code == whole.value.code == "unsafe_xml"
