"""CSV invoices: real files written by the tests in the encodings and dialects suppliers send."""

import datetime as dt
import time
from decimal import Decimal as D
from pathlib import Path

import pytest

from invoice_import.engine.checks import COMPUTED_CONFIDENCE
from invoice_import.engine.csv_reader import guess_csv_format, looks_like_formula, read_csv, sniff_delimiter
from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.formats import load_format
from invoice_import.engine.limits import Limits

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

GERMAN_FORMAT = {
    "name": "Stahlhandel Süd",
    "kind": "csv",
    "delimiter": ";",
    "encoding": "cp1252",
    "decimal_separator": ",",
    "thousands_separator": ".",
    "date_format": "%d.%m.%Y",
    "fixed": {"currency": "EUR", "supplier_name": "Stahlhandel Süd GmbH"},
    "columns": {
        "invoice_number": "Belegnr",
        "document_type": "Art",
        "issue_date": "Datum",
        "amount_total": "Summe brutto",
    },
    "line_columns": {
        "description": "Bezeichnung",
        "quantity": "Menge",
        "unit_price": "Preis",
        "tax_rate": "USt %",
        "amount": "Netto",
    },
}
GERMAN_HEADER = "Belegnr;Art;Datum;Bezeichnung;Menge;Preis;USt %;Netto;Summe brutto"


def _csv(lines, encoding="utf-8", newline="\r\n") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def _line_tuple(line):
    """A line as strings, Decimals written exactly (D("8.90") -> "8.90")."""
    numbers = (line.quantity, line.unit_price, line.discount, line.tax_rate, line.amount)
    return (line.product_code, line.description, *(None if n is None else str(n) for n in numbers))


def _warnings(invoice, fragment):
    return [w for w in invoice.warnings if fragment in w]


def test_the_shipped_acme_sample_reads_two_complete_invoices():
    fmt = load_format(SAMPLES / "formats" / "acme_csv.json")
    first, second = read_csv((SAMPLES / "acme_invoices.csv").read_bytes(), fmt, Limits())
    assert (first.invoice_number, first.document_type) == ("RE-2024-0117", "invoice")
    assert (first.issue_date, first.due_date) == (dt.date(2024, 3, 5), dt.date(2024, 4, 4))
    assert (first.currency, first.po_reference, first.customer.name) == ("EUR", "PO-4711", "Müller Maschinenbau GmbH")
    assert (first.supplier.name, first.supplier.vat) == ("ACME Industrial GmbH", "DE811234567")
    assert (first.amount_untaxed, first.amount_tax, first.amount_total) == (D("323.90"), D("61.54"), D("385.44"))
    assert [_line_tuple(ln) for ln in first.lines] == [
        ("10-2040", "Sechskantschrauben M8 × 40, verzinkt (100 Stk.)", "12", "8.90", "0", "19", "106.80"),
        ("10-3310", "Unterlegscheiben DIN 125 Ø 8,4 mm", "20", "2.35", "0", "19", "47.00"),
        ("77-0001", "Drehmomentschlüssel 40–200 Nm", "1", "189.00", "10", "19", "170.10"),
    ]
    assert second.invoice_number == "RE-2024-0118" and second.issue_date == dt.date(2024, 3, 6)
    assert (second.amount_untaxed, second.amount_tax, second.amount_total) == (D("5043.00"), D("958.17"), D("6001.17"))
    assert [(ln.quantity, ln.unit_price, ln.amount) for ln in second.lines] == [
        (D("4"), D("1249.50"), D("4998.00")),
        (D("1"), D("45.00"), D("45.00")),
    ]
    for invoice in (first, second):
        assert invoice.source == "csv" and invoice.format == "ACME Industrial GmbH (CSV export)"
        assert invoice.warnings == []
        assert invoice.confidence["amount_total"] == 1.0 and invoice.confidence["supplier.name"] == 1.0


