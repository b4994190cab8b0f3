"""Seller and buyer on layouts the reader has not seen: blocks of "key: value" rows, salutations, headings.

Each page is drawn with reportlab (words at the positions a generator
would put them) and read through the product's own entry point,
``extract_bytes``, as a mailed PDF is.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from invoice_import.engine.extract import extract_bytes

TOTALS = [
    [(50, "Description"), (300, "Quantity"), (380, "Price"), (460, "Amount")],
    [(50, "Consulting"), (300, "2"), (380, "50.00"), (460, "100.00")],
    [(300, "Net total"), (460, "100.00")],
    [(300, "VAT 19 %"), (460, "19.00")],
    [(300, "Total"), (460, "119.00")],
]


def page(rows: list[list[tuple[int, str]]]) -> bytes:
    """An A4 page: each row is a line of (x, text) or (x, text, font size) cells, 14 points apart."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for row in rows:
        for x, text, *size in row:
            pdf.setFont("Helvetica", size[0] if size else 10)
            pdf.drawString(x, y, text)
        y -= 14
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def parties(rows) -> tuple[str | None, str | None]:
    invoice = extract_bytes(page(rows), filename="invoice.pdf", ignore_embedded_xml=True).invoices[0]
    return invoice.supplier.name, invoice.customer.name


def test_a_block_of_key_value_rows_names_its_party_by_its_name_row():
    """A generator prints "Verkäufer" then "Nummer: 549910", "Name: Lieferant GmbH": the name row names the seller."""
    rows = [
        [(50, "Handelsrechnung Nr. 471102 vom 05.03.2018")],
        [(50, "Verkäufer")],
        [(50, "Nummer:"), (250, "549910")],
        [(50, "Globale Nummer:"), (250, "4000001123452 (GLN)")],
        [(50, "Name:"), (250, "Nordwind Handel GmbH")],
        [(50, "Anschrift:"), (250, "Hafenstraße 20")],
        [(250, "DE 80333 München")],
        [(50, "Käufer")],
        [(50, "Nummer:"), (250, "GE2020211")],
        [(50, "Name:"), (250, "Kunden AG Mitte")],
        [(50, "Anschrift:"), (250, "Kundenstraße 15")],
        *TOTALS,
    ]
    assert parties(rows) == ("Nordwind Handel GmbH", "Kunden AG Mitte")


def test_a_block_without_a_name_row_is_named_by_its_first_line_that_is_no_key_value_row():
    """ "Verkäufer:", "Nummer : 549910", then the name alone: the numbers above it name nobody."""
    rows = [
        [(50, "Mietrechnung Nr. 9314110911 vom 01.10.2018")],
        [(50, "Verkäufer:")],
        [(50, "Nummer"), (150, ": 549910")],
        [(50, "Globale Nummer: 4333741000005 (GTIN)")],
        [(50, "MUSTER-Autovermietung")],
        [(50, "Musterstr. 99")],
        [(50, "DE 99199 MUSTERHAUSEN")],
        *TOTALS,
    ]
    assert parties(rows)[0] == "MUSTER-Autovermietung"


def test_a_salutation_above_the_address_is_not_the_buyer():
    """Under the sender line a letter prints "Herr" alone, then the person: the person is the buyer."""
    rows = [
        [(50, "Acme GmbH | Europa-Allee 1980 | 60486 Frankfurt")],
        [(50, "Herr")],
        [(50, "Karl E. Coyote")],
        [(50, "Uferstraße 113")],
        [(50, "88045 Friedrichshafen")],
        [(300, "Rechnungsdatum: 31.01.2014")],
        [(50, "Rechnung Nr. 42")],
        *TOTALS,
    ]
    assert parties(rows) == ("Acme GmbH", "Karl E. Coyote")


def test_a_role_heading_joined_to_another_by_a_slash_still_heads_the_buyers_block():
    """ "Käufer/Leistungsempfänger" is two headings of one block, not a code like "PO-88123"."""
    rows = [
        [(50, "Handelsrechnung Nr. TX-471102 vom 30.10.2018")],
        [(50, "Verkäufer:")],
        [(50, "Taxiunternehmen TX GmbH")],
        [(50, "Lieferantenstraße 20")],
        [(50, "Käufer/Leistungsempfänger:")],
        [(50, "Taxi-Gast AG Mitte")],
        [(50, "Kundenstraße 15")],
        *TOTALS,
    ]
    assert parties(rows) == ("Taxiunternehmen TX GmbH", "Taxi-Gast AG Mitte")


