"""E-invoice XML reader: the shared Factur-X/ZUGFeRD corpus, generated UBL and CII files, hostile XML."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import threading
import time
from decimal import Decimal

import pytest
from pypdf import PdfReader

from invoice_import.engine.einvoice import parse_einvoice_xml
from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.limits import Limits
from invoice_import.engine.values import clean_text

LIMITS = Limits()
# The type codes the corpus uses and what they mean (UNTDID 1001); a new code fails the test until mapped here.
EXPECTED_DOCUMENT_TYPE = {"380": "invoice", "381": "credit_note"}
EXPECTED_AMOUNTS = ("amount_total", "amount_untaxed", "amount_tax")
# Header dates the ZUGFeRD release candidate writes without udt:DateTimeString: <IssueDateTime format="102">.
RC_DATE = re.compile(rb"<(IssueDateTime|DueDateDateTime) format=\"102\">(\d{8})<")


def embedded_xml_files(pdf_path) -> list[tuple[str, bytes]]:
    """The PDF's XML attachments, read with pypdf directly (independent of the engine's PDF reader)."""
    attachments = PdfReader(pdf_path).attachments
    return [(name, payloads[0]) for name, payloads in attachments.items() if name.lower().endswith(".xml")]


def read_corpus_invoice(pdf_path):
    """Parse the attachments in order, as the dispatcher does; non-invoice XML must be refused as invalid_xml."""
    refused = []
    for name, payload in embedded_xml_files(pdf_path):
        try:
            return parse_einvoice_xml(payload, limits=LIMITS, source="embedded-xml")[0], payload, refused
        except ExtractionError as exc:
            refused.append((name, exc.code))
    raise AssertionError(f"{pdf_path.name}: no attachment parsed ({refused})")


def corpus_mismatches(invoice, expected: dict) -> list[str]:
    got = {
        "invoice_number": invoice.invoice_number,
        "issue_date": invoice.issue_date and invoice.issue_date.isoformat(),
        "due_date": invoice.due_date and invoice.due_date.isoformat(),
        "currency": invoice.currency,
        # Names are compared with whitespace collapsed: the pivot holds one-line names (an XML name
        # may span lines, e.g. "GLN 4333741000005 \nLief-Nr: 549910\nMUSTERLIEFERANT GMBH").
        "seller_name": invoice.supplier.name,
        "buyer_name": invoice.customer.name,
        "seller_vat": invoice.supplier.vat,
        "po_reference": invoice.po_reference,
        "line_count": len(invoice.lines),
        "document_type": invoice.document_type,
        **{name: getattr(invoice, name) for name in EXPECTED_AMOUNTS},
    }
    want = dict(expected)
    want["seller_name"] = clean_text(want["seller_name"])
    want["buyer_name"] = clean_text(want["buyer_name"])
    want["document_type"] = EXPECTED_DOCUMENT_TYPE[want["type_code"]]
    for name in EXPECTED_AMOUNTS:
        want[name] = None if want[name] is None else Decimal(want[name])
    mismatches = []
    for name, value in got.items():
        if name in ("issue_date", "due_date") and want[name] is None:
            continue  # not stated by the expected file: checked against the raw XML instead
        if value != want[name]:
            mismatches.append(f"{name}: expected {want[name]!r}, got {value!r}")
    return mismatches


def test_every_corpus_pdf_matches_its_expected_json(corpus_dir):
    pdfs = sorted(corpus_dir.glob("*.pdf"))
    assert len(pdfs) >= 30
    problems = {}
    for pdf_path in pdfs:
        expected = json.loads(pdf_path.with_suffix(".expected.json").read_text(encoding="utf-8"))
        invoice, _, _ = read_corpus_invoice(pdf_path)
        mismatches = corpus_mismatches(invoice, expected)
        if invoice.source != "embedded-xml" or invoice.format is not None:
            mismatches.append(f"source/format {invoice.source!r}/{invoice.format!r}")
        if mismatches:
            problems[pdf_path.name] = mismatches
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)


def test_corpus_dates_the_expected_files_omit_are_read_from_the_raw_xml(corpus_dir):
    """The expected files have no issue date for the ZUGFeRD release-candidate samples, whose dates sit
    straight in <IssueDateTime format="102">; they are in the XML and must be read."""
    checked = 0
    for pdf_path in sorted(corpus_dir.glob("*.pdf")):
        invoice, payload, _ = read_corpus_invoice(pdf_path)
        stated = {
            tag.decode(): dt.datetime.strptime(value.decode(), "%Y%m%d").date()
            for tag, value in RC_DATE.findall(payload)
        }
        if not stated:
            continue
        checked += 1
        assert invoice.issue_date == stated["IssueDateTime"], pdf_path.name
        assert invoice.due_date == stated.get("DueDateDateTime"), pdf_path.name
    assert checked >= 2


def test_corpus_fields_are_stated_with_full_confidence(corpus_dir):
    for pdf_path in sorted(corpus_dir.glob("*.pdf")):
        invoice, _, _ = read_corpus_invoice(pdf_path)
        assert invoice.confidence["invoice_number"] == 1.0
        assert invoice.confidence["amount_total"] == 1.0
        assert ("supplier.vat" in invoice.confidence) == (invoice.supplier.vat is not None)
        assert ("due_date" in invoice.confidence) == (invoice.due_date is not None)
        assert all(value == 1.0 for value in invoice.confidence.values())


def test_corpus_additional_data_attachment_is_refused_as_not_an_invoice(corpus_dir):
    """4s4u embeds a second, non-invoice XML next to the ZUGFeRD one: it must be invalid_xml, not a crash."""
    pdf_path = corpus_dir / "ZUGFeRDv1-4s4u__additional-data-sample-1.pdf"
    attachments = dict(embedded_xml_files(pdf_path))
    assert len(attachments) == 2
    with pytest.raises(ExtractionError) as info:
        parse_einvoice_xml(attachments["additional_data-logistics-invoice-1.0-unique.xml"], LIMITS, "embedded-xml")
    assert info.value.code == "invalid_xml"
    assert "additionalOrAlternateData" in info.value.message


def test_corpus_factur_x_lines_product_codes_prices_and_payment(corpus_dir):
    invoice, _, _ = read_corpus_invoice(corpus_dir / "oca-edi__Facture_FR_EN16931.pdf")
    assert [line.product_code for line in invoice.lines] == ["NOUG250", "BRAIS300", "HOLANCL"]
    first = invoice.lines[0]
    assert first.description == "Nougat de l'Abbaye 250g"
    assert (first.quantity, first.unit_price, first.tax_rate) == (Decimal("20"), Decimal("4.10"), Decimal("20"))
    assert invoice.supplier.iban == "FR2012421242124212421242124"
    assert invoice.supplier.email == "tony.dubois@aubonmoulin.fr"
    assert invoice.supplier.phone == "+33 4 72 07 08 56"
    assert invoice.customer.vat == "FR19787878784"


def test_corpus_zugferd1_correction_keeps_its_invoice_type_and_note_lines(corpus_dir):
    invoice, _, _ = read_corpus_invoice(corpus_dir / "ZUGFeRDv1-Intarsys__ZUGFeRD_1p0_BASIC_Rechnungskorrektur.pdf")
    assert invoice.document_type == "invoice"
    assert invoice.amount_total == Decimal("-8.79")
    assert any("negative" in warning for warning in invoice.warnings)
    note, goods, _ = invoice.lines
    assert note.description.startswith("Gemäß Ihres Reklamationsschreibens")
    assert note.amount is None and note.quantity is None
    assert (goods.quantity, goods.amount, goods.tax_rate) == (Decimal("-5"), Decimal("-5.00"), Decimal("19"))


def test_corpus_iban_spaces_are_removed_and_empty_currency_stays_unknown(corpus_dir):
    invoice, _, _ = read_corpus_invoice(
        corpus_dir / "ZUGFeRDv1-Mustangproject__MustangGnuaccountingBeispielRE-20151008_504.pdf"
    )
    assert invoice.supplier.iban == "DE88200800000970375700"
    assert invoice.currency is None
    assert "currency" not in invoice.confidence


UBL_INVOICE = """<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>INV-2024-0042</cbc:ID>
  <cbc:IssueDate>2024-03-05</cbc:IssueDate>
  <cbc:DueDate>2024-04-04</cbc:DueDate>
  <cbc:InvoiceTypeCode>{type_code}</cbc:InvoiceTypeCode>
  <cbc:Note>Thank you for your order</cbc:Note>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>
  <cbc:BuyerReference>DEPT-7</cbc:BuyerReference>
  <cac:OrderReference><cbc:ID>PO-7781</cbc:ID></cac:OrderReference>
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cbc:EndpointID schemeID="0088">7300010000001</cbc:EndpointID>
      <cac:PartyName><cbc:Name>Nordic Tools AB</cbc:Name></cac:PartyName>
      <cac:PostalAddress>
        <cbc:StreetName>Storgatan 1</cbc:StreetName><cbc:CityName>Stockholm</cbc:CityName>
        <cbc:PostalZone>11122</cbc:PostalZone><cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>SE556677889901</cbc:CompanyID>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>Nordic Tools Aktiebolag</cbc:RegistrationName></cac:PartyLegalEntity>
      <cac:Contact>
        <cbc:Name>Anna Berg</cbc:Name><cbc:Telephone>+46 8 123 456</cbc:Telephone>
        <cbc:ElectronicMail>billing@nordictools.example</cbc:ElectronicMail>
      </cac:Contact>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cbc:EndpointID schemeID="0192">987654321</cbc:EndpointID>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>NO987654321MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>Fjord Byggevarer AS</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
    <cac:PayeeFinancialAccount><cbc:ID>SE45 5000 0000 0583 9825 7466</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">61.25</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">245.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">61.25</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:TaxTotal><cbc:TaxAmount currencyID="SEK">698.25</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">245.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">245.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">306.25</cbc:TaxInclusiveAmount>
    <cbc:PrepaidAmount currencyID="EUR">100.00</cbc:PrepaidAmount>
    <cbc:PayableAmount currencyID="EUR">206.25</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">10</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">180.00</cbc:LineExtensionAmount>
    <cac:AllowanceCharge>
      <cbc:ChargeIndicator>false</cbc:ChargeIndicator>
      <cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>
      <cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric>
      <cbc:Amount currencyID="EUR">20.00</cbc:Amount>
      <cbc:BaseAmount currencyID="EUR">200.00</cbc:BaseAmount>
    </cac:AllowanceCharge>
    <cac:Item>
      <cbc:Description>Hardened steel, 18 V</cbc:Description>
      <cbc:Name>Cordless drill</cbc:Name>
      <cac:SellersItemIdentification><cbc:ID>DRL-18V</cbc:ID></cac:SellersItemIdentification>
      <cac:StandardItemIdentification><cbc:ID schemeID="0160">7312345678901</cbc:ID></cac:StandardItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">20.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
  <cac:InvoiceLine>
    <cbc:ID>2</cbc:ID>
    <cbc:InvoicedQuantity unitCode="H87">500</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">65.00</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Wood screws 4x40</cbc:Name>
      <cac:StandardItemIdentification><cbc:ID schemeID="0160">7312345678918</cbc:ID></cac:StandardItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price>
      <cbc:PriceAmount currencyID="EUR">13.00</cbc:PriceAmount><cbc:BaseQuantity unitCode="H87">100</cbc:BaseQuantity>
    </cac:Price>
  </cac:InvoiceLine>