def test_several_invoices_semicolons_decimal_comma_cp1252_umlauts():
    data = _csv(
        [
            GERMAN_HEADER,
            "R-100;Rechnung;01.02.2024;Flachstahl S235 – 40×5 mm, geglüht;10;12,50;19;125,00;1.636,25",
            "R-101;Rechnung;02.02.2024;Rundrohr Ø 42,4 × 2,0;3;99,00;19;297,00;353,43",
            "R-100;Rechnung;01.02.2024;Zuschnitt Säge, pauschal;1;1.250,00;19;1.250,00;1.636,25",
            ";;;Entgratung nach Maß;2;0,00;19;0,00;",
            "G-7;Gutschrift;05.02.2024;Rücknahme Flachstahl;2;12,50;19;25,00;29,75",
        ],
        encoding="cp1252",
    )
    invoices = read_csv(data, load_format(GERMAN_FORMAT), Limits())
    assert [inv.invoice_number for inv in invoices] == ["R-100", "R-101", "G-7"]
    r100, r101, g7 = invoices
    assert [ln.description for ln in r100.lines] == [
        "Flachstahl S235 – 40×5 mm, geglüht",
        "Zuschnitt Säge, pauschal",
        "Entgratung nach Maß",  # a row with an empty number continues the invoice above
    ]
    assert [ln.amount for ln in r100.lines] == [D("125.00"), D("1250.00"), D("0.00")]
    assert r100.lines[1].unit_price == D("1250.00")
    assert r100.amount_total == D("1636.25") and r100.confidence["amount_total"] == 1.0
    # no untaxed/tax column: computed from the lines, with a lower confidence
    assert (r100.amount_untaxed, r100.amount_tax) == (D("1375.00"), D("261.25"))
    assert r100.confidence["amount_untaxed"] == COMPUTED_CONFIDENCE
    assert r100.confidence["amount_tax"] == COMPUTED_CONFIDENCE
    assert _warnings(r100, "not contiguous") and _warnings(r100, "amount_untaxed not given")
    assert r101.lines[0].description == "Rundrohr Ø 42,4 × 2,0" and r101.amount_total == D("353.43")
    assert not _warnings(r101, "contiguous")
    assert g7.document_type == "credit_note" and g7.amount_total == D("29.75")
    assert g7.issue_date == dt.date(2024, 2, 5)
    for invoice in invoices:
        assert invoice.currency == "EUR" and invoice.supplier.name == "Stahlhandel Süd GmbH"
        assert not _warnings(invoice, "lines sum") and not _warnings(invoice, "amount_total is")


def test_a_negative_total_makes_a_credit_note_with_positive_amounts():
    data = _csv([GERMAN_HEADER, "G-8;;05.02.2024;Rückvergütung Bonus;-2;50,00;19;-100,00;-119,00"], "cp1252")
    (invoice,) = read_csv(data, load_format(GERMAN_FORMAT), Limits())
    assert invoice.document_type == "credit_note"
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (D("100.00"), D("19.00"), D("119.00"))
    line = invoice.lines[0]
    assert (line.quantity, line.unit_price, line.amount) == (D("2"), D("50.00"), D("100.00"))
    assert _warnings(invoice, "negative")


def test_a_total_that_disagrees_with_the_lines_is_reported():
    data = _csv([GERMAN_HEADER, "R-1;Rechnung;01.02.2024;Blech;2;10,00;19;20,00;30,00"], "cp1252")
    (invoice,) = read_csv(data, load_format(GERMAN_FORMAT), Limits())
    assert invoice.amount_total == D("30.00") and invoice.amount_untaxed == D("20.00")
    assert invoice.amount_tax == D("10.00")  # total - untaxed, as stated...
    assert _warnings(invoice, "tax rates give a tax of 3.80, but amount_tax is 10.00")  # ...but the rates disagree


def test_a_line_amount_that_disagrees_with_quantity_times_price_is_reported():
    data = _csv([GERMAN_HEADER, "R-1;Rechnung;01.02.2024;Blech;3;10,00;19;20,00;23,80"], "cp1252")
    (invoice,) = read_csv(data, load_format(GERMAN_FORMAT), Limits())
    assert _warnings(invoice, "line 1: quantity 3 x unit price 10.00 = 30.00, but the amount is 20.00")