def test_invoice_for_and_customer_name_name_the_buyer():
    """ "Invoice For: X" beside the seller's address, "Customer Name: Y" above the "Bill to" block's department."""
    rows = [
        [(50, "Contoso")],
        [(50, "Address:"), (300, "Invoice For: Alpine Ski House")],
        [(50, "1111 8th st."), (350, "1025 Enterprise Way")],
        [(50, "Bellevue, WA 99501"), (350, "Sunnyvale, CA 94024")],
        [(50, "Invoice Number: 458176")],
        *TOTALS,
    ]
    assert parties(rows) == ("Contoso", "Alpine Ski House")
    rows = [
        [(50, "CONTOSO LTD."), (400, "INVOICE")],
        [(50, "123 456th St"), (350, "INVOICE: INV-100")],
        [(300, "CUSTOMER NAME: MICROSOFT CORPORATION")],
        [(50, "BILL TO:"), (300, "SHIP TO:")],
        [(50, "Microsoft Finance"), (300, "Microsoft Delivery")],
        [(50, "123 Bill St,"), (300, "123 Ship St,")],
        *TOTALS,
    ]
    assert parties(rows) == ("CONTOSO LTD.", "MICROSOFT CORPORATION")


def test_the_name_printed_with_legal_details_at_the_foot_is_the_seller():
    """The buyer's address comes first on the page; the seller names itself above its registered office and RCS."""
    rows = [
        [(300, "ALEXINUX")],
        [(300, "de Lattre Alexis")],
        [(300, "27 rue Henri Rolland")],
        [(300, "69100 Villeurbanne")],
        [(50, "Facture n° 2022089083")],
        [(50, "Date : 28/11/2022")],
        *TOTALS,
        [(250, "NETPRESSE")],
        [(100, "Siège social : 16 rue Mollien - 92100 BOULOGNE - Tél : 01 71 17 61 67")],
        [(100, "Sarl au capital de 10 000€ - RCS Paris B 530 848 134 - Siret 53084813400017")],
    ]
    assert parties(rows)[0] == "NETPRESSE"


def test_a_name_spelled_before_its_legal_form_in_words_on_the_legal_line_is_the_seller():
    rows = [
        [(50, "Votre facture"), (350, "Facture n° 11608848301659")],
        [(350, "Date : 02/11/2019")],
        *TOTALS,
        [(50, "Vous serez prélevé sur votre compte bancaire avec comme Référence Unique de Mandat : BT115")],
        [(50, "BOUYGUES TELECOM - Société Anonyme au capital de 712 588 399,56 € - RCS Paris 397 480 930")],
    ]
    assert parties(rows)[0] == "BOUYGUES TELECOM"


def test_a_document_title_or_a_key_value_pair_at_the_top_is_never_the_seller():
    rows = [
        [(150, "PAYMENT RECEIPT")],
        [(50, "Guest Name: Sanjay"), (400, "Date: 31/12/2017")],
        [(50, "Booking ID: IBZY2087")],
        *TOTALS,
        [(150, "Oravel Stays Private Limited")],
    ]
    assert parties(rows)[0] == "Oravel Stays Private Limited"


def test_a_name_may_start_with_a_lower_case_particle_or_brand():
    """ "de Lattre Alexis" and "iViveLabs Ltd." under the sender line are names; "payment due" is not."""
    rows = [
        [(50, "QualityHosting AG - Uferweg 40-42 - D-63571 Gelnhausen")],
        [(50, "iViveLabs Ltd.")],
        [(50, "93B Sai Yu Chung")],
        [(50, "Rechnungsnr. 30064443"), (300, "Rechnungsdatum 7. Mai 2014")],
        *TOTALS,
    ]
    assert parties(rows) == ("QualityHosting AG", "iViveLabs Ltd.")
    rows[1] = [(50, "de Lattre Alexis")]
    assert parties(rows)[1] == "de Lattre Alexis"


def test_two_role_headings_side_by_side_each_name_the_block_under_them():
    """ "SELLER TRADE NAME   CLIENT :" with the names under each: the seller's column, not its footer's legal name."""
    rows = [
        [(50, "SELLER TRADE NAME"), (330, "CLIENT :")],
        [(50, "LE FOURNISSEUR"), (330, "LE CLIENT")],
        [(50, "35 rue d'ici"), (330, "MON ADRESSE LIGNE 1")],
        [(50, "75018 PARIS, FR"), (330, "06000 MA VILLE, FR")],
        [(50, "Facture N° : F20260023"), (330, "Date : 31/01/2026")],
        *TOTALS,
        [(50, "FOURNISSEUR F SARL au capital de 50 000 EUR - RCS MAVILLE 123 456 782")],
    ]
    assert parties(rows) == ("LE FOURNISSEUR", "LE CLIENT")