</Invoice>
"""

UBL_CREDIT_NOTE = """<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
            xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
            xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
  <cbc:ID>CN-2024-007</cbc:ID>
  <cbc:IssueDate>2024-03-20</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>
  <cac:OrderReference><cbc:ID>PO-7781</cbc:ID></cac:OrderReference>
  <cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>INV-2024-0042</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cbc:EndpointID schemeID="EM">ar@fjordsupply.example</cbc:EndpointID>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>NO 912 345 678 MVA</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>Fjord Supply AS</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cac:PartyName><cbc:Name>Bergen Bygg AS</cbc:Name></cac:PartyName>
      <cac:PartyLegalEntity><cbc:RegistrationName>Bergen Bygg Holding AS</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
    <cbc:PaymentDueDate>2024-04-19</cbc:PaymentDueDate>
    <cac:PayeeFinancialAccount><cbc:ID>1503.12.34567</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="NOK">25.00</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="NOK">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="NOK">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="NOK">125.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="NOK">125.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine>
    <cbc:ID>1</cbc:ID>
    <cbc:CreditedQuantity unitCode="C62">4</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="NOK">100.00</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Returned hinges</cbc:Name>
      <cac:SellersItemIdentification><cbc:ID>HNG-2</cbc:ID></cac:SellersItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>25</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="NOK">25.00</cbc:PriceAmount></cac:Price>
  </cac:CreditNoteLine>