def test_header_values_that_differ_between_rows_of_one_invoice_are_reported():
    data = _csv(
        [
            GERMAN_HEADER,
            "R-1;Rechnung;01.02.2024;Blech;1;10,00;19;10,00;23,80",
            "R-1;Rechnung;03.02.2024;Blech;1;10,00;19;10,00;23,80",
        ],
        "cp1252",
    )
    (invoice,) = read_csv(data, load_format(GERMAN_FORMAT), Limits())
    assert invoice.issue_date == dt.date(2024, 2, 1)
    assert _warnings(invoice, "row 3: column 'Datum' says 2024-02-03")


def test_utf16_with_bom_and_tabs_needs_neither_encoding_nor_delimiter():
    fmt = load_format(
        {
            "name": "Excel Unicode text",
            "kind": "csv",
            "columns": {"invoice_number": "Invoice No", "issue_date": "Date", "currency": "Currency"},
            "line_columns": {"description": "Item", "quantity": "Qty", "amount": "Amount"},
        }
    )
    text = (
        "Invoice No\tDate\tCurrency\tItem\tQty\tAmount\r\n"
        "F-2024-9\t2024-04-30\tEUR\tCrème brûlée moulds – 12 pcs\t3\t45.90\r\n"
    )
    for data in (b"\xff\xfe" + text.encode("utf-16-le"), b"\xfe\xff" + text.encode("utf-16-be")):
        (invoice,) = read_csv(data, fmt, Limits())
        assert invoice.invoice_number == "F-2024-9" and invoice.issue_date == dt.date(2024, 4, 30)
        assert invoice.currency == "EUR"
        assert invoice.lines[0].description == "Crème brûlée moulds – 12 pcs"
        assert (invoice.lines[0].quantity, invoice.lines[0].amount) == (D("3"), D("45.90"))
        assert invoice.amount_untaxed == D("45.90") and invoice.warnings == [
            "amount_untaxed not given: computed as the sum of the lines"
        ]


def test_a_bom_wins_over_the_stated_encoding():
    fmt = load_format({**GERMAN_FORMAT, "encoding": "cp1252"})
    data = b"\xef\xbb\xbf" + _csv([GERMAN_HEADER, "R-1;Rechnung;01.02.2024;Kühlmittel;1;10,00;19;10,00;11,90"])
    (invoice,) = read_csv(data, fmt, Limits())
    assert invoice.lines[0].description == "Kühlmittel"
    assert _warnings(invoice, "byte-order mark")


@pytest.mark.parametrize("encoding", ["cp1252", "cp850", "mac_roman"])
def test_an_unstated_single_byte_encoding_is_detected(encoding):
    fmt = load_format({k: v for k, v in GERMAN_FORMAT.items() if k != "encoding"})
    data = _csv(
        [
            GERMAN_HEADER,
            "R-5;Rechnung;01.02.2024;Schweißgerät für Außeneinsätze, grün;1;899,00;19;899,00;1.069,81",
            "R-5;Rechnung;01.02.2024;Größere Düsen (Ø 1,2), Stück;4;3,50;19;14,00;1.069,81",
        ],
        encoding,
    )
    (invoice,) = read_csv(data, fmt, Limits())
    assert [ln.description for ln in invoice.lines] == [
        "Schweißgerät für Außeneinsätze, grün",
        "Größere Düsen (Ø 1,2), Stück",
    ]
    assert _warnings(invoice, f"read as {encoding}")


def test_utf8_where_the_format_says_cp1252_is_read_as_utf8():
    data = _csv([GERMAN_HEADER, "R-1;Rechnung;01.02.2024;Blech geölt, 2 × 1 m;1;10,00;19;10,00;11,90"], "utf-8")
    (invoice,) = read_csv(data, load_format(GERMAN_FORMAT), Limits())
    assert invoice.lines[0].description == "Blech geölt, 2 × 1 m"
    assert _warnings(invoice, "the file is UTF-8, not cp1252")