def test_the_addressee_is_found_by_the_shape_of_its_block_without_a_heading():
    """Name, street, postcode and city under a slogan in large type, the seller's block with its web address beside."""
    rows = [
        [(50, "FACTUUR."), (400, "Coolblue B.V.")],
        [(400, "Weena 664")],
        [(50, "Dat betaal", 18), (400, "3012 CN Rotterdam")],
        [(400, "Nederland")],
        [(50, "Pino Bluebird"), (400, "www.tabletcenter.nl")],
        [(50, "Sessamestreet 32")],
        [(50, "1025 RX Amsterdam"), (400, "KvK Rotterdam 24330087")],
        [(400, "BTW NL810433941B01")],
        [(50, "Factuurnummer: 993548900")],
        [(50, "Factuurdatum: 19 april 2014")],
        *TOTALS,
    ]
    assert parties(rows) == ("Coolblue B.V.", "Pino Bluebird")


def test_bill_to_address_heading_and_an_attention_line_name_the_buyer():
    rows = [
        [(300, "Amazon Web Services Invoice")],
        [(50, "Account number:"), (300, "Invoice Number: 42183017")],
        [(50, "296664039561"), (300, "Invoice Date: August 3, 2014")],
        [(50, "Bill to Address:")],
        [(50, "ATTN: iViveLabs Limited")],
        [(50, "93B Sai Yu Chung")],
        [(50, "Yuen Long, N.T., 0000, HK")],
        *TOTALS,
    ]
    assert parties(rows)[1] == "iViveLabs Limited"


def test_a_legal_form_on_the_line_below_joins_the_name_above():
    rows = [
        [(50, "Bakkerij Jansen")],
        [(50, "B.V.")],
        [(50, "Kerkstraat 12, 1017 GC Amsterdam")],
        [(50, "FACTUUR")],
        [(50, "Factuurnummer: 2024-0042"), (300, "Factuurdatum: 15-01-2024")],
        *TOTALS,
    ]
    assert parties(rows)[0] == "Bakkerij Jansen B.V."


def test_a_footer_line_of_name_street_and_city_names_the_seller():
    rows = [
        [(300, "RECHNUNG")],
        [(300, "Rechnung Nr. 2024-117")],
        [(300, "Datum: 05.03.2024")],
        [(300, "Kundennummer: 4711")],
        *TOTALS,
        [(100, "Hofladen Sommer · Dorfstraße 3 · 49661 Cloppenburg")],
    ]
    assert parties(rows)[0] == "Hofladen Sommer"


def test_customer_service_is_the_sellers_and_its_legal_line_keeps_its_vat_number():
    """ "Service Clients" heads the seller's help desk, not the customer's block; the VAT number under it in the
    legal footer is the seller's."""
    rows = [
        [(50, "Free Service Abonné")],
        [(50, "75371 Paris Cedex 08")],
        [(300, "de Lattre Alexis")],
        [(300, "35 RUE du logiciel libre")],
        [(300, "69100 VILLEURBANNE")],
        [(50, "Facture n°562044387 du 02 Juillet 2015")],
        *TOTALS,
        [(50, "Service Clients")],
        [(50, "Pour vous informer sur nos tarifs, appelez le 3244")],
        [(50, "Free SAS au capital de 3.441.812 Euros - RCS Paris - N° de TVA intra communautaire: FR 604 219 388 61")],
    ]
    invoice = extract_bytes(page(rows), filename="invoice.pdf", ignore_embedded_xml=True).invoices[0]
    assert (invoice.supplier.name, invoice.supplier.vat) == ("Free SAS", "FR60421938861")
    assert invoice.customer.name == "de Lattre Alexis"


def test_an_address_block_named_like_the_pages_web_domain_is_the_sellers():
    """A tagline sits at the top; the block "Azure Interior" matches www.azure-interior.com printed in the footer."""
    rows = [
        [(400, "Global Wholesaler")],
        [(50, "Azure Interior")],
        [(50, "4557 De Silva St")],
        [(50, "Fremont CA 94538")],
        [(50, "United States")],
        [(300, "YourCompany, Mitchell Admin")],
        [(300, "215 Vine St")],
        [(300, "Scranton PA 18503")],
        [(50, "Invoice INV/2023/03/0008")],
        [(50, "Invoice Date: 03/20/2023")],
        *TOTALS,
        [(100, "(870)-931-0505 azure.Interior24@example.com http://www.azure-interior.com")],
    ]
    assert parties(rows)[0] == "Azure Interior"


def test_an_addressee_block_without_a_postcode_shape_is_known_by_its_street_and_country():
    """A post box and a street, then the country written out: an address even where no postcode is printed."""
    rows = [
        [(300, "Contoso Ltd")],
        [(300, "VAT Registration No: GB 123 4567 89")],
        [(300, "INVOICE")],
        [(50, "Fabrikam Trading"), (300, "Invoice No: 12345678")],
        [(50, "Accounts Payable,"), (300, "Customer ID: C123456")],
        [(50, "PO Box 1,"), (300, "Invoice Date: 19/2/2024")],
        [(50, "2 Kingdom Street")],
        [(50, "London")],
        [(50, "United Kingdom")],
        *TOTALS,
    ]
    assert parties(rows) == ("Contoso Ltd", "Fabrikam Trading")
