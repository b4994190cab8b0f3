"""The supplier's postal address: from the e-invoice XML, and read from the page without a template."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from invoice_import.engine.addresses import address_from_lines, postcode_city
from invoice_import.engine.einvoice import parse_einvoice_xml
from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.freeform import extract_from_text
from invoice_import.engine.limits import Limits
from invoice_import.engine.pivot import Invoice

from .test_einvoice import UBL_INVOICE, embedded_xml_files

LIMITS = Limits()


def _local(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _xml_seller_address(payload: bytes) -> dict | None:
    """The seller's PostalTradeAddress read with ElementTree, independently of the engine's reader."""
    root = ET.fromstring(payload)
    for seller in root.iter():
        if _local(seller) != "SellerTradeParty":
            continue
        for address in seller:
            if _local(address) == "PostalTradeAddress":
                return {_local(child): (child.text or "").strip() for child in address}
    return None


def test_every_corpus_factur_x_seller_address_is_the_xml_s(corpus_dir):
    checked = 0
    for pdf_path in sorted(corpus_dir.glob("*.pdf")):
        for _name, payload in embedded_xml_files(pdf_path):
            truth = _xml_seller_address(payload)
            if truth is None:
                continue
            (invoice,) = parse_einvoice_xml(payload, LIMITS, "embedded-xml")
            address = invoice.supplier.address or {}
            assert address.get("zip") == (truth.get("PostcodeCode") or None), pdf_path.name
            assert address.get("city") == (" ".join(truth.get("CityName", "").split()) or None), pdf_path.name
            assert address.get("street") == (" ".join(truth.get("LineOne", "").split()) or None), pdf_path.name
            assert address.get("country_code") == (truth.get("CountryID") or None), pdf_path.name
            checked += 1
            break
    assert checked >= 10


def test_template_free_reader_finds_the_seller_address_the_xml_states(corpus_dir):
    """The page read without its XML: every address found is the XML's; most French and German ones are found."""
    found = compared = 0
    for pdf_path in sorted(corpus_dir.glob("*.pdf")):
        data = pdf_path.read_bytes()
        truth = extract_bytes(data, allow_ocr=False).invoices[0].supplier.address
        if not truth or "zip" not in truth:
            continue
        compared += 1
        read = extract_bytes(data, ignore_embedded_xml=True, allow_ocr=False).invoices[0].supplier.address
        if read:
            assert (read["zip"], read["city"].casefold()) == (truth["zip"], truth["city"].casefold()), pdf_path.name
            assert read["country_code"] == truth["country_code"], pdf_path.name
            found += 1
    assert compared >= 10
    assert found >= compared // 2, f"{found}/{compared}"


def test_ubl_supplier_address_and_the_pivot_round_trip():
    (invoice,) = parse_einvoice_xml(UBL_INVOICE.format(type_code="380").encode(), LIMITS, "xml")
    expected = {"street": "Storgatan 1", "zip": "11122", "city": "Stockholm", "country_code": "SE"}
    assert invoice.supplier.address == expected
    data = invoice.to_dict()
    assert data["supplier"]["address"] == expected
    assert Invoice.from_dict(data).supplier.address == expected
    # a pivot stored before the address existed still loads; a later key is left out, not refused
    data["supplier"].pop("address")
    data["customer"]["address_kind"] = "billing"
    assert Invoice.from_dict(data).supplier.address is None


def test_ubl_building_number_and_address_lines():
    xml = UBL_INVOICE.format(type_code="380").replace(
        "<cbc:StreetName>Storgatan 1</cbc:StreetName>",
        "<cbc:StreetName>Storgatan</cbc:StreetName><cbc:AdditionalStreetName>Box 12</cbc:AdditionalStreetName>"
        "<cbc:BuildingNumber>7</cbc:BuildingNumber>",
    )
    (invoice,) = parse_einvoice_xml(xml.encode(), LIMITS, "xml")
    assert invoice.supplier.address["street"] == "Storgatan 7"
    assert invoice.supplier.address["street2"] == "Box 12"