def test_utf16_without_bom_is_recognised():
    fmt = load_format({k: v for k, v in GERMAN_FORMAT.items() if k != "encoding"})
    data = _csv([GERMAN_HEADER, "R-1;Rechnung;01.02.2024;Blech geölt;1;10,00;19;10,00;11,90"], "utf-16-le")
    (invoice,) = read_csv(data, fmt, Limits())
    assert invoice.lines[0].description == "Blech geölt" and invoice.amount_total == D("11.90")
    assert _warnings(invoice, "read as utf-16-le")


def test_a_stated_encoding_the_file_does_not_have_is_a_csv_error():
    fmt = load_format({**GERMAN_FORMAT, "encoding": "utf-8"})
    data = _csv([GERMAN_HEADER, "R-1;Rechnung;01.02.2024;Blech geölt;1;10,00;19;10,00;11,90"], "cp1252")
    assert read_csv(data, load_format(GERMAN_FORMAT), Limits())[0].lines[0].description == "Blech geölt"
    with pytest.raises(ExtractionError) as info:
        read_csv(data, fmt, Limits())
    assert info.value.code == "csv_error"
    assert "not valid utf-8" in info.value.message and "0xf6" in info.value.message


def test_formula_looking_cells_are_never_values():
    fmt = load_format(
        {
            "name": "f",
            "kind": "csv",
            "delimiter": ",",
            "columns": {"invoice_number": "No", "po_reference": "PO", "amount_total": "Total"},
            "line_columns": {"description": "Item", "quantity": "Qty", "amount": "Amount"},
        }
    )
    data = _csv(
        [
            "No,PO,Item,Qty,Amount,Total",
            '@SUM(A1:A9),"=HYPERLINK(""http://evil.example"",""PO"")",=cmd|\' /C calc\'!A0,=1+2,-12.50,=1+2',
            "@SUM(A1:A9),,+Widget,2,\t=2*3,",
            "@SUM(A1:A9),,-12 mm bolts,-1.5,+7.25,",
        ]
    )
    (invoice,) = read_csv(data, fmt, Limits())
    assert invoice.invoice_number == "'@SUM(A1:A9)"  # text with the spreadsheets' own text mark, never evaluated
    assert invoice.po_reference == '\'=HYPERLINK("http://evil.example","PO")'
    assert [ln.description for ln in invoice.lines] == ["'=cmd|' /C calc'!A0", "'+Widget", "'-12 mm bolts"]
    assert invoice.lines[0].quantity is None and invoice.lines[0].amount == D("-12.50")
    assert invoice.lines[1].quantity == D("2") and invoice.lines[1].amount is None
    assert (invoice.lines[2].quantity, invoice.lines[2].amount) == (D("-1.5"), D("7.25"))
    assert invoice.amount_total is None  # "=1+2" was not read as 3 (nor as 12)
    literal = _warnings(invoice, "stored as text, with a leading apostrophe")
    refused = _warnings(invoice, "looks like a spreadsheet formula, not a value")
    assert len(literal) == 5  # invoice number, PO and three descriptions
    assert sorted(w.split(":")[0] for w in refused) == [
        "row 2, column 'Qty'",
        "row 2, column 'Total'",
        "row 3, column 'Amount'",
    ]


def test_looks_like_formula():
    formulas = ("=A1", "+1+2", "@x", "\tfoo", "\rbar", "-x")
    values = ("-12,50", "+3", "A=1", "", "1.234,00", "-.5")
    assert [looks_like_formula(c) for c in formulas] == [True] * len(formulas)
    assert [looks_like_formula(c) for c in values] == [False] * len(values)


def test_a_missing_column_is_a_csv_error_naming_column_and_row():
    data = _csv(["Belegnr;Art;Datum;Bezeichnung;Menge;USt %;Netto;Summe brutto", "R-1;;;x;1;19;1,00;1,19"], "cp1252")
    with pytest.raises(ExtractionError) as info:
        read_csv(data, load_format(GERMAN_FORMAT), Limits())
    assert info.value.code == "csv_error"
    assert "column 'Preis' (line field unit_price) not found in the header (row 1)" in info.value.message