</CreditNote>
"""


def test_ubl_invoice_maps_to_the_pivot():
    (invoice,) = parse_einvoice_xml(UBL_INVOICE.format(type_code="380").encode(), LIMITS, "xml")
    assert (invoice.document_type, invoice.invoice_number) == ("invoice", "INV-2024-0042")
    assert (invoice.issue_date, invoice.due_date) == (dt.date(2024, 3, 5), dt.date(2024, 4, 4))
    assert invoice.currency == "EUR"
    # The tax total in the document currency, not the SEK restatement; the total before prepayment.
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("245.00"),
        Decimal("61.25"),
        Decimal("306.25"),
    )
    supplier = invoice.supplier
    assert (supplier.name, supplier.vat) == ("Nordic Tools AB", "SE556677889901")
    assert (supplier.email, supplier.phone) == ("billing@nordictools.example", "+46 8 123 456")
    assert supplier.iban == "SE4550000000058398257466"
    assert (invoice.customer.name, invoice.customer.vat) == ("Fjord Byggevarer AS", "NO987654321MVA")
    assert invoice.po_reference == "PO-7781"
    drill, screws = invoice.lines
    assert (drill.product_code, drill.description) == ("DRL-18V", "Cordless drill")
    assert (drill.quantity, drill.unit_price, drill.discount) == (Decimal("10"), Decimal("20.00"), Decimal("10.00"))
    assert (drill.tax_rate, drill.amount) == (Decimal("25"), Decimal("180.00"))
    # No seller's item id: the GTIN; a price per 100 pieces becomes a price per piece.
    assert (screws.product_code, screws.unit_price, screws.discount) == ("7312345678918", Decimal("0.13"), None)
    assert screws.quantity * screws.unit_price == screws.amount
    assert (invoice.source, invoice.format, invoice.warnings) == ("xml", None, [])
    assert invoice.confidence["supplier.iban"] == 1.0


def test_ubl_invoice_with_credit_note_type_code_is_a_credit_note():
    (invoice,) = parse_einvoice_xml(UBL_INVOICE.format(type_code="381").encode(), LIMITS, "xml")
    assert invoice.document_type == "credit_note"


def test_ubl_credit_note_maps_to_the_pivot():
    (credit_note,) = parse_einvoice_xml(UBL_CREDIT_NOTE.encode(), LIMITS, "embedded-xml")
    assert (credit_note.document_type, credit_note.invoice_number) == ("credit_note", "CN-2024-007")
    assert credit_note.due_date == dt.date(2024, 4, 19)  # from PaymentMeans: a CreditNote has no DueDate
    assert (credit_note.currency, credit_note.amount_total, credit_note.amount_tax) == (
        "NOK",
        Decimal("125.00"),
        Decimal("25.00"),
    )
    supplier = credit_note.supplier
    # Name from the legal entity when there is no PartyName; e-mail from an EM endpoint; a domestic
    # account number is not an IBAN.
    assert (supplier.name, supplier.vat, supplier.email, supplier.iban) == (
        "Fjord Supply AS",
        "NO912345678MVA",
        "ar@fjordsupply.example",
        None,
    )
    assert credit_note.customer.name == "Bergen Bygg AS"
    (line,) = credit_note.lines
    assert (line.product_code, line.quantity, line.unit_price, line.amount) == (
        "HNG-2",
        Decimal("4"),
        Decimal("25.00"),
        Decimal("100.00"),
    )
    assert credit_note.source == "embedded-xml"


def test_ubl_in_a_peppol_envelope_is_unwrapped():
    body = UBL_CREDIT_NOTE.split("?>", 1)[1]
    envelope = (
        '<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">'
        "<StandardBusinessDocumentHeader><HeaderVersion>1.0</HeaderVersion></StandardBusinessDocumentHeader>"
        f"{body}</StandardBusinessDocument>"
    )
    (credit_note,) = parse_einvoice_xml(envelope.encode(), LIMITS, "xml")
    assert credit_note.invoice_number == "CN-2024-007"


XRECHNUNG_CII_WITHOUT_DUE_DATE = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter>
      <ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>XR-5512</ram:ID>
    <ram:TypeCode>{type_code}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20240229</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct>
        <ram:GlobalID schemeID="0160">4012345678901</ram:GlobalID>
        <ram:Name>Kopierpapier A4, 80 g</ram:Name>
      </ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice>
          <ram:ChargeAmount>45.00</ram:ChargeAmount>
          <ram:BasisQuantity unitCode="C62">1000</ram:BasisQuantity>
        </ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery>
        <ram:BilledQuantity unitCode="C62">5000</ram:BilledQuantity>
      </ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax>
          <ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>S</ram:CategoryCode>
          <ram:RateApplicablePercent>19</ram:RateApplicablePercent>
        </ram:ApplicableTradeTax>
        <ram:SpecifiedTradeAllowanceCharge>
          <ram:ChargeIndicator><udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>
          <ram:CalculationPercent>5.00</ram:CalculationPercent>
          <ram:BasisAmount>225.00</ram:BasisAmount>
          <ram:ActualAmount>11.25</ram:ActualAmount>
          <ram:Reason>Mengenrabatt</ram:Reason>
        </ram:SpecifiedTradeAllowanceCharge>
        <ram:SpecifiedTradeSettlementLineMonetarySummation>
          <ram:LineTotalAmount>213.75</ram:LineTotalAmount>
        </ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:BuyerReference>04011000-12345-34</ram:BuyerReference>
      <ram:SellerTradeParty>
        <ram:Name>Bürobedarf Schmidt GmbH</ram:Name>
        <ram:DefinedTradeContact>
          <ram:PersonName>Eva Schmidt</ram:PersonName>
          <ram:TelephoneUniversalCommunication>
            <ram:CompleteNumber>+49 30 1234567</ram:CompleteNumber>
          </ram:TelephoneUniversalCommunication>
          <ram:EmailURIUniversalCommunication>
            <ram:URIID>eva@buero-schmidt.example</ram:URIID>
          </ram:EmailURIUniversalCommunication>
        </ram:DefinedTradeContact>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>10115</ram:PostcodeCode><ram:CityName>Berlin</ram:CityName><ram:CountryID>DE</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:URIUniversalCommunication>
          <ram:URIID schemeID="EM">rechnung@buero-schmidt.example</ram:URIID>
        </ram:URIUniversalCommunication>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">27/123/45678</ram:ID></ram:SpecifiedTaxRegistration>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE 123 456 789</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>Bezirksamt Mitte von Berlin</ram:Name>
        <ram:URIUniversalCommunication>
          <ram:URIID schemeID="0204">04011000-12345-34</ram:URIID>
        </ram:URIUniversalCommunication>
      </ram:BuyerTradeParty>
      <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>BE-2024-118</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:TaxCurrencyCode>CHF</ram:TaxCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans>
        <ram:TypeCode>58</ram:TypeCode>
        <ram:PayeePartyCreditorFinancialAccount>
          <ram:IBANID>DE02 1203 0000 0000 2020 51</ram:IBANID>
        </ram:PayeePartyCreditorFinancialAccount>
      </ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>40.61</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>213.75</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>19</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:SpecifiedTradePaymentTerms>
        <ram:Description>Zahlbar sofort ohne Abzug</ram:Description>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>213.75</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>213.75</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="CHF">39.02</ram:TaxTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">40.61</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>254.36</ram:GrandTotalAmount>
        <ram:DuePayableAmount>254.36</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""


def test_cii_without_due_date_and_with_line_discount():
    (invoice,) = parse_einvoice_xml(XRECHNUNG_CII_WITHOUT_DUE_DATE.format(type_code="380").encode(), LIMITS, "xml")
    assert (invoice.invoice_number, invoice.issue_date) == ("XR-5512", dt.date(2024, 2, 29))
    assert invoice.due_date is None and "due_date" not in invoice.confidence
    # The tax total in the invoice currency (EUR), not the one restated in the tax currency (CHF).
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("213.75"),
        Decimal("40.61"),
        Decimal("254.36"),
    )
    supplier = invoice.supplier
    assert (supplier.name, supplier.vat, supplier.iban) == (
        "Bürobedarf Schmidt GmbH",
        "DE123456789",
        "DE02120300000000202051",
    )
    # The party's electronic address (EM) beats the contact person's mail; a Leitweg-ID is no e-mail.
    assert (supplier.email, supplier.phone) == ("rechnung@buero-schmidt.example", "+49 30 1234567")
    assert (invoice.customer.name, invoice.customer.vat) == ("Bezirksamt Mitte von Berlin", None)
    assert invoice.po_reference == "BE-2024-118"
    (line,) = invoice.lines
    assert (line.product_code, line.description) == ("4012345678901", "Kopierpapier A4, 80 g")
    assert (line.quantity, line.unit_price, line.discount) == (Decimal("5000"), Decimal("0.045"), Decimal("5.00"))
    assert line.quantity * line.unit_price * (1 - line.discount / 100) == line.amount
    assert invoice.warnings == []


@pytest.mark.parametrize(
    ("type_code", "document_type"), [("381", "credit_note"), ("396", "credit_note"), ("384", "invoice")]
)
def test_cii_type_code_decides_the_document_type(type_code, document_type):
    data = XRECHNUNG_CII_WITHOUT_DUE_DATE.format(type_code=type_code).encode()
    assert parse_einvoice_xml(data, LIMITS, "xml")[0].document_type == document_type


def test_cii_in_utf16_and_latin1_is_read():
    text = XRECHNUNG_CII_WITHOUT_DUE_DATE.format(type_code="380")
    utf16 = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    latin1 = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    for data in (utf16, latin1):
        assert parse_einvoice_xml(data, LIMITS, "xml")[0].supplier.name == "Bürobedarf Schmidt GmbH"


def test_unreadable_amounts_are_reported_not_guessed():
    text = XRECHNUNG_CII_WITHOUT_DUE_DATE.format(type_code="380")
    text = text.replace("<ram:GrandTotalAmount>254.36<", "<ram:GrandTotalAmount>1E999999999<")
    text = text.replace("<ram:TaxBasisTotalAmount>213.75<", "<ram:TaxBasisTotalAmount>NaN<")
    (invoice,) = parse_einvoice_xml(text.encode(), LIMITS, "xml")
    assert invoice.amount_total is None and invoice.amount_untaxed is None
    assert any("GrandTotalAmount" in warning for warning in invoice.warnings)
    assert any("TaxBasisTotalAmount" in warning for warning in invoice.warnings)


def test_standalone_xml_goes_through_the_dispatcher():
    result = extract_bytes(UBL_INVOICE.format(type_code="380").encode(), filename="invoice.xml")
    assert result.invoices[0].invoice_number == "INV-2024-0042"
    assert result.invoices[0].source == "xml"


def refusal(data: bytes, limits: Limits = LIMITS, source: str = "xml") -> ExtractionError:
    started = time.monotonic()
    with pytest.raises(ExtractionError) as info:
        parse_einvoice_xml(data, limits, source)
    # A bound against runaway work (entity expansion would take minutes or exhaust memory), not a speed
    # target: wide enough for a loaded 2-core CI machine, where 0.3 s of honest parsing can take 1-2 s.
    assert time.monotonic() - started < 5.0
    return info.value


def refusal_without_reading(data: bytes, fifo) -> ExtractionError:
    """Parse ``data`` whose entities or DTD point at ``fifo``, a named pipe with no writer.

    Opening the pipe for reading blocks, so a parser that tries to read the
    referenced file (in Python or in C) is caught hanging instead of silently
    succeeding; the pipe is then fed to release it and the test fails.
    """
    outcome = {}

    def parse():
        try:
            parse_einvoice_xml(data, LIMITS, "xml")
        except ExtractionError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=parse, daemon=True)
    thread.start()
    thread.join(2.0)
    if thread.is_alive():
        writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.write(writer, b"TOP-SECRET")
        os.close(writer)
        thread.join(2.0)
        pytest.fail("the parser opened the file the XML refers to")
    return outcome["error"]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "secret"
    os.mkfifo(path)
    return path


def test_xxe_is_refused_without_reading_the_file(fifo):
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY secret SYSTEM "file://{fifo}">]>'
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'
        "<rsm:ExchangedDocument><ram:ID>&secret;</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>"
    ).encode()
    assert refusal_without_reading(data, fifo).code == "unsafe_xml"
    assert refusal(data).code == "unsafe_xml"  # and quickly


def test_parameter_entity_xxe_is_refused_without_reading_the_file(fifo):
    data = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file://{fifo}"> %p;]><r/>'.encode()
    assert refusal_without_reading(data, fifo).code == "unsafe_xml"


def test_external_dtd_file_is_refused_without_reading_it(fifo):
    data = f'<?xml version="1.0"?><!DOCTYPE r SYSTEM "file://{fifo}"><r/>'.encode()
    assert refusal_without_reading(data, fifo).code == "unsafe_xml"


def test_billion_laughs_is_refused_quickly():
    declarations = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        declarations.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    data = f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(declarations)}]><lolz>&lol9;</lolz>'.encode()
    assert refusal(data).code == "unsafe_xml"


def test_external_dtd_is_refused_without_fetching():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        data = (
            f'<?xml version="1.0"?><!DOCTYPE Invoice SYSTEM "http://127.0.0.1:{port}/evil.dtd">'
            '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
        ).encode()
        error = refusal(data)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected
    assert error.code == "unsafe_xml"
    assert "evil.dtd" in error.message


def test_rss_feed_is_not_an_invoice():
    rss = (
        b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Supplier news</title>'
        b"<item><title>New prices</title><link>https://example.com/prices</link></item></channel></rss>"
    )
    error = refusal(rss)
    assert error.code == "invalid_xml"
    assert "<rss>" in error.message


def test_ubl_order_is_not_an_invoice():
    order = b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"><ID>1</ID></Order>'
    assert refusal(order).code == "invalid_xml"


@pytest.mark.parametrize(
    "data",
    [
        UBL_INVOICE.format(type_code="380").encode()[:1500],  # truncated
        b"<Invoice><ID>1</Invoice>",  # mismatched tags
        b"   \n",
        b"<a>&undefined;</a>",
        b'<?xml version="1.0" encoding="no-such-encoding"?><a/>',
        b"\xff\xfe\x00garbage",
    ],
)
def test_malformed_xml_is_invalid(data):
    assert refusal(data).code == "invalid_xml"


def test_xml_size_is_capped_before_parsing():
    data = UBL_INVOICE.format(type_code="380").encode()
    small = Limits(max_inflated_bytes=len(data) - 1)
    assert refusal(data, small, "embedded-xml").code == "inflate_limit"
    assert refusal(data, small, "xml").code == "file_too_large"
    assert parse_einvoice_xml(data, Limits(max_inflated_bytes=len(data)), "xml")[0].invoice_number


def test_deeply_nested_xml_is_refused_in_bounded_time():
    depth = 100_000
    assert refusal(b"<a>" * depth + b"</a>" * depth).code == "invalid_xml"


@pytest.mark.parametrize(
    ("date_format", "value", "expected"),
    [
        ("102", "20240229", dt.date(2024, 2, 29)),
        ("203", "202402291530", dt.date(2024, 2, 29)),
        ("102", "20241302", None),  # no 13th month: reported, not guessed
        ("610", "202402", None),  # a month is not an issue date
    ],
)
def test_cii_date_formats(date_format, value, expected):
    text = XRECHNUNG_CII_WITHOUT_DUE_DATE.format(type_code="380").replace(
        '<udt:DateTimeString format="102">20240229<', f'<udt:DateTimeString format="{date_format}">{value}<'
    )
    (invoice,) = parse_einvoice_xml(text.encode(), LIMITS, "xml")
    assert invoice.issue_date == expected
    assert any(value in warning for warning in invoice.warnings) == (expected is None)
