"""The template-free reader on classes of pages other e-invoice generators draw.

Found by ``bench/embedded_truth.py`` on outside Factur-X/ZUGFeRD PDFs:
pages drawn from an e-invoice by visualisation stylesheets print the
document's type code between its title and its number, and sign the page
with the stylesheet maker's copyright.  Each case is a made-up page drawn
with reportlab and read through ``extract_bytes`` (``read`` of
``test_varied_layouts``); no outside document is pinned here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from .test_varied_layouts import read, supplier, totals

_TOTALS = [("Summe netto", "100,00"), ("MwSt. 19%", "19,00"), ("Gesamtbetrag", "119,00")]


def test_an_aside_between_the_title_and_its_number_is_not_the_number():
    titles = (
        ("Handelsrechnung (380) Nr. 471102 vom 05.03.2018", "471102"),
        ("Gutschrift (Selbst ausgestellte Rechnung) (389) Nr. 47110818 vom 05.03.2018", "47110818"),
        ("Invoice (copy) No. INV-4711 of 05.03.2018", "INV-4711"),
        ("Facture (duplicata) n° F-2018-77 du 05.03.2018", "F-2018-77"),
    )
    for title, number in titles:
        invoice = read(supplier("USt-IdNr.: DE136695976") + [(40, 230, title)] + totals(400, _TOTALS))
        assert invoice.invoice_number == number, title
        assert invoice.issue_date == dt.date(2018, 3, 5), title


def test_a_title_with_only_an_aside_after_it_gives_no_number():
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 230, "Rechnung (Kopie)"), (40, 250, "Datum: 05.03.2018")]
        + totals(400, _TOTALS)
    )
    assert invoice.invoice_number is None


def test_the_holder_of_a_copyright_notice_is_not_the_seller():
    # the stylesheet's maker signs the page; the seller's block is headed by nothing the reader knows
    invoice = read(
        [(40, 30, "(c) Muster Software GmbH 2020"), (40, 60, "Rechnung Nr. 4711 vom 05.03.2018")]
        + [(300, 90, "Käufer:"), (300, 102, "Kunde AG"), (300, 114, "Marktplatz 1"), (300, 126, "80331 München")]
        + totals(400, _TOTALS)
    )
    assert invoice.supplier.name != "Muster Software GmbH"
    assert invoice.customer.name == "Kunde AG"
    assert invoice.invoice_number == "4711"


def test_a_role_heading_whose_first_letters_the_text_layer_split_off_keeps_its_role():
    # letter-spaced headings read "Ver käufer": "käufer" alone heads the buyer's block, the opposite role
    invoice = read(
        [(40, 60, "Rechnung Nr. 4711 vom 05.03.2018")]
        + [(40, 90, "Ver käufer:"), (40, 102, "Lieferant GmbH"), (40, 114, "Hauptstraße 5"), (40, 126, "10115 Berlin")]
        + [(300, 90, "Käufer:"), (300, 102, "Kunde AG"), (300, 114, "Marktplatz 1"), (300, 126, "80331 München")]
        + totals(400, _TOTALS)
    )
    assert (invoice.supplier.name, invoice.customer.name) == ("Lieferant GmbH", "Kunde AG")


def test_a_sender_line_may_name_the_seller_by_its_web_domain_and_a_labelled_delivery_address_is_not_it():
    invoice = read(
        [(40, 120, "musterladen.de | Marktweg 7 | 08155 Musterstadt")]
        + [(40, 135, "Kunde AG"), (40, 147, "Feldstraße 34"), (40, 159, "54321 Hithausen")]
        + [(40, 230, "Rechnung RE1001"), (300, 230, "Belegdatum: 26.10.2022")]
        + [(40, 250, "Lieferadresse: Kunde Lager AG | Feldstraße 39 | 54321 Hithausen")]
        + totals(400, _TOTALS)
    )
    assert invoice.supplier.name == "musterladen.de"
    assert invoice.customer.name == "Kunde AG"


def test_a_labelled_address_line_above_the_items_is_not_the_sender_line():
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 135, "Kunde AG"), (40, 147, "Feldstraße 34"), (40, 159, "54321 Hithausen")]
        + [(40, 230, "Rechnung RE1001"), (300, 230, "Belegdatum: 26.10.2022")]
        + [(40, 250, "Lieferadresse: Kunde Lager AG | Feldstraße 39 | 54321 Hithausen")]
        + [(40, 262, "Kunde Nord GmbH")]
        + totals(400, _TOTALS)
    )
    assert "Lager" not in (invoice.supplier.name or "")


def test_an_insurers_bill_states_its_premium_and_the_insurance_premium_tax():
    # insurers charge insurance premium tax, not VAT, on the premium ("Beitrag")
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 230, "Beitragsrechnung Nr. BR-2014-17 vom 24.01.2014")]
        + [(40, 400, "Gesamtbeitrag"), (550, 400, ">1.000,00 €")]
        + [(40, 414, "Versicherungsteuer zur Wohngebäudeversicherung"), (550, 414, ">163,40 €")]
        + [(40, 428, "Rechnungsbetrag"), (550, 428, ">1.163,40 €")]
    )
    assert invoice.invoice_number == "BR-2014-17"
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        D("1000.00"),
        D("163.40"),
        D("1163.40"),
    )


def test_a_long_label_glued_to_its_value_still_labels_it():
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 230, "Rechnung Nr. 4711"), (40, 245, "Rechnungsdatum: 27.08.2026 - Fälligkeitsdatum16.09.2026")]
        + totals(400, _TOTALS)
    )
    assert (invoice.issue_date, invoice.due_date) == (dt.date(2026, 8, 27), dt.date(2026, 9, 16))


def test_the_day_of_a_date_in_words_after_the_title_is_not_the_number():
    invoice = read(
        supplier("USt-IdNr.: DE136695976") + [(40, 230, "Beitragsrechnung 24. Januar 2014")] + totals(400, _TOTALS)
    )
    assert invoice.invoice_number is None


def test_compound_titles_of_rent_repair_and_down_payment_invoices_introduce_the_number():
    for title, number in (
        ("Mietrechnung (387) Nr. 9314110911/00/M vom 01.10.2018", "9314110911/00/M"),
        ("Reparaturrechnung R-2018-5 vom 01.10.2018", "R-2018-5"),
        ("Facture d'acompte FA-2018-12 du 01.10.2018", "FA-2018-12"),
    ):
        invoice = read(supplier("USt-IdNr.: DE136695976") + [(40, 230, title)] + totals(400, _TOTALS))
        assert invoice.invoice_number == number, title
        assert invoice.issue_date == dt.date(2018, 10, 1), title


def test_the_invoice_currency_beats_the_vat_accounting_currency_printed_beside_it():
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 230, "Rechnung Nr. 4711 vom 05.03.2018")]
        + [(40, 245, "Rechnungswährung : GBP"), (40, 260, "Währung der Umsatzsteuerbuchung : EUR")]
        + totals(400, _TOTALS)
        + [(40, 460, "Steuerbetrag in EUR"), (550, 460, ">21,36")]
    )
    assert invoice.currency == "GBP"


def test_a_title_sentence_gives_the_number_after_its_number_word_but_not_a_customers():
    for title, number in (
        ("Rechnung des Versicherers (575) Nr. 01.234.567.8-2018-1 vom 06.12.2018", "01.234.567.8-2018-1"),
        ("Facture de prestations de décembre N° F-2018-77 du 06.12.2018", "F-2018-77"),
        ("Fattura servizi di dicembre n. 12/B del 06.12.2018", "12/B"),
        ("Rechnung an Kunde Nr. 12345 vom 06.12.2018", None),
    ):
        invoice = read(supplier("USt-IdNr.: DE136695976") + [(40, 230, title)] + totals(400, _TOTALS))
        assert invoice.invoice_number == number, title


def test_a_date_right_after_the_title_dates_the_document_and_one_after_another_word_does_not():
    for title, issued in (
        ("Beitragsrechnung 24. Januar 2014", dt.date(2014, 1, 24)),
        ("Facture : 05/11/2017", dt.date(2017, 11, 5)),
        ("Rechnung gemäß Bestellung 01.03.2018", None),
    ):
        invoice = read(supplier("USt-IdNr.: DE136695976") + [(40, 230, title)] + totals(400, _TOTALS))
        assert invoice.issue_date == issued, title


def test_a_number_quoted_in_a_remark_gives_way_to_the_title_number():
    # the page's remark asks to quote the document number ("und Belegnummer ... angeben"): a sentence runs
    # into the label, and the number it quotes lacks the title number's prefix
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 230, "Handelsrechnung (380) Nr. E2018092011804 vom 20.09.2018")]
        + [(40, 250, "Bestellung:"), (200, 250, "2018092011804")]
        + [(40, 280, "Bei Schriftwechsel bitte Ihre Kundennummer 35040727 und Belegnummer 2018092011804 angeben")]
        + totals(400, _TOTALS)
    )
    assert invoice.invoice_number == "E2018092011804"
    assert invoice.po_reference == "2018092011804"


def test_a_number_label_that_starts_its_line_still_gives_the_number():
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 230, "Rechnung"), (40, 250, "Belegnummer: 2018092011804"), (40, 270, "Datum: 20.09.2018")]
        + totals(400, _TOTALS)
    )
    assert invoice.invoice_number == "2018092011804"


_TITLE = [(40, 230, "Rechnung Nr. 4711 vom 05.03.2018")]


def test_a_made_up_vat_number_after_a_sure_label_is_read_as_printed():
    # sample invoices print VAT numbers off their country's length: the labelled value is still the seller's
    for line, vat in (("UStID#DE12345618938", "DE12345618938"), ("VAT number: FR 1234 5678 90", "FR1234567890")):
        invoice = read(supplier(line) + _TITLE + totals(400, _TOTALS))
        assert invoice.supplier.vat == vat, line


def test_a_well_formed_vat_number_wins_over_a_malformed_one():
    invoice = read(supplier("USt-IdNr.: DE12345618938") + [(40, 98, "DE136695976")] + _TITLE + totals(400, _TOTALS))
    assert invoice.supplier.vat == "DE136695976"


def test_a_bare_word_and_number_after_a_vat_label_is_no_vat_number():
    invoice = read(supplier("USt-IdNr.: Deutsche Bank 12345678") + _TITLE + totals(400, _TOTALS))
    assert invoice.supplier.vat is None


def test_the_order_reference_wins_over_the_buyer_reference_an_en16931_page_prints_beside_it():
    # BT-10 "Buyer reference" (a Leitweg-ID) and BT-13 "Purchase order reference", in either order
    rows = [("Buyer reference:", "04011000-12345-34"), ("Purchase order reference:", "PO-2024-0815")]
    for ordered in (rows, rows[::-1]):
        items = [(300, 240 + 14 * row, label) for row, (label, _value) in enumerate(ordered)]
        items += [(430, 240 + 14 * row, value) for row, (_label, value) in enumerate(ordered)]
        invoice = read(supplier("USt-IdNr.: DE136695976") + _TITLE + items + totals(400, _TOTALS))
        assert invoice.po_reference == "PO-2024-0815"


def test_order_reference_labels_of_german_and_french_pages():
    for label in ("Bestellreferenz:", "Kunden-Bestellnummer", "Référence de la commande :"):
        items = [(300, 240, label), (430, 240, "B-77120")]
        invoice = read(supplier("USt-IdNr.: DE136695976") + _TITLE + items + totals(400, _TOTALS))
        assert invoice.po_reference == "B-77120", label


def test_a_buyer_reference_alone_is_still_read_as_the_order_reference():
    items = [(300, 240, "Buyer reference:"), (430, 240, "PO-2024-0815")]
    invoice = read(supplier("USt-IdNr.: DE136695976") + _TITLE + items + totals(400, _TOTALS))
    assert invoice.po_reference == "PO-2024-0815"


def test_a_service_recipient_heading_makes_its_block_the_buyer():
    # §14 UStG wording: "Leistungserbringer" (provider) and "Leistungsempfänger" (recipient), the recipient first
    rows = []
    for y, heading, name, vat in (
        (80, "Leistungsempfänger", "Kunden AG Mitte", "DE811569869"),
        (170, "Leistungserbringer", "Lieferant GmbH", "DE136695976"),
    ):
        rows += [(40, y, heading), (40, y + 12, name), (40, y + 24, "Hauptstraße 5"), (40, y + 36, "80333 München")]
        rows += [(40, y + 48, "USt-IdNr.:"), (150, y + 48, vat)]
    invoice = read([(40, 40, "Rechnung Nr. 471102 vom 05.06.2018")] + rows + totals(400, _TOTALS))
    assert invoice.supplier.vat == "DE136695976"
    assert invoice.customer.vat == "DE811569869"


def test_a_vat_number_the_issuer_calls_its_own_is_the_sellers_beside_the_address_window():
    # DIN 5008 letter: the info box right of the address window shares its lines; "Unsere" says whose number it is
    items = [(40, 50, "Atlas Trading GmbH · Hauptstraße 5 · 10115 Berlin")]
    items += [(40, 90, "Muster AG"), (40, 102, "Marktplatz 1"), (40, 114, "80331 München")]
    items += [(40, 126, "USt-IdNr.: DE811569869")]
    rows = [("Rechnungsnr.:", "4711"), ("Datum:", "05.03.2018"), ("Unsere USt-IdNr.:", "DE136695976")]
    items += [(350, 90 + 12 * row, label) for row, (label, _value) in enumerate(rows)]
    items += [(460, 90 + 12 * row, value) for row, (_label, value) in enumerate(rows)]
    invoice = read(items + [(40, 200, "Rechnung")] + totals(400, _TOTALS))
    assert invoice.supplier.vat == "DE136695976"
    assert invoice.customer.vat == "DE811569869"


def _po_of(items):
    return read(supplier("USt-IdNr.: DE136695976") + _TITLE + items + totals(400, _TOTALS)).po_reference


def test_a_number_word_with_its_colon_after_an_order_label():
    assert _po_of([(300, 240, "Customer PO No.:"), (430, 240, "88123")]) == "88123"
    assert _po_of([(300, 240, "Commande No : CDE234")]) == "CDE234"


def test_the_order_number_after_the_orders_date():
    assert _po_of([(40, 240, "Ihre Bestellung vom 01.03.2018 Nr. B-88123")]) == "B-88123"
    assert _po_of([(40, 240, "Votre commande du 01/03/2018 n° 88123")]) == "88123"
    assert _po_of([(40, 240, "Ihre Bestellung vom 01.03.2018")]) is None


def test_order_labels_naming_the_customer():
    assert _po_of([(300, 240, "Bestell-Nr. Kunde:"), (430, 240, "B-88123")]) == "B-88123"
    assert _po_of([(300, 240, "Réf. commande client :"), (430, 240, "88123")]) == "88123"


def test_an_order_label_names_its_owner_before_its_colon():
    # an e-invoice viewer's line: the party whose number it is between the label and its colon
    assert _po_of([(40, 240, "Bestellung Nr. Kunde: B123456789")]) == "B123456789"
    assert _po_of([(40, 240, "Order No. customer: PO-4711")]) == "PO-4711"
    assert _po_of([(40, 240, "Nº de pedido cliente: P-4711")]) == "P-4711"


def test_an_order_number_the_label_gives_the_seller_is_not_the_buyers_order():
    assert _po_of([(40, 240, "Bestellung Nr. Lieferant: SO-4711")]) is None
    rows = [(40, 240, "Bestellung Nr. Lieferant: SO-4711"), (40, 252, "Bestellung Nr. Kunde: B-88123")]
    assert _po_of(rows) == "B-88123"


def test_the_buyers_own_reference_in_six_languages_gives_the_order():
    for label in ("Kundenreferenz:", "Réf. client :", "Klantreferentie:", "Referencia cliente:", "Vs. riferimento:"):
        assert _po_of([(300, 240, label), (430, 240, "B-77120")]) == "B-77120", label


def test_the_number_abbreviation_with_its_dot_n_dot_o_is_a_number_word():
    # "n.º", the Spanish and Portuguese spelling of "nº"
    assert _po_of([(300, 240, "Pedido n.º 4711-A")]) == "4711-A"
    assert _po_of([(300, 240, "N.º de pedido:"), (430, 240, "4711-A")]) == "4711-A"


def test_a_party_word_in_the_next_column_is_not_the_labels_owner():
    # "Order No." titles a column and "Customer:" heads the buyer's block beside it
    items = [(300, 240, "Order No."), (420, 240, "Customer: Alder Labs Ltd"), (300, 252, "PO-4711")]
    assert _po_of(items) == "PO-4711"


def test_a_dated_letter_beside_the_address_outweighs_a_print_stamp():
    # "Ort, den Datum" in the column right of the address; the footer's "Datum ... Zeit ..." is when it was printed
    items = [(40, 50, "Atlas Trading GmbH"), (40, 62, "USt-IdNr. DE136695976")]
    items += [(40, 110, "Muster GmbH"), (300, 110, "Rechnungsnummer:"), (430, 110, "2015738820")]
    items += [(40, 122, "z. Hd. Herr Mustermann"), (300, 122, "München, den"), (430, 122, "01.11.2024")]
    items += [(40, 134, "Musterweg 1"), (40, 146, "60325 Frankfurt am Main"), (40, 200, "Rechnung")]
    items += [(300, 780, "Datum:"), (350, 780, "30.10.2024"), (420, 780, "Zeit: 04:59:13"), (500, 780, "Seite: 1")]
    invoice = read(items + totals(400, _TOTALS))
    assert invoice.issue_date == dt.date(2024, 11, 1)


def test_a_date_stamped_with_its_time_is_still_the_date_when_alone():
    items = [(40, 50, "Atlas Trading GmbH"), (40, 62, "USt-IdNr. DE136695976"), (40, 200, "Rechnung Nr. 4711")]
    items += [(300, 220, "Datum: 30.10.2024 14:32")]
    invoice = read(items + totals(400, _TOTALS))
    assert invoice.issue_date == dt.date(2024, 10, 30)


def test_an_order_label_ending_in_a_number_word_heads_the_value_under_it():
    assert _po_of([(300, 240, "Bon de commande n°"), (300, 252, "BC-88123")]) == "BC-88123"


def test_a_label_whose_last_letters_the_text_layer_split_off_is_still_the_label():
    # the FeRD stylesheet's pages read "Rechnungskor rektur Nr." and "Zahlbetr ag" in their text layer
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 230, "Rechnungskor rektur Nr. RK21012345 vom 16.09.2019")]
        + totals(400, [("Summe netto", "100,00"), ("MwSt. 19%", "19,00"), ("Zahlbetr ag", "119,00")])
    )
    assert invoice.invoice_number == "RK21012345"
    assert invoice.amount_total == D("119.00")


def test_order_labels_of_six_languages_and_their_abbreviations():
    # "-nummer" compounds are printed "-Nr." too; the EN 16931 term and its translations head the same value
    labels = (
        "Purchase order ref.:", "Customer order no.:", "Buyer order reference:", "Ihre Auftragsnr.:",
        "Kundenbestell-Nr.:", "Ihr Bestellzeichen:", "Bestellnummer des Käufers:", "Bestell-Referenz:",
        "N° BC :", "Référence du bon de commande :", "Uw ordernr.:", "Inkooporderreferentie:",
        "Número de orden de compra:", "Nº de pedido del cliente:", "Ordine d'acquisto:", "N. ordine cliente:",
    )  # fmt: skip
    for label in labels:
        assert _po_of([(300, 240, label), (430, 240, "B-88123")]) == "B-88123", label
        assert _po_of([(300, 240, label.rstrip(" :")), (300, 252, "B-88123")]) == "B-88123", label


def test_the_sellers_own_order_number_is_not_the_buyers_order():
    # BT-14 "Sales order reference" beside BT-13 "Purchase order reference"; "Our order no." beside "Your order no."
    for ours, yours in (("Sales order reference:", "Purchase order reference:"), ("Our order no.:", "Your order no.:")):
        items = [(300, 240, ours), (430, 240, "SO-5512"), (300, 254, yours), (430, 254, "B-88123")]
        assert _po_of(items) == "B-88123", ours
        assert _po_of(items[:2]) is None, ours


def test_a_label_for_the_orders_number_and_date_gives_the_number():
    assert _po_of([(40, 240, "Bestellnummer/-datum: B-88123 / 01.03.2018")]) == "B-88123"
    assert _po_of([(300, 240, "Order No./Date:"), (430, 240, "B-88123 / 01.03.2018")]) == "B-88123"
    assert _po_of([(40, 240, "Bestelldatum/-nummer: 01.03.2018 / B-88123")]) == "B-88123"


def test_the_order_number_after_its_date_and_a_colon_or_slash():
    assert _po_of([(40, 240, "Ihre Bestellung vom 01.03.2018: B-88123")]) == "B-88123"
    assert _po_of([(40, 240, "Ihre Bestellung: 01.03.2018 / B-88123")]) == "B-88123"
    assert _po_of([(40, 240, "Bestellung vom 01.03.2018 5 Stück")]) is None  # the sentence goes on


def test_an_order_quoted_in_the_letters_opening_sentence():
    assert _po_of([(40, 240, "Wir danken für Ihren Auftrag B-88123 und berechnen:")]) == "B-88123"
    assert _po_of([(40, 240, "Gemäß Ihrer Bestellung B-88123 berechnen wir Ihnen:")]) == "B-88123"


def test_an_order_reference_printed_in_groups_alone_in_its_cell():
    assert _po_of([(300, 240, "Bestellnummer:"), (430, 240, "PO 88123")]) == "PO 88123"
    assert _po_of([(300, 240, "Order number:"), (430, 240, "4500 123 456")]) == "4500 123 456"
    assert _po_of([(40, 240, "PO-Nr.: 88123")]) == "88123"
    # a sentence going on after the number, or a date spaced out, is not one reference
    assert _po_of([(40, 240, "Ihre Bestellung 88123 2 Stück")]) == "88123"
    assert _po_of([(300, 240, "Bestellnummer:"), (430, 240, "01 03 2018")]) != "01 03 2018"


_SELLER_VAT, _BUYER_VAT = "DE136695976", "DE811569869"
_LETTER = [(40, 50, "Atlas Trading GmbH"), (40, 62, "Hauptstraße 5"), (40, 74, "10115 Berlin")]
_LETTER += [(40, 120, "Muster AG"), (40, 132, "Marktplatz 1"), (40, 144, "80331 München")]


def _vats_of(items):
    invoice = read(_LETTER + _TITLE + items + totals(400, _TOTALS))
    return invoice.supplier.vat, invoice.customer.vat


def test_a_buyer_block_beside_or_above_the_sellers_keeps_its_vat_number():
    # EN 16931 pages print "Buyer" and "Seller" sections, each with its VAT identifier, the buyer's first
    side_by_side = [(40, 300, "Buyer"), (40, 312, "Muster AG"), (40, 324, "VAT ID: " + _BUYER_VAT)]
    side_by_side += [(300, 300, "Seller"), (300, 312, "Atlas Trading GmbH"), (300, 324, "VAT ID: " + _SELLER_VAT)]
    stacked = [(40, 300, "Käufer"), (40, 312, "USt-IdNr.: " + _BUYER_VAT)]
    stacked += [(40, 340, "Verkäufer"), (40, 352, "USt-IdNr.: " + _SELLER_VAT)]
    for items in (side_by_side, stacked):
        assert _vats_of(items) == (_SELLER_VAT, _BUYER_VAT)


def test_the_vat_number_in_the_pages_footer_is_the_sellers():
    # the buyer's number under its address with the same label as the seller's in the footer
    assert _vats_of([(40, 156, "USt-IdNr.: " + _BUYER_VAT), (40, 780, "USt-IdNr.: " + _SELLER_VAT)])[0] == _SELLER_VAT
    footer = [(40, 770, "Atlas Trading GmbH"), (200, 770, "VAT ID"), (200, 782, _SELLER_VAT)]
    assert _vats_of([(40, 156, "VAT ID: " + _BUYER_VAT), *footer])[0] == _SELLER_VAT


def test_the_domain_beside_the_sellers_vat_number_names_the_seller_of_two_unheaded_blocks():
    # an ERP layout: the addressee under the window on the left, the issuer on the right, no headings; the footer
    # table prints the issuer's VAT number and e-mail address side by side
    items = [(40, 40, "Invoice 4711"), (40, 52, "March 5, 2018")]
    for row, (left, right) in enumerate(
        (("Muster Handel AG", "ATLAS DE"), ("Marktplatz 1", "Hauptstraße 5"), ("80331 München", "10115 Berlin"))
    ):
        items += [(40, 100 + 12 * row, left), (550, 100 + 12 * row, ">" + right)]
    items += [(40, 200, "Order No."), (40, 212, "88123")]
    items += [(40, 700, "VAT Registration No."), (200, 700, "Phone No."), (350, 700, "Email")]
    items += [(40, 712, "DE136695976"), (200, 712, "040 / 12 34 56"), (350, 712, "info@atlas.com")]
    invoice = read(items + totals(400, [("Subtotal", "573.00"), ("19% VAT", "108.87"), ("Total", "681.87")]))
    assert (invoice.supplier.name, invoice.customer.name) == ("ATLAS DE", "Muster Handel AG")
    assert invoice.supplier.vat == "DE136695976"


def test_a_booking_number_numbers_a_receipt_that_prints_no_invoice_number():
    header = [(40, 40, "PAYMENT RECEIPT"), (40, 70, "Guest Name: Sanjay"), (450, 70, "Date: 31/12/2017")]
    booking = [(300, 110, "Booking ID"), (420, 110, "Payment Mode"), (300, 122, "HBZY4711"), (420, 122, "Cash")]
    amounts = [(40, 200, "Room Charges"), (550, 200, ">Rs 1939"), (40, 230, "Grand Total"), (550, 230, ">Rs 1939")]
    assert read(header + booking + amounts).invoice_number == "HBZY4711"
    numbered = [(40, 90, "Invoice No.: INV-2017-88")]
    assert read(header + numbered + booking + amounts).invoice_number == "INV-2017-88"


def test_an_order_label_a_narrow_cell_wraps_over_two_lines():
    # neither line alone is the label; the value beside either line or between them, else under the second
    for first, second in (("Bestell-", "nummer:"), ("Purchase order", "reference:"), ("Kundenbestell-", "Nr.:")):
        for value_y in (240, 246, 251):
            items = [(300, 240, first), (300, 251, second), (400, value_y, "B-88123")]
            assert _po_of(items) == "B-88123", (first, value_y)
        assert _po_of([(300, 240, first), (300, 251, second.rstrip(":")), (300, 263, "B-88123")]) == "B-88123", first
    # two lines of a paragraph do not make a label, nor lines that do not start at the same place
    assert _po_of([(300, 240, "Bestell-"), (330, 251, "nummer:"), (400, 251, "B-88123")]) is None


def test_a_value_right_aligned_in_its_column_under_a_row_of_titles():
    # the number ends past its title and starts after the title's words: the column is the room between titles
    items = [(40, 240, "Kundennr."), (150, 240, "PO number"), (260, 240, "Datum")]
    items += [(100, 252, ">10045"), (230, 252, ">88123"), (320, 252, ">05.03.2018")]
    assert _po_of(items) == "88123"
    # a values row with two cells in the title's room says nothing about which is its value
    items = [(40, 240, "Kundennr."), (150, 240, "PO number"), (260, 240, "Datum")]
    items += [(100, 252, ">10045"), (190, 252, ">4711"), (240, 252, ">88123")]
    assert _po_of(items) is None


def test_an_order_reference_without_digits_only_after_a_sure_label():
    assert _po_of([(300, 240, "Purchase order reference:"), (430, 240, "PROJ-ALPHA")]) == "PROJ-ALPHA"
    assert _po_of([(300, 240, "Purchase order reference"), (300, 252, "Proj-Alpha")]) == "Proj-Alpha"
    assert _po_of([(300, 240, "Bestellnummer: WEBSHOP")]) == "WEBSHOP"
    # words of a sentence, a placeholder, the next title of a row of titles are no reference
    assert _po_of([(300, 240, "Bestellnummer: Bitte angeben")]) is None
    assert _po_of([(300, 240, "Bestellnummer:"), (430, 240, "N/A")]) is None
    assert _po_of([(300, 240, "Bestellnummer:"), (430, 240, "NONE")]) is None
    titles = [(40, 240, "BESTELLNUMMER"), (200, 240, "ANSPRECHPARTNER")]
    titles += [(40, 252, "Herr Maier"), (200, 252, "Frau Huber")]
    assert _po_of(titles) is None
    # a reference with digits beats one without
    items = [(300, 240, "Bestellnummer: WEBSHOP"), (300, 254, "Purchase order reference:"), (430, 254, "B-88123")]
    assert _po_of(items) == "B-88123"


def test_a_weak_order_word_with_its_colon_heads_a_field_and_outweighs_an_order_quoted_in_a_sentence():
    # "Bestellung:" starting its cell is the header field's title; the closing sentence quotes another number
    for label in ("Bestellung:", "Order:", "Commande :"):
        items = [(300, 240, label), (430, 240, "2013-471331")]
        items += [(40, 380, "Rechnung gemäß Bestellung Nr. 2018-471331 vom 01.03.2018.")]
        assert _po_of(items) == "2013-471331", label
    # a reference the buyer gives for anything is no surer with its colon: the order the sentence quotes stays
    items = [(300, 240, "Ihr Zeichen:"), (430, 240, "AB-312")]
    items += [(40, 380, "Rechnung gemäß Bestellung Nr. 2013-471331 vom 01.03.2018.")]
    assert _po_of(items) == "2013-471331"


def test_the_words_under_a_title_in_a_row_of_values_that_reads_as_one_cell():
    # a browser pads table cells little: "15/05/2024" and "PO-23124" are closer than a column gap
    items = [(40, 240, "Due date"), (92, 240, "PO number"), (200, 240, "Customer no.")]
    items += [(40, 252, "15/05/2024"), (92, 252, "PO-23124"), (200, 252, "C4197")]
    assert _po_of(items) == "PO-23124"
    # the words under the title are a date: no order number, whatever else the row holds
    items = [(40, 240, "Customer no."), (110, 240, "PO number"), (200, 240, "Note")]
    items += [(40, 252, "C4197 sent"), (94, 252, "15/05/2024"), (200, 252, "none")]
    assert _po_of(items) is None


def test_number_and_order_labels_wrapped_in_a_row_of_titles_head_the_values_under_them():
    # "Invoice" over "number", "Purchase" over "order": the cell beside the label is the next title, not a value
    items = [(40, 240, "Invoice"), (130, 240, "Invoice"), (220, 240, "Purchase"), (310, 240, "Customer")]
    items += [(40, 251, "number"), (130, 251, "date"), (220, 251, "order"), (310, 251, "no.")]
    items += [(40, 263, "82117"), (130, 263, "15/04/2024"), (220, 263, "PO-23124"), (310, 263, "C4197")]
    invoice = read(supplier("VAT No.: DE136695976") + items + totals(400, _TOTALS))
    assert (invoice.invoice_number, invoice.po_reference) == ("82117", "PO-23124")
    for first, second in (("Numéro de", "facture"), ("Rechnungs-", "nummer")):
        items = [
            (40, 240, first),
            (130, 240, "Date"),
            (40, 251, second),
            (40, 263, "F24-0137"),
            (130, 263, "05.03.2018"),
        ]
        invoice = read(supplier("VAT No.: DE136695976") + items + totals(400, _TOTALS))
        assert invoice.invoice_number == "F24-0137", first


def test_a_customer_number_label_in_spanish_or_italian_does_not_head_the_buyers_block():
    # "Nº cliente" is the buyer's account number: the seller's VAT number in the footer stays the seller's
    for label, vat, tax_label in (("Nº cliente:", "ESB88485982", "NIF"), ("Cod. cliente:", "IT65195150936", "P. IVA")):
        items = [(40, 40, "Tamar Tech S.L."), (40, 52, "1 Calle Mayor"), (40, 64, "28001 Madrid")]
        items += [(40, 100, "Cliente"), (40, 112, "Corvi Labs S.L."), (300, 100, "Factura nº: 70024")]
        items += [(300, 112, "Fecha: 26/07/2024"), (300, 160, label), (400, 160, "C7477")]
        items += [(40, 780, f"Tamar Tech S.L. · {tax_label} {vat} · Gracias por su confianza.")]
        invoice = read(items + totals(400, [("Base imponible", "100,00"), ("IVA 21%", "21,00"), ("Total", "121,00")]))
        assert (invoice.supplier.vat, invoice.customer.vat) == (vat, None), label


def test_a_label_and_its_translation_apart_by_a_slash_head_the_value_under_them():
    # a browser ran the row of titles together: only the first label's words are over the number
    titles = "Rechnungsnummer / Invoice number Rechnungsdatum / Invoice date Fällig am"
    items = [(40, 240, titles), (40, 252, "F23-75882"), (210, 252, "01.02.2024"), (390, 252, "02.03.2024")]
    assert read(supplier("USt-IdNr.: DE136695976") + items + totals(400, _TOTALS)).invoice_number == "F23-75882"
    # a word after the label is no translation: the value under it is not the label's
    items = [(40, 240, "Rechnungsnummer folgt"), (40, 252, "RE-2024-0137")]
    assert read(supplier("USt-IdNr.: DE136695976") + items + totals(400, _TOTALS)).invoice_number is None


def test_titles_run_together_in_a_row_of_titles_still_head_their_values():
    # "Kunden" (of "Kunden-Nr.", wrapped) follows "Bestellnummer" in one cell: a title, not its value
    items = [(40, 240, "Rechnungsdatum   Fällig am"), (260, 240, "Bestellnummer Kunden"), (400, 252, "Nr.")]
    items += [(40, 264, "11.04.2024"), (130, 264, "25.04.2024"), (260, 264, "BE2024-793"), (400, 264, "C5283")]
    assert _po_of(items) == "BE2024-793"
    # on a line with a value a word after the label is what it introduces
    assert _po_of([(260, 240, "Bestellnummer folgt 4711"), (260, 252, "BE2024-793")]) is None


def test_a_buyers_title_in_a_row_of_titles_heads_one_value_not_a_block_down_the_page():
    # the seller's VAT number under the totals, in the "Customer" column, is not the buyer's
    items = [(40, 40, "Vinter Supply Ltd"), (40, 52, "1 Sample Street"), (40, 64, "London EC1A 1BB")]
    items += [(40, 200, "Invoice"), (150, 200, "Invoice"), (260, 200, "Due date"), (370, 200, "Customer")]
    items += [(40, 211, "number"), (150, 211, "date"), (370, 211, "no.")]
    items += [(40, 223, "82117"), (150, 223, "29/07/2024"), (260, 223, "28/08/2024"), (370, 223, "C702")]
    items += [(370, 240, "Subtotal"), (550, 240, ">100.00"), (370, 254, "VAT 20%"), (550, 254, ">20.00")]
    items += [(370, 268, "Total due"), (550, 268, ">120.00"), (370, 282, "VAT number GB122283459")]
    invoice = read(items)
    assert (invoice.supplier.vat, invoice.customer.vat) == ("GB122283459", None)


def test_a_code_a_narrow_cell_wrapped_after_its_hyphen_is_read_whole():
    items = [(300, 240, "Invoice number:"), (420, 240, "INV-2023-"), (420, 252, "3345")]
    items += [(300, 264, "PO number:"), (420, 264, "PO-2024/"), (420, 276, "77")]
    invoice = read(supplier("VAT No.: DE136695976") + items + totals(400, _TOTALS))
    assert (invoice.invoice_number, invoice.po_reference) == ("INV-2023-3345", "PO-2024/77")
    # a piece not under the code, or a word, is no continuation
    items = [(300, 240, "Invoice number:"), (420, 240, "INV-2023-"), (470, 252, "3345"), (300, 264, "Order-")]
    items += [(300, 276, "Date"), (420, 276, "05.03.2018")]
    assert read(supplier("VAT No.: DE136695976") + items + totals(400, _TOTALS)).invoice_number == "INV-2023"


def test_a_centred_label_wrapped_over_two_lines_heads_the_value_under_it():
    # a header table's titles centred in their cells: the two lines share their middle, not their left edge
    items = [(90, 240, "Numero"), (202, 240, "Data"), (303, 240, "Data"), (390, 240, "Ordine di"), (504, 240, "Cod.")]
    items += [(96, 251, "fattura"), (187, 251, "fattura"), (273, 251, "scadenza"), (395, 251, "acquisto")]
    items += [(488, 251, "cliente"), (90, 263, "2023787"), (165, 263, "25/12/2024"), (266, 263, "08/01/2025")]
    items += [(379, 263, "BE2024-760"), (503, 263, "C469")]
    invoice = read(supplier("Partita IVA: IT00743110157") + items + totals(400, _TOTALS))
    assert (invoice.invoice_number, invoice.po_reference) == ("2023787", "BE2024-760")


def test_a_value_under_the_next_columns_title_is_not_the_labels_beside_it():
    # cards of uneven heights: "/ PO number" ends level with the customer number printed under its own title
    items = [(60, 200, "Factuurnummer /"), (180, 200, "Inkoopordernummer"), (300, 200, "Klantnummer")]
    items += [(60, 211, "Invoice number"), (180, 211, "/ PO number"), (300, 211, "C3325")]
    items += [(60, 222, "2025174"), (180, 222, "4500158654")]
    assert _po_of(items) == "4500158654"
    # a key and its value side by side: no title over the value
    assert _po_of([(60, 200, "Factuurnummer: 2025174"), (180, 211, "PO number"), (300, 211, "4500158654")]) == (
        "4500158654"
    )


def test_an_order_reference_label_followed_by_the_word_reference():
    # "Your order" then "reference": the whole is the buyer's order label, not "reference" (a distractor) alone
    for label in ("Your order reference:", "Your order ref.:", "PO Ref:", "Referencia del pedido:"):
        assert _po_of([(300, 240, label), (430, 240, "B-88123")]) == "B-88123", label
    assert _po_of([(300, 240, "Our order reference:"), (430, 240, "B-88123")]) is None


def test_a_bare_number_word_right_under_the_title_gives_the_number():
    # "FACTURE" over "N° FA-2026-0001": the title's number on the row under it, headed by a number word alone
    rows = (
        ("FACTURE", "N° FA-2026-0001", "FA-2026-0001"),
        ("FACTURE", "Numero: TEST-2024-001", "TEST-2024-001"),
        ("RECHNUNG", "Nr. RE-2024-17", "RE-2024-17"),
        ("INVOICE", "No. INV-0042", "INV-0042"),
    )
    for title, row, number in rows:
        invoice = read(
            supplier("USt-IdNr.: DE136695976")
            + [(40, 200, title), (40, 215, row), (40, 230, "Date : 05.03.2018")]
            + totals(400, _TOTALS)
        )
        assert invoice.invoice_number == number, row


def test_a_number_word_under_the_title_naming_another_number_gives_none():
    for row in ("N° client C-1234", "No. of pages 2"):
        invoice = read(
            supplier("USt-IdNr.: DE136695976")
            + [(40, 200, "FACTURE"), (40, 215, row), (40, 230, "Date : 05.03.2018")]
            + totals(400, _TOTALS)
        )
        assert invoice.invoice_number is None, row


def test_a_number_word_far_below_the_title_is_not_its_number():
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 200, "FACTURE"), (40, 230, "Date : 05.03.2018"), (40, 330, "N° 4711-0815")]
        + totals(400, _TOTALS)
    )
    assert invoice.invoice_number is None