def test_a_column_index_beyond_the_file_is_a_csv_error():
    fmt = load_format(
        {"name": "i", "kind": "csv", "header_rows": 0, "columns": {"invoice_number": 0, "amount_total": 5}}
    )
    with pytest.raises(ExtractionError) as info:
        read_csv(b"A-1,12.00\n", fmt, Limits())
    assert info.value.code == "csv_error" and "column index 5 (field amount_total)" in info.value.message


def test_an_empty_invoice_number_on_the_first_row_is_a_csv_error():
    data = _csv([GERMAN_HEADER, ";Rechnung;01.02.2024;Blech;1;10,00;19;10,00;11,90"], "cp1252")
    with pytest.raises(ExtractionError) as info:
        read_csv(data, load_format(GERMAN_FORMAT), Limits())
    assert info.value.code == "csv_error" and info.value.message.startswith("row 2: column 'Belegnr'")


def test_rows_beyond_max_csv_rows_are_refused():
    rows = [GERMAN_HEADER] + [f"R-{i};Rechnung;01.02.2024;Teil {i};1;1,00;19;1,00;1,19" for i in range(5)]
    data = _csv(rows, "cp1252")
    fmt = load_format(GERMAN_FORMAT)
    assert len(read_csv(data, fmt, Limits(max_csv_rows=5))) == 5
    with pytest.raises(ExtractionError) as info:
        read_csv(data, fmt, Limits(max_csv_rows=4))
    assert info.value.code == "csv_error" and "more than 4 data rows" in info.value.message


def test_a_huge_file_is_refused_quickly_at_the_row_cap():
    data = b"No,Amount\n" + b"A-1,1.00\n" * 200_000
    fmt = load_format({"name": "h", "kind": "csv", "columns": {"invoice_number": "No", "amount_total": "Amount"}})
    with pytest.raises(ExtractionError) as info:
        read_csv(data, fmt, Limits(max_csv_rows=1000))
    assert info.value.code == "csv_error"


def test_a_giant_cell_is_a_csv_error_not_a_traceback():
    data = b"No;Item\nA-1;" + b"x" * 300_000 + b"\n"
    fmt = load_format(
        {"name": "g", "kind": "csv", "columns": {"invoice_number": "No"}, "line_columns": {"description": 1}}
    )
    with pytest.raises(ExtractionError) as info:
        read_csv(data, fmt, Limits())
    assert info.value.code == "csv_error" and "row" in info.value.message


def test_a_header_only_file_has_no_data_rows():
    with pytest.raises(ExtractionError) as info:
        read_csv(_csv([GERMAN_HEADER], "cp1252"), load_format(GERMAN_FORMAT), Limits())
    assert info.value.code == "csv_error" and "no data rows" in info.value.message


def test_skip_rows_header_rows_footer_rows_and_indexes():
    fmt = load_format(
        {
            "name": "banner",
            "kind": "csv",
            "skip_rows": 2,
            "header_rows": 2,
            "footer_rows": 1,
            "columns": {"invoice_number": "Facture", "issue_date": 1},
            "line_columns": {"description": "Désignation", "amount": 3},
            "fixed": {"currency": "EUR"},
        }
    )
    data = _csv(
        [
            "Export comptable;;;",
            "Généré le 02/05/2024;;;",
            "Facture;Date;Désignation;Montant HT",
            "Invoice;Date;Item;Amount",
            "FA-31;02/05/2024;Vis à bois 4×40;15,00",
            "FA-31;02/05/2024;Chevilles;4,20",
            "",
            "TOTAL;;;19,20",
        ]
    )
    (invoice,) = read_csv(data, fmt, Limits())
    assert invoice.invoice_number == "FA-31" and invoice.issue_date == dt.date(2024, 5, 2)
    assert [(ln.description, ln.amount) for ln in invoice.lines] == [
        ("Vis à bois 4×40", D("15.00")),
        ("Chevilles", D("4.20")),
    ]
    assert invoice.amount_untaxed == D("19.20") and invoice.currency == "EUR"