@pytest.mark.parametrize(
    ("line", "countries", "expected"),
    [
        ("D-80331 München", ["DE"], ("80331", "München", "DE")),
        ("75008 Paris", ["FR"], ("75008", "Paris", "FR")),
        ("1012 AB Amsterdam", ["DE", "NL"], ("1012 AB", "Amsterdam", "NL")),
        ("1000 Bruxelles", ["BE"], ("1000", "Bruxelles", "BE")),
        ("CH-8001 Zürich", ["CH"], ("8001", "Zürich", "CH")),
        ("20121 Milano MI", ["IT"], ("20121", "Milano MI", "IT")),
        ("Manchester M1 1AE", ["GB"], ("M1 1AE", "Manchester", "GB")),
        ("Sydney NSW 2000", ["AU"], ("2000", "Sydney", "AU")),
        ("Austin, TX 78701", ["US"], ("78701", "Austin", "US")),
        ("00-950 Warszawa", ["PL"], ("00-950", "Warszawa", "PL")),
    ],
)
def test_postcode_city_lines_by_country_shape(line, countries, expected):
    found = postcode_city(line, countries)
    assert (found["zip"], found["city"], found["country_code"]) == expected


@pytest.mark.parametrize(
    "line", ["12345", "Rechnung 12345 vom", "Invoice date: 12345 Total", "75008", "Tel. 0711 123456", "1 x 25 kg"]
)
def test_other_lines_are_not_postcode_lines(line):
    assert postcode_city(line, ["DE", "FR", "NL", "BE", "GB", "US"]) is None


def test_the_seller_s_country_shape_wins_over_a_street_number():
    """'1242 chemin ...' has a Belgian postcode's shape; for a French seller the French line is the postcode."""
    lines = ["Au bon moulin", "1242 chemin de l'olive", "84340 Malaucène", "France"]
    assert address_from_lines(lines, ["FR", "BE"]) == {
        "street": "1242 chemin de l'olive",
        "zip": "84340",
        "city": "Malaucène",
        "country_code": "FR",
    }


def test_street_and_second_line_above_the_postcode():
    lines = ["Bolt Supplies Ltd", "Unit 4", "12 Dock Road", "Leeds LS1 4AP", "United Kingdom"]
    assert address_from_lines(lines, ["GB"]) == {
        "street": "Unit 4",
        "street2": "12 Dock Road",
        "zip": "LS1 4AP",
        "city": "Leeds",
        "country_code": "GB",
    }


LETTER = """\
Werkzeug Huber GmbH
Industriestraße 12
70173 Stuttgart
USt-IdNr.: DE811234567

Rechnung an:
Muster Bau AG
Bahnhofplatz 3
8001 Zürich

Rechnung Nr. RE-2024-881
Rechnungsdatum: 05.03.2024
Pos Beschreibung Menge Preis Betrag
1 Bohrer 2 10,00 20,00
Nettobetrag 20,00
USt 19% 3,80
Gesamtbetrag EUR 23,80
"""


def test_letterhead_address_is_the_seller_s_not_the_customer_s():
    invoice = extract_from_text([LETTER])
    assert invoice.supplier.name == "Werkzeug Huber GmbH"
    assert invoice.supplier.address == {
        "street": "Industriestraße 12",
        "zip": "70173",
        "city": "Stuttgart",
        "country_code": "DE",
    }


def test_sender_line_above_the_window_gives_the_address():
    page = LETTER.replace(
        "Werkzeug Huber GmbH\nIndustriestraße 12\n70173 Stuttgart\n",
        "Werkzeug Huber GmbH · Industriestraße 12 · 70173 Stuttgart\n",
    ).replace("Rechnung an:\n", "")
    invoice = extract_from_text([page])
    assert invoice.supplier.address["zip"] == "70173"
    assert invoice.supplier.address["street"] == "Industriestraße 12"


def test_no_postcode_in_the_seller_s_block_gives_no_address():
    page = LETTER.replace("Industriestraße 12\n70173 Stuttgart\n", "")
    invoice = extract_from_text([page])
    assert invoice.supplier.address is None


def test_a_postcode_shape_several_countries_share_names_no_country():
    """Four digits are Swiss, Belgian, Austrian or Danish: the country is the VAT number's, a written one, or none."""
    lines = ["Muster AG", "Bahnhofplatz 3", "8001 Zürich"]
    assert "country_code" not in address_from_lines(lines, ["DE", "BE", "AT", "CH"])
    assert address_from_lines(lines, ["CH", "BE"])["country_code"] == "CH"
    assert address_from_lines([*lines, "Schweiz"], ["DE", "BE", "CH"])["country_code"] == "CH"