def test_ragged_rows_read_missing_cells_as_empty():
    fmt = load_format(
        {"name": "r", "kind": "csv", "columns": {"invoice_number": "No"}, "line_columns": {"description": "Item"}}
    )
    (invoice,) = read_csv(b"No,Item,Amount\nA-1,Nuts,3.00\nA-1\n", fmt, Limits())
    assert [ln.description for ln in invoice.lines] == ["Nuts"]
    assert _warnings(invoice, "row 3 has 1 cells, the header has 3")


def test_sniff_delimiter():
    assert sniff_delimiter('No,Item,Amount\nA-1,"Bolts, M8","1,50"\nA-2,Nuts,"2,00"\n') == ","
    assert sniff_delimiter("No;Item;Amount\nA-1;Bolts, M8;1,50\nA-2;Nuts;2,00\n") == ";"
    assert sniff_delimiter("No\tItem\tAmount\nA-1\tBolts; M8\t1,50\n") == "\t"
    assert sniff_delimiter("No|Item|Amount\nA-1|Bolts|1.50\n") == "|"


@pytest.mark.parametrize(
    ("header", "row", "expected"),
    [
        (
            "Invoice No.,Invoice Date,Due Date,SKU,Description,Qty,Unit price,VAT %,Line total",
            "INV-77,03/14/2024,04/13/2024,W-1,Widget,4,2.50,20,10.00",
            {"number": "INV-77", "date": dt.date(2024, 3, 14), "qty": D("4"), "amount": D("10.00")},
        ),
        (
            "Rechnungsnummer;Rechnungsdatum;Artikel-Nr.;Bezeichnung;Menge;Einzelpreis;Betrag",
            "2024-118;14.03.2024;A-9;Dübel 8 mm;100;0,12;12,00",
            {"number": "2024-118", "date": dt.date(2024, 3, 14), "qty": D("100"), "amount": D("12.00")},
        ),
        (
            "N° facture;Date facture;Référence;Désignation;Quantité;Prix unitaire HT;Montant HT",
            "FA-2024-031;14/03/2024;R-12;Vis inox;3;1,50;4,50",
            {"number": "FA-2024-031", "date": dt.date(2024, 3, 14), "qty": D("3"), "amount": D("4.50")},
        ),
        (
            "Factuurnummer;Factuurdatum;Artikelcode;Omschrijving;Aantal;Prijs;Bedrag",
            "NL-5521;14-03-2024;K-3;Kabelbinders 200 mm;50;0,08;4,00",
            {"number": "NL-5521", "date": dt.date(2024, 3, 14), "qty": D("50"), "amount": D("4.00")},
        ),
    ],
    ids=["english-us-dates", "german", "french", "dutch"],
)
def test_guess_csv_format_reads_common_headers(header, row, expected):
    data = _csv([header, row], "utf-8")
    fmt = guess_csv_format(data, Limits())
    assert fmt is not None and fmt.read_confidence < 1.0
    assert {"invoice_number", "issue_date"} <= set(fmt.columns)
    assert {"description", "quantity", "unit_price", "amount"} <= set(fmt.line_columns)
    (invoice,) = read_csv(data, fmt, Limits())
    assert invoice.invoice_number == expected["number"] and invoice.issue_date == expected["date"]
    assert (invoice.lines[0].quantity, invoice.lines[0].amount) == (expected["qty"], expected["amount"])
    assert invoice.confidence["invoice_number"] == fmt.read_confidence
    assert not _warnings(invoice, "quantity")  # quantity x price = amount: numbers read with the right marks


def test_guess_settles_a_total_column_by_the_data():
    per_line = _csv(["Invoice,Item,Qty,Price,Total", "A-1,Nuts,2,1.50,3.00", "A-1,Bolts,1,4.00,4.00"])
    fmt = guess_csv_format(per_line, Limits())
    assert fmt.line_columns["amount"] == "Total" and "amount_total" not in fmt.columns
    per_invoice = _csv(["Invoice,Date,Amount", "A-1,2024-03-01,1234.50", "A-2,2024-03-02,99.00"])
    fmt = guess_csv_format(per_invoice, Limits())
    assert fmt.columns["amount_total"] == "Amount" and not fmt.line_columns


def test_guess_finds_a_header_below_a_banner_row():
    data = _csv(["Rechnungsexport Firma X", "Rechnungsnr;Datum;Betrag", "R-1;01.03.2024;119,00"])
    fmt = guess_csv_format(data, Limits())
    assert fmt.skip_rows == 1
    (invoice,) = read_csv(data, fmt, Limits())
    assert invoice.invoice_number == "R-1" and invoice.amount_total == D("119.00")


def test_guess_returns_none_without_invoice_number_or_amount_column():
    assert guess_csv_format(_csv(["Name,Street,City", "Ann,Main St 1,Leeds"]), Limits()) is None
    assert guess_csv_format(_csv(["Item,Qty", "Nuts,2"]), Limits()) is None


def test_extract_bytes_reads_a_csv_with_and_without_a_format():
    data = (SAMPLES / "acme_invoices.csv").read_bytes()
    fmt = load_format(SAMPLES / "formats" / "acme_csv.json")
    result = extract_bytes(data, filename="acme.csv", formats=[fmt])
    assert [inv.invoice_number for inv in result.invoices] == ["RE-2024-0117", "RE-2024-0118"]
    guessed = extract_bytes(data, filename="acme.csv")
    assert [inv.amount_total for inv in guessed.invoices] == [D("385.44"), D("6001.17")]
    assert all("columns were guessed" in inv.warnings[-1] for inv in guessed.invoices)
    with pytest.raises(ExtractionError) as info:
        extract_bytes(b"Name,Street\nAnn,Main St\n", filename="people.csv")
    assert info.value.code == "no_format"


def test_the_time_cap_stops_a_long_csv():
    rows = [GERMAN_HEADER] + [f"R-{i};Rechnung;01.02.2024;Teil {i};1;1,00;19;1,00;1,19" for i in range(5000)]
    with pytest.raises(ExtractionError) as info:
        read_csv(_csv(rows, "cp1252"), load_format(GERMAN_FORMAT), Limits(max_seconds=0.001))
    assert info.value.code == "timeout"


def test_a_pdf_template_is_not_a_csv_format():
    template = load_format(SAMPLES / "formats" / "bolt_supplies_pdf.json")
    with pytest.raises(ExtractionError) as info:
        read_csv(b"a,b\n1,2\n", template, Limits())
    assert info.value.code == "invalid_format"


def test_nul_bytes_in_the_body_are_removed_with_a_warning():
    fmt = load_format(
        {
            "name": "n",
            "kind": "csv",
            "delimiter": ";",
            "columns": {"invoice_number": "No", "amount_total": "Total"},
            "line_columns": {"description": "Item", "amount": "Amount"},
        }
    )
    data = b"No;Item;Amount;Total\nR-1;Wid\x00get\x00;10.00;10.00\n"
    (invoice,) = read_csv(data, fmt, Limits())
    assert invoice.lines[0].description == "Widget"
    assert _warnings(invoice, "2 NUL character(s)")


def test_a_file_over_the_row_cap_is_refused_before_its_rows_are_read():
    fmt = load_format(
        {
            "name": "r",
            "kind": "csv",
            "delimiter": ";",
            "columns": {"invoice_number": "No"},
            "line_columns": {"description": "Item", "amount": "Amount"},
        }
    )
    rows = "R-1;=1+1 widget;1.00\n" * 200_000
    data = ("No;Item;Amount\n" + rows).encode()
    started = time.monotonic()
    with pytest.raises(ExtractionError) as info:
        read_csv(data, fmt, Limits(max_csv_rows=100_000))
    assert info.value.code == "csv_error" and "100000 data rows" in info.value.message
    # reading 100,000 rows into values takes 2 s on a quiet 2-core machine; splitting them, a tenth of that
    assert time.monotonic() - started < 1.5
