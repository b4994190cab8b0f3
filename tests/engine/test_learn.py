"""Layouts learned from one confirmed bill: ``invoice-import learn`` then ``extract --format`` on the next bill.

The bills are generated with reportlab: two bills of one supplier's layout
with other numbers, dates, amounts and item counts, so what is learned must
be the labels and shapes, never the values or the line positions.  Corpus
families check the same on real generators' PDFs when ``../shared`` is there.
"""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from invoice_import.engine import cli
from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.formats import load_format
from invoice_import.engine.learn import document_pages, learn_format
from invoice_import.engine.pdf_template import apply_pdf_template

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def bill_pdf(path, number, issued, due, order, items, german=True):
    """A bill of one layout: a header table (titles over values), items, totals with labels on their left."""

    def money(value):
        text = f"{value:,.2f}"
        return text.replace(",", "#").replace(".", ",").replace("#", ".") if german else text

    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(60, 800, "Holzbau Keller GmbH, Sägewerkstr. 3, 79100 Freiburg")
    canvas.drawString(60, 786, "USt-IdNr. DE 298 765 432")
    canvas.drawString(60, 750, "Invoice No.")
    canvas.drawString(200, 750, "Invoice date")
    canvas.drawString(320, 750, "Customer")
    canvas.drawString(60, 736, number)
    canvas.drawString(200, 736, issued)
    canvas.drawString(320, 736, "K-2231")
    canvas.drawString(60, 710, f"Your order: {order}")
    canvas.drawString(60, 680, "Item Qty Price Amount")
    y = 664
    for name, qty, price in items:
        canvas.drawString(60, y, f"{name} {qty} {money(price)} {money(qty * price)}")
        y -= 14
    untaxed = sum(qty * price for _name, qty, price in items)
    tax = round(untaxed * 0.19, 2)
    canvas.drawString(60, y - 10, f"Subtotal {money(untaxed)}")
    canvas.drawString(60, y - 24, f"VAT 19% {money(tax)}")
    canvas.drawString(60, y - 38, f"Amount due EUR {money(untaxed + tax)}")
    canvas.drawString(60, y - 66, f"Payable without deduction until {due}")
    canvas.showPage()
    canvas.save()
    return path


@pytest.fixture
def two_bills(tmp_path):
    first = bill_pdf(
        tmp_path / "keller-0117.pdf", "HK-2024-0117", "05.03.2024", "04.04.2024", "PO-4711", [("Beam", 2, 99.0)]
    )
    items = [("Beam", 12, 99.0), ("Plank", 40, 12.5), ("Screws", 3, 8.9), ("Delivery", 1, 45.0)]
    second = bill_pdf(tmp_path / "keller-0152.pdf", "HK-2024-0152", "18.04.2024", "18.05.2024", "PO-4790", items)
    values = {
        "invoice_number": "HK-2024-0117",
        "issue_date": "2024-03-05",
        "due_date": "2024-04-04",
        "currency": "EUR",
        "amount_total": "235.62",
        "po_reference": "PO-4711",
        "supplier": {"name": "Holzbau Keller GmbH", "vat": "DE298765432"},
    }
    values_file = tmp_path / "values.json"
    values_file.write_text(json.dumps(values))
    return first, second, values_file


def run_cli(capsys, *args):
    status = cli.main([str(arg) for arg in args])
    return status, json.loads(capsys.readouterr().out)


def test_learned_format_reads_the_suppliers_next_bill(two_bills, tmp_path, capsys):
    first, second, values = two_bills
    out = tmp_path / "keller.json"
    status, summary = run_cli(capsys, "learn", first, "--values", values, "--out", out)
    assert status == 0, summary
    assert set(summary["fields"]) == {"invoice_number", "issue_date", "due_date", "amount_total", "po_reference"}
    assert summary["fields"]["invoice_number"].startswith('under "Invoice No."')
    assert summary["not_found"] == []

    status, invoice = run_cli(capsys, "extract", second, "--format", out, "--ignore-embedded-xml", "--json")
    assert status == 0
    assert invoice["format"] == "Holzbau Keller GmbH"
    assert invoice["invoice_number"] == "HK-2024-0152"
    assert (invoice["issue_date"], invoice["due_date"]) == ("2024-04-18", "2024-05-18")
    assert invoice["amount_total"] == "2094.04"  # 2.094,04 on the page; 235,62 on the learned one
    assert invoice["po_reference"] == "PO-4790"
    assert (invoice["currency"], invoice["supplier"]["vat"]) == ("EUR", "DE298765432")
    for field in ("invoice_number", "issue_date", "due_date", "amount_total", "po_reference"):
        assert invoice["confidence"][field] == 0.95, field


def test_learned_format_is_a_readable_pdf_template(two_bills, tmp_path, capsys):
    first, _second, values = two_bills
    out = tmp_path / "keller.json"
    run_cli(capsys, "learn", first, "--values", values, "--out", out)
    data = json.loads(out.read_text())
    template = load_format(str(out))
    assert template.kind == "pdf" and template.template_free_fallback
    assert load_format(template.to_dict()) == template
    assert data["keywords"] == ["Holzbau Keller GmbH", "DE 298 765 432"]
    assert data["fixed"] == {"supplier_name": "Holzbau Keller GmbH", "supplier_vat": "DE298765432", "currency": "EUR"}
    assert (data["date_format"], data["decimal_separator"]) == ("%d.%m.%Y", ",")
    assert data["learned"]["documents"] == ["keller-0117.pdf"]
    # positional rules: the label's words and where the value lies, said in words too
    assert data["positions"]["invoice_number"]["where"] == "below"
    assert data["learned"]["positions"]["invoice_number"] == 'under "Invoice No."'
    # labels are kept, values are not: neither the number nor the total of the learned bill is in a rule
    rules = json.dumps(data["fields"])
    assert "0117" not in rules and "235" not in rules and "Invoice" in rules


def test_a_field_the_format_misses_falls_back_to_the_template_free_reader(two_bills, tmp_path, capsys):
    first, second, values = two_bills
    out = tmp_path / "keller.json"
    run_cli(capsys, "learn", first, "--values", values, "--out", out)
    data = json.loads(out.read_text())
    data["fields"]["amount_total"] = r"^Grand total (?P<value>\S+)$"  # a label the next bill does not print
    data["positions"]["amount_total"]["label"] = "Grand total"
    out.write_text(json.dumps(data))
    status, invoice = run_cli(capsys, "extract", second, "--format", out, "--ignore-embedded-xml", "--json")
    assert status == 0
    assert invoice["amount_total"] == "2094.04"
    assert invoice["confidence"]["amount_total"] < 0.95
    assert any("does not find" in w and "amount_total" in w for w in invoice["warnings"])


def test_fixed_supplier_values_need_the_suppliers_keywords(two_bills, tmp_path):
    first, _second, values = two_bills
    template, _report = learn_format(document_pages(first.read_bytes()), json.loads(values.read_text()))
    other = "Sawmill Brandt KG\nInvoice No. Invoice date\nSB-7 01.02.2024\nAmount due EUR 10,00\n"
    from invoice_import.engine.pdf_template import apply_pdf_template

    invoice = apply_pdf_template(template, [other])
    assert invoice.invoice_number == "SB-7"
    assert invoice.supplier.vat is None or invoice.supplier.vat != "DE298765432"


def test_learning_again_keeps_rules_that_still_read_right(two_bills):
    first, second, values = two_bills
    confirmed = json.loads(values.read_text())
    template, _ = learn_format(document_pages(first.read_bytes()), confirmed, document="keller-0117.pdf")
    confirmed.update(
        invoice_number="HK-2024-0152", issue_date="2024-04-18", due_date="2024-05-18", amount_total="2094.04"
    )
    confirmed["po_reference"] = "PO-4790"
    again, report = learn_format(
        document_pages(second.read_bytes()), confirmed, document="keller-0152.pdf", previous=template
    )
    assert set(report["kept"]) == {"invoice_number", "issue_date", "due_date", "amount_total", "po_reference"}
    assert again.fields == template.fields
    assert again.learned["documents"] == ["keller-0117.pdf", "keller-0152.pdf"]


def test_a_date_printed_twice_is_learned_from_its_own_label(tmp_path):
    page = "Invoice no. A-1\nInvoice date 05/03/2024\nDelivered 05/03/2024\nDue date 05/03/2024\nTotal 10.00\n"
    values = {"invoice_number": "A-1", "issue_date": "2024-03-05", "due_date": "2024-03-05", "amount_total": "10"}
    _template, report = learn_format([page], values)
    assert report["explain"]["issue_date"] in ('right of "date"', 'right of "Invoice date"')
    assert report["explain"]["due_date"] == 'right of "Due date"'


@pytest.mark.parametrize(
    "values, code",
    [
        ("{not json", "invalid_values"),
        (json.dumps({"invoice_no": "X"}), "invalid_values"),
        (json.dumps({"amount_total": [12]}), "invalid_values"),
        (json.dumps({"issue_date": "05.03.2024"}), "invalid_values"),
        (json.dumps({"supplier": "Holzbau"}), "invalid_values"),
        (json.dumps({"invoice_number": "ZZ-404", "amount_total": "999.99"}), "values_not_found"),
    ],
)
def test_bad_values_are_a_json_error_with_status_2(two_bills, tmp_path, capsys, values, code):
    first, _second, _values = two_bills
    values_file = tmp_path / "bad.json"
    values_file.write_text(values)
    out = tmp_path / "out.json"
    status, payload = run_cli(capsys, "learn", first, "--values", values_file, "--out", out)
    assert status == 2
    assert payload["error"]["code"] == code
    assert not out.exists()


def test_missing_and_unreadable_files_are_json_errors(two_bills, tmp_path, capsys):
    _first, _second, values = two_bills
    status, payload = run_cli(capsys, "learn", tmp_path / "nope.pdf", "--values", values, "--out", tmp_path / "o")
    assert (status, payload["error"]["code"]) == (2, "file_unreadable")
    csv = tmp_path / "bill.csv"
    csv.write_text("Invoice No;Total\nA-1;10,00\n")
    status, payload = run_cli(capsys, "learn", csv, "--values", values, "--out", tmp_path / "o")
    assert (status, payload["error"]["code"]) == (2, "unsupported_file")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    status, payload = run_cli(capsys, "learn", broken, "--values", values, "--out", tmp_path / "o")
    assert status == 2 and "error" in payload


def test_check_values_names_the_bad_key():
    with pytest.raises(ExtractionError, match="'amount_total' must be an amount"):
        learn_format(["x"], {"amount_total": "twelve"})


def _family(corpus, prefix):
    files = sorted((CORPUS / corpus).glob(f"{prefix}__*.pdf"))
    return [(pdf, json.loads(pdf.with_suffix(".expected.json").read_text())) for pdf in files]


@pytest.mark.skipif(not (CORPUS / "invoices").is_dir(), reason="the shared corpus is not at ../shared")
def test_corpus_family_learned_from_its_first_file(tmp_path, capsys):
    family = _family("invoices", "fnfe-lefournisseur")
    (first, expected), others = family[0], family[1:4]
    values = {key: expected[key] for key in ("invoice_number", "issue_date", "due_date", "currency", "amount_total")}
    values["po_reference"] = expected["po_reference"]
    values["supplier"] = {"name": expected["seller_name"], "vat": expected["seller_vat"]}
    (tmp_path / "v.json").write_text(json.dumps(values))
    status, _summary = run_cli(capsys, "learn", first, "--values", tmp_path / "v.json", "--out", tmp_path / "f.json")
    assert status == 0
    for pdf, truth in others:
        status, invoice = run_cli(
            capsys, "extract", pdf, "--format", tmp_path / "f.json", "--ignore-embedded-xml", "--json"
        )
        assert status == 0
        for field in ("invoice_number", "issue_date", "due_date", "amount_total", "po_reference"):
            assert invoice[field] == truth[field], (pdf.name, field)


def test_learned_constants_yield_to_what_the_page_states():
    """A confirmed name the page does not print is not applied; nor a VAT number when the seller states another."""
    from invoice_import.engine.pdf_template import apply_pdf_template

    page = "Holzbau Keller GmbH\nUSt-IdNr. DE136695976\nRechnung Nr. RE-7\nDatum: 05.03.2024\nGesamt EUR 1.234,50\n"
    values = {"invoice_number": "RE-7", "amount_total": "1234.50", "supplier": {"name": "Keller Holz AG", "vat": None}}
    values["supplier"]["vat"] = "DE136695976"
    template, _report = learn_format([page], values)
    moved = (
        "Holzbau Keller GmbH\nUSt-IdNr. FR11999999998\nRechnung Nr. RE-8\nDatum: 05.04.2024\nGesamt EUR 1.000,00\n"
        "Bisher: DE136695976\n"
    )
    invoice = apply_pdf_template(template, [moved])
    assert invoice.invoice_number == "RE-8"
    assert invoice.supplier.vat == "FR11999999998"
    assert invoice.supplier.name != "Keller Holz AG"  # the confirmed name is printed on neither page
    assert any("FR11999999998" in warning for warning in invoice.warnings)
    same = apply_pdf_template(template, [page.replace("RE-7", "RE-9")])
    assert same.supplier.vat == "DE136695976"


def test_a_negative_total_read_by_the_rules_keeps_the_other_amounts_signs():
    """The rules read -100,00 as printed; the untaxed amount comes from the template-free reader: one credit note."""
    from invoice_import.engine.pdf_template import apply_pdf_template

    page = "ACME SARL\nFacture N° F-1\nTotal HT 100,00\nTVA 0,00\nTotal TTC 100,00\n"
    template, _report = learn_format([page], {"invoice_number": "F-1", "amount_total": "100.00"})
    invoice = apply_pdf_template(template, ["ACME SARL\nFacture N° F-2\nTotal HT -80,00\nTVA 0,00\nTotal TTC -80,00\n"])
    assert invoice.document_type == "credit_note"
    assert (invoice.amount_untaxed, invoice.amount_total) == (Decimal("80.00"), Decimal("80.00"))


def _words_layout(rows):
    """A one-page layout from ``(top, [(x0, text), ...])`` rows, each word 6 points wide a character."""
    from invoice_import.engine.layout import Layout, Word

    words = []
    for top, cells in rows:
        for x0, text in cells:
            x = x0
            for token in text.split():
                words.append(Word(token, x, top, x + 6 * len(token), top + 10))
                x += 6 * len(token) + 4
    return Layout([words])


def _numbered_bill(number, line):
    """A bill with its number after ``Invoice No.:``, one line of text under it and the amount due."""
    return _words_layout(
        [
            (10, [(60, "Holzbau Keller GmbH")]),
            (50, [(60, "Invoice No.:"), (200, number)]),
            (64, [(60, line)]),
            (120, [(60, "Amount due EUR"), (200, "235,62")]),
        ]
    )


def test_positional_rules_read_the_cell_under_a_title_when_another_column_pushes_a_line_between():
    """Geometry, not text lines: the value under "Invoice No." stays under it when the address beside grows."""
    from invoice_import.engine.pdf_template import TEMPLATE_CONFIDENCE, apply_pdf_template

    header = (50, [(60, "Invoice No."), (200, "Invoice date"), (320, "Customer")])
    first = _words_layout(
        [
            (10, [(60, "Holzbau Keller GmbH")]),
            header,
            (64, [(60, "HK-2024-0117"), (200, "05.03.2024"), (320, "K-2231")]),
        ]
        + [(120, [(60, "Amount due EUR"), (200, "235,62")])]
    )
    values = {"invoice_number": "HK-2024-0117", "issue_date": "2024-03-05", "amount_total": "235.62"}
    template, report = learn_format(first.page_texts(), values, layout=first)
    assert template.position_rules("invoice_number") == [
        {"label": "Invoice No.", "where": "below", "kind": "id", "shape": r"[A-Z]+-\d+-\d+"}
    ]
    assert template.position_rules("amount_total")[0]["where"] == "right"
    second = _words_layout(
        [(10, [(60, "Holzbau Keller GmbH")]), header, (64, [(320, "Dept. 7")])]
        + [(78, [(60, "HK-2024-0152"), (200, "18.04.2024"), (320, "K-2231")])]
        + [(140, [(60, "Amount due EUR"), (200, "2.094,04")])]
    )
    invoice = apply_pdf_template(template, second.page_texts(), layout=second)
    assert (invoice.invoice_number, invoice.issue_date.isoformat()) == ("HK-2024-0152", "2024-04-18")
    assert invoice.amount_total == Decimal("2094.04")
    for field in ("invoice_number", "issue_date", "amount_total"):
        assert invoice.confidence[field] == TEMPLATE_CONFIDENCE, field
    # the flat text's rule ("the line below") does not reach it: the page text alone reads it otherwise
    text_only = apply_pdf_template(template, second.page_texts())
    assert text_only.confidence.get("invoice_number") != TEMPLATE_CONFIDENCE


def test_positional_rules_are_checked_when_a_format_is_loaded():
    bad = {"name": "x", "kind": "pdf", "keywords": ["x"], "positions": {"amount_total": {"label": "Total"}}}
    with pytest.raises(ExtractionError, match="positions.amount_total.where"):
        load_format(bad)
    bad["positions"] = {"amount_total": {"label": "Total", "where": "below", "kind": "amount", "skip": -1}}
    with pytest.raises(ExtractionError, match="skip"):
        load_format(bad)


def test_the_suppliers_vat_number_and_name_get_positional_rules(two_bills, tmp_path, capsys):
    """Where the confirmed VAT number is printed (in groups, right of its label) is learned and read again."""
    first, second, values = two_bills
    out = tmp_path / "keller.json"
    run_cli(capsys, "learn", first, "--values", values, "--out", out)
    data = json.loads(out.read_text())
    rule = data["positions"]["supplier_vat"]
    assert (rule["label"], rule["where"], rule["kind"]) == ("USt-IdNr.", "right", "id")
    assert "298" not in rule["shape"]  # the shape of the number, not the number
    assert data["learned"]["positions"]["supplier_vat"] == 'right of "USt-IdNr."'
    status, invoice = run_cli(capsys, "extract", second, "--format", out, "--ignore-embedded-xml", "--json")
    assert status == 0
    assert invoice["supplier"]["vat"] == "DE298765432"
    assert invoice["confidence"]["supplier.vat"] == 1.0
    assert not any("may be another supplier" in warning for warning in invoice["warnings"])


def test_a_name_under_its_title_is_learned_and_read_as_text():
    from invoice_import.engine.pdf_template import apply_pdf_template

    def bill(number, total):
        return _words_layout(
            [
                (10, [(60, "Supplier"), (300, "Invoice No.")]),
                (24, [(60, "Nordlicht Papier AG"), (300, number)]),
                (38, [(60, "VAT: CHE-123.456.789")]),
                (120, [(60, "Total CHF"), (200, total)]),
            ]
        )

    first = bill("NP-100", "80.00")
    values = {
        "invoice_number": "NP-100",
        "amount_total": "80.00",
        "supplier": {"name": "Nordlicht Papier AG", "vat": "CHE-123.456.789"},
    }
    template, _report = learn_format(first.page_texts(), values, layout=first)
    assert template.position_rules("supplier_name") == [{"label": "Supplier", "where": "below", "kind": "text"}]
    assert template.position_rules("supplier_vat")[0]["label"] == "VAT:"
    second = bill("NP-131", "120.50")
    invoice = apply_pdf_template(template, second.page_texts(), layout=second)
    assert (invoice.supplier.name, invoice.supplier.vat) == ("Nordlicht Papier AG", "CHE-123.456.789")
    assert invoice.confidence["supplier.name"] == 1.0


def test_a_learned_format_on_a_page_without_its_vat_number_warns_and_doubts_its_values():
    """A look-alike layout of another supplier: the rules read numbers, the missing VAT number says it may not fit."""
    from invoice_import.engine.pdf_template import NOT_FITTING_CONFIDENCE, apply_pdf_template

    page = "Holzbau Keller GmbH\nUSt-IdNr. DE136695976\nRechnung Nr. RE-7\nDatum: 05.03.2024\nGesamt EUR 1.234,50\n"
    values = {"invoice_number": "RE-7", "amount_total": "1234.50", "supplier": {"name": None, "vat": "DE136695976"}}
    template, _report = learn_format([page], values)
    other = "Sägewerk Brandt KG\nRechnung Nr. RE-8\nDatum: 05.04.2024\nGesamt EUR 99,00\n"
    invoice = apply_pdf_template(template, [other])
    assert invoice.invoice_number == "RE-8"
    assert invoice.confidence["invoice_number"] == NOT_FITTING_CONFIDENCE
    assert any("DE136695976" in warning and "another supplier" in warning for warning in invoice.warnings)
    same = apply_pdf_template(template, [page.replace("RE-7", "RE-9")])
    assert same.confidence["invoice_number"] > NOT_FITTING_CONFIDENCE
    assert not any("another supplier" in warning for warning in same.warnings)


def test_an_identifier_printed_in_groups_is_read_as_one_value():
    from invoice_import.engine.positions import read_position

    layout = _words_layout([(10, [(60, "N° TVA : FR 32 123 456 789")]), (24, [(60, "Client : FR 11 999 999 998")])])
    rule = {"label": "N° TVA :", "where": "right", "kind": "id", "shape": r"[A-Z]+\s?\d+\s?\d+\s?\d+\s?\d+"}
    assert read_position(layout, rule) == "FR 32 123 456 789"


def test_a_supplier_rule_reading_another_number_proves_nothing():
    """The learned VAT number read where it was learned is certain; another number under that label is not taken."""
    from invoice_import.engine.pdf_template import _take_page_supplier
    from invoice_import.engine.pivot import Invoice

    template = load_format(
        {
            "name": "Keller",
            "kind": "pdf",
            "keywords": ["Keller"],
            "fixed": {"supplier_vat": "DE136695976", "supplier_name": "Holzbau Keller GmbH"},
            "positions": {"supplier_vat": {"label": "VAT:", "where": "right", "kind": "id"}},
        }
    )
    same = Invoice()
    _take_page_supplier(same, template, {"supplier_vat": "de 136 695 976", "supplier_name": "HOLZBAU KELLER GMBH"})
    assert (same.supplier.vat, same.supplier.name) == ("DE136695976", "Holzbau Keller GmbH")
    assert same.confidence["supplier.vat"] == same.confidence["supplier.name"] == 1.0
    other = Invoice()
    _take_page_supplier(other, template, {"supplier_vat": "FR11999999998", "supplier_name": "Client SARL"})
    assert (other.supplier.vat, other.supplier.name) == (None, None)
    assert "supplier.vat" not in other.confidence


def test_a_date_whose_day_could_be_its_month_does_not_decide_the_order():
    """02/01/2026 confirmed as 1 February and 03/03/2026: month first, and the next bill reads so."""
    page = "Invoice 000337\nIssued 02/01/2026\nPay by 03/03/2026\nTotal 10.00\n"
    values = {"invoice_number": "000337", "issue_date": "2026-02-01", "due_date": "2026-03-03", "amount_total": "10"}
    template, report = learn_format([page], values)
    assert template.date_format == "%m/%d/%Y"
    assert report["not_found"] == []
    nxt = "Invoice 000366\nIssued 10/11/2026\nPay by 11/10/2026\nTotal 12.00\n"
    invoice = apply_pdf_template(template, [nxt])
    assert (invoice.issue_date.isoformat(), invoice.due_date.isoformat()) == ("2026-10-11", "2026-11-10")


ACME_FIRST = "ACME Tools Ltd\nInvoice no. A-1\nInvoice date 05/03/2024\nSubtotal 100.00\nVAT 20% 20.00\nTotal 120.00\n"
ACME_VALUES = {
    "invoice_number": "A-1",
    "issue_date": "2024-03-05",
    "amount_total": "120",
    "amount_untaxed": "100",
    "amount_tax": "20",
}


def test_a_rate_is_never_learned_as_an_amount():
    """A tax of 20.00 at 20 %: the rule learns the amount after the rate, and reads 36.00 on a bill of 180.00."""
    template, _report = learn_format([ACME_FIRST], ACME_VALUES)
    nxt = "ACME Tools Ltd\nInvoice no. A-2\nInvoice date 06/04/2024\nSubtotal 180.00\nVAT 20% 36.00\nTotal 216.00\n"
    invoice = apply_pdf_template(template, [nxt])
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("180.00"),
        Decimal("36.00"),
        Decimal("216.00"),
    )


def test_learned_amounts_that_do_not_add_up_yield_to_printed_ones_that_do():
    """A bill with two VAT rates: the learned "VAT" rule reads the first rate's tax; the total VAT makes it add up."""
    template, _report = learn_format([ACME_FIRST], ACME_VALUES)
    nxt = (
        "ACME Tools Ltd\nInvoice no. A-2\nInvoice date 06/04/2024\nSubtotal 300.00\nVAT 7% 7.00 on 100.00\n"
        "VAT 20% 40.00 on 200.00\nTotal VAT 47.00\nTotal 347.00\n"
    )
    invoice = apply_pdf_template(template, [nxt])
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("300.00"),
        Decimal("47.00"),
        Decimal("347.00"),
    )
    assert any("read amount_tax 7.00" in warning and "add up" in warning for warning in invoice.warnings)


def test_learned_amounts_are_not_corrected_by_an_amount_the_page_does_not_print():
    """Untaxed + tax must add up with a printed amount: a difference the other reader computed corrects nothing."""
    template, _report = learn_format([ACME_FIRST], ACME_VALUES)
    nxt = (
        "ACME Tools Ltd\nInvoice no. A-2\nInvoice date 06/04/2024\nSubtotal 200.00\nDiscount 10% -20.00\n"
        "Net after discount 180.00\nVAT 20% 36.00\nTotal 216.00\n"
    )
    invoice = apply_pdf_template(template, [nxt])
    assert invoice.amount_tax == Decimal("36.00")  # not 216.00 - 200.00


def test_a_tax_read_on_one_of_two_rates_rows_becomes_the_whole_tax():
    """Learned on a bill with one VAT rate under a row of titles; the next bill prints two tax columns."""
    first = "ACME Tools Ltd\nInvoice no. A-1\nNet   VAT 21 %   Total EUR\n100,00   21,00   121,00\n"
    values = {"invoice_number": "A-1", "amount_total": "121", "amount_untaxed": "100", "amount_tax": "21"}
    template, _report = learn_format([first], values)
    nxt = "ACME Tools Ltd\nInvoice no. A-2\nNet   VAT 21 %   VAT 9 %   Total EUR\n300,00   42,00   9,00   351,00\n"
    invoice = apply_pdf_template(template, [nxt])
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("300.00"),
        Decimal("51.00"),
        Decimal("351.00"),
    )
    assert any("another of 9.00" in warning for warning in invoice.warnings)


def test_a_known_label_is_preferred_to_one_with_other_words_around_it():
    """The VAT number printed twice: ``BTW-nr.`` is learned, not the unique ``Lyon · BTW-nr.`` of the footer."""
    from invoice_import.engine.layout import Layout, Word
    from invoice_import.engine.positions import learn_positions

    def line(y, *texts):
        words, x = [], 10
        for text in texts:
            words.append(Word(text, x, y, x + 6 * len(text), y + 10))
            x += 6 * len(text) + 4
        return words

    top = line(10, "BTW-nr.", "NL123456782B01")
    footer = line(300, "Brouwer", "B.V.", "·", "Lyon", "·", "BTW-nr.", "NL123456782B01")
    rules = learn_positions(Layout([top + footer]), {"supplier_vat": "NL123456782B01"})
    assert rules["supplier_vat"]["label"] == "BTW-nr."


def test_a_month_name_printed_before_a_date_is_not_its_label():
    """``2 augustus 2026  4 augustus 2026`` in a row under titles: the issue date is learned from its title."""
    page = (
        "ACME B.V.\nDocumentnr.   Leverdatum   Datum\nBL/2026/0143   2 augustus 2026   4 augustus 2026\nTotaal 10,00\n"
    )
    template, report = learn_format([page], {"invoice_number": "BL/2026/0143", "issue_date": "2026-08-04"})
    assert "augustus" not in report["explain"]["issue_date"]
    nxt = "ACME B.V.\nDocumentnr.   Leverdatum   Datum\nBL/2026/0150   30 augustus 2026   2 september 2026\n"
    assert apply_pdf_template(template, [nxt]).issue_date.isoformat() == "2026-09-02"


def test_a_currency_between_label_and_amount_stays_out_of_the_label():
    """``Gesamtbetrag EUR 338.505,06``: the label is ``Gesamtbetrag``; the currency may be misread or dropped."""
    from invoice_import.engine.layout import Layout, Word
    from invoice_import.engine.positions import learn_positions, read_position

    def line(y, *texts):
        words, x = [], 10
        for text in texts:
            words.append(Word(text, x, y, x + 6 * len(text), y + 10))
            x += 6 * len(text) + 4
        return words

    learning = Layout([line(10, "Nettobetrag", "284.458,03") + line(30, "Gesamtbetrag", "EUR", "338.505,06")])
    rules = learn_positions(learning, {"amount_total": Decimal("338505.06")}, decimal=",")
    assert rules["amount_total"]["label"] == "Gesamtbetrag"
    nxt = Layout([line(10, "Nettobetrag", "1.000,00") + line(30, "Gesamtbetrag", "EUB", "1.190,00")])
    assert read_position(nxt, rules["amount_total"], decimal=",") == Decimal("1190.00")


def test_a_lone_learned_total_yields_to_three_printed_amounts_that_add_up():
    """Learned where "Amount due" was the total; the next bill deducts a prepayment from the amount due."""
    first = "ACME Tools Ltd\nInvoice no. A-1\nInvoice date 05/03/2024\nAmount due 120.00\n"
    template, _report = learn_format([first], {"invoice_number": "A-1", "amount_total": "120"})
    nxt = (
        "ACME Tools Ltd\nInvoice no. A-2\nInvoice date 06/04/2024\nSubtotal 250.00\nVAT 20% 50.00\n"
        "Total 300.00\nPrepaid -100.00\nAmount due 200.00\n"
    )
    invoice = apply_pdf_template(template, [nxt])
    assert invoice.amount_total == Decimal("300.00")
    assert any("read amount_total 200.00" in warning for warning in invoice.warnings)


def test_a_lone_learned_total_stays_when_the_other_amounts_do_not_all_print():
    """Only the total and the net are printed: nothing referees the learned total, it stays."""
    first = "ACME Tools Ltd\nInvoice no. A-1\nInvoice date 05/03/2024\nAmount due 120.00\n"
    template, _report = learn_format([first], {"invoice_number": "A-1", "amount_total": "120"})
    nxt = "ACME Tools Ltd\nInvoice no. A-2\nInvoice date 06/04/2024\nNet 250.00\nTotal 300.00\nAmount due 200.00\n"
    invoice = apply_pdf_template(template, [nxt])
    assert invoice.amount_total == Decimal("200.00")


def test_a_label_that_gives_its_value_once_beats_one_inside_a_sentence():
    """``Order:`` over a cell with the number, and the same number in a remark's sentence ("as per Order No. ...").

    The label word "Order" is printed twice but gives a value once (nothing
    follows it in the sentence's next cell): the labelled cell is learned,
    not the sentence, which on the next bill quotes another order.
    """
    from invoice_import.engine.positions import learn_positions, read_position

    def bill(order, quoted):
        return _words_layout(
            [
                (10, [(60, "Holzbau Keller GmbH")]),
                (40, [(60, "Order:"), (240, order)]),
                (200, [(60, "Remark"), (160, f"Delivered as per Order No. {quoted} of 01.03.2024.")]),
            ]
        )

    rules = learn_positions(bill("4711-17", "4711-17"), {"po_reference": "4711-17"})
    assert rules["po_reference"]["label"] == "Order:"
    assert read_position(bill("4711-52", "4711-48"), rules["po_reference"]) == "4711-52"


def test_a_date_quoted_in_the_payment_terms_sentence_is_not_learned():
    """The due date in "Payable within 30 days net by ..., 2% discount ..." and under a "Due date" title.

    The sentence goes on after the date: the payment terms' boilerplate,
    which the next bill may print unchanged; the cell under the title is
    the bill's own due date.
    """
    from invoice_import.engine.positions import learn_positions, read_position

    def bill(due, quoted):
        return _words_layout(
            [
                (10, [(60, "Holzbau Keller GmbH")]),
                (40, [(60, f"Payable within 30 days net by {quoted}, 2% discount within 10 days.")]),
                (80, [(60, "Terms"), (300, "Due date")]),
                (94, [(300, due)]),
            ]
        )

    rules = learn_positions(bill("04.04.2024", "04.04.2024"), {"due_date": dt.date(2024, 4, 4)})
    assert rules["due_date"]["label"] == "Due date"
    assert read_position(bill("13.12.2024", "04.04.2024"), rules["due_date"]) == dt.date(2024, 12, 13)


def test_a_date_printed_only_in_a_sentence_gets_no_positional_rule_and_its_text_rule_is_doubted():
    """The due date only in "Payable within 30 days net by ..., 2% discount ...": no label of its own.

    A positional rule would read whatever date the sentence names on the
    next bill, unchecked; the text rule is kept, marked as read in a
    sentence, and weighed against the template-free reading.
    """
    from invoice_import.engine.positions import learn_positions

    def bill(number, due):
        return _numbered_bill(number, f"Payable within 30 days net by {due}, 2% discount within 10 days.")

    first = bill("HK-2024-0117", "04.04.2024")
    assert "due_date" not in learn_positions(first, {"due_date": dt.date(2024, 4, 4)})
    values = {"invoice_number": "HK-2024-0117", "due_date": "2024-04-04", "amount_total": "235.62"}
    template, _report = learn_format(first.page_texts(), values, layout=first)
    assert template.learned["in_sentence"] == ["due_date"]
    assert not template.position_rules("due_date")


def test_a_purchase_order_written_another_way_is_read_under_its_learned_label():
    """The buyer numbers its orders its own way: learned on ``PO-4711``, the next bill's order is ``4500012345``.

    The learned shape reads nothing there; the supplier's label still says
    where the reference is.  A date in its place is no reference.
    """
    from invoice_import.engine.pdf_template import ANY_SHAPE_CONFIDENCE, apply_pdf_template

    def bill(number, order):
        return _words_layout(
            [
                (10, [(60, "Holzbau Keller GmbH")]),
                (50, [(60, "Invoice No."), (200, "Your order"), (320, "Date")]),
                (64, [(60, number), (200, order), (320, "05.03.2024")]),
                (120, [(60, "Amount due EUR"), (200, "235,62")]),
            ]
        )

    first = bill("HK-2024-0117", "PO-4711")
    values = {"invoice_number": "HK-2024-0117", "po_reference": "PO-4711", "amount_total": "235.62"}
    template, _report = learn_format(first.page_texts(), values, layout=first)
    assert template.position_rules("po_reference")[0]["label"] == "Your order"
    second = bill("HK-2024-0152", "4500012345")
    invoice = apply_pdf_template(template, second.page_texts(), layout=second)
    assert invoice.po_reference == "4500012345"
    assert invoice.confidence["po_reference"] == ANY_SHAPE_CONFIDENCE
    third = bill("HK-2024-0153", "18.04.2024")
    assert apply_pdf_template(template, third.page_texts(), layout=third).po_reference != "18.04.2024"


def test_a_label_that_gives_several_values_on_the_next_bill_lets_the_template_free_reader_choose():
    """Learned where "vom" followed the invoice number only; the next bill prints a version line "... vom" above.

    The positional rule's label gives two dates there: the rule narrows the
    issue date to those, the template-free reader (which knows a version
    line from an invoice's title) picks among them.
    """
    from invoice_import.engine.pdf_template import apply_pdf_template

    def bill(header, number, issued):
        return _words_layout(
            header
            + [
                (40, [(60, "Holzbau Keller GmbH")]),
                (80, [(60, f"Rechnung Nr. {number} vom {issued}")]),
                (140, [(60, "Gesamtbetrag EUR"), (240, "235,62")]),
            ]
        )

    first = bill([], "471102", "05.03.2024")
    values = {"invoice_number": "471102", "issue_date": "2024-03-05", "amount_total": "235.62"}
    template, _report = learn_format(first.page_texts(), values, layout=first)
    assert template.position_rules("issue_date")[0]["label"] == "vom"
    second = bill([(10, [(60, "Formular-Version 2.1 vom 24.03.2020")])], "471230", "18.04.2024")
    invoice = apply_pdf_template(template, second.page_texts(), layout=second)
    assert invoice.issue_date.isoformat() == "2024-04-18"
    assert any("gives 2 values" in warning for warning in invoice.warnings)


def test_a_learned_regex_that_matches_several_values_lets_the_template_free_reader_choose():
    """The same on the page text alone: the regex "vom <date>" matches a version line above the invoice's title."""
    first = "Holzbau Keller GmbH\nRechnung Nr. 471102 vom 05.03.2024\nGesamtbetrag EUR 235,62\n"
    values = {"invoice_number": "471102", "issue_date": "2024-03-05", "amount_total": "235.62"}
    template, report = learn_format([first], values)
    assert report["explain"]["issue_date"] == 'right of "vom"'
    nxt = "Formular-Version 2.1 vom 24.03.2020\n" + first.replace("471102", "471230").replace("05.03.", "18.04.")
    assert apply_pdf_template(template, [nxt]).issue_date.isoformat() == "2024-04-18"
    # a hand-written template's regex means its first match
    template.learned = None
    assert apply_pdf_template(template, [nxt]).issue_date.isoformat() == "2020-03-24"


def _sentence_bill(number, issued, quoted, due_line=""):
    return (
        f"Holzbau Keller GmbH\nInvoice no. {number}\nInvoice date {issued}\n{due_line}"
        f"We will debit the amount on {quoted} from your account.\nTotal EUR 235,62\n"
    )


def test_a_value_under_its_label_is_learned_before_the_same_value_quoted_in_a_sentence():
    page = _sentence_bill("HK-117", "05.03.2024", "04.04.2024", due_line="Due 04.04.2024\n")
    template, report = learn_format([page], {"invoice_number": "HK-117", "due_date": "2024-04-04"})
    assert report["explain"]["due_date"] == 'right of "Due"'
    assert "in_sentence" not in template.learned


def test_a_rule_learned_from_a_sentence_yields_to_the_template_free_reader_where_they_differ():
    """Only a sentence printed the due date on the learning bill; the next bill's sentence names the next debit.

    The rule is marked as read from a sentence; on the next bill the
    template-free reader reads the due date under its own label, and that
    reading wins, with a warning; where it reads none, the sentence's date
    stays, less sure.  A hand-written regex is not second-guessed.
    """
    from invoice_import.engine.pdf_template import SENTENCE_CONFIDENCE

    first = _sentence_bill("HK-117", "05.03.2024", "04.04.2024")
    values = {"invoice_number": "HK-117", "issue_date": "2024-03-05", "due_date": "2024-04-04"}
    template, report = learn_format([first], values)
    assert report["explain"]["due_date"] == 'right of "amount on"'
    assert template.learned["in_sentence"] == ["due_date"]
    assert load_format(template.to_dict()).learned["in_sentence"] == ["due_date"]
    nxt = _sentence_bill("HK-152", "18.04.2024", "04.06.2024", due_line="Due date: 18.05.2024\n")
    invoice = apply_pdf_template(template, [nxt])
    assert invoice.due_date == dt.date(2024, 5, 18)
    assert any("learned from a sentence" in warning for warning in invoice.warnings)
    # where the template-free reader finds no other date, the sentence's stays
    alone = apply_pdf_template(template, [_sentence_bill("HK-153", "18.05.2024", "17.06.2024")])
    assert alone.due_date == dt.date(2024, 6, 17)
    assert alone.confidence["due_date"] == SENTENCE_CONFIDENCE
    template.learned = None
    assert apply_pdf_template(template, [nxt]).due_date == dt.date(2024, 6, 4)


def test_a_second_confirmation_puts_a_plain_label_before_a_rule_read_from_a_sentence():
    """The first bill printed the due date in a sentence only; the second prints it under a label too.

    The sentence's rule still reads the second bill right, but a rule
    from a plain label is surer: it goes first and the doubt is lifted.
    """
    values = {"invoice_number": "HK-117", "issue_date": "2024-03-05", "due_date": "2024-04-04"}
    template, _report = learn_format([_sentence_bill("HK-117", "05.03.2024", "04.04.2024")], values)
    second = _sentence_bill("HK-152", "18.04.2024", "18.05.2024", due_line="Due 18.05.2024\n")
    values.update(invoice_number="HK-152", issue_date="2024-04-18", due_date="2024-05-18")
    again, report = learn_format([second], values, previous=template)
    assert report["explain"]["due_date"] == 'right of "Due"'
    assert again.field_patterns("due_date")[1:] == template.field_patterns("due_date")
    assert "in_sentence" not in again.learned
    third = _sentence_bill("HK-160", "18.05.2024", "01.07.2024", due_line="Due 17.06.2024\n")
    assert apply_pdf_template(again, [third]).due_date == dt.date(2024, 6, 17)


def test_a_second_confirmation_keeps_a_plain_rule_over_a_sentence_that_also_reads_right():
    """The first bill's plain label still reads the second bill right: a sentence quoting the date changes nothing."""
    values = {"invoice_number": "HK-117", "due_date": "2024-04-04"}
    first = _sentence_bill("HK-117", "05.03.2024", "01.01.2024", due_line="Due 04.04.2024\n")
    template, _report = learn_format([first], values)
    second = _sentence_bill("HK-152", "18.04.2024", "18.05.2024", due_line="Due 18.05.2024\n")
    values.update(invoice_number="HK-152", due_date="2024-05-18")
    again, report = learn_format([second], values, previous=template)
    assert "due_date" in report["kept"]
    assert again.fields == template.fields
    assert "in_sentence" not in again.learned


def test_a_learned_amount_to_pay_that_adds_arrears_yields_to_the_printed_net_plus_tax():
    """Learned where the amount payable was the total; the next bill adds an open amount of the last one.

    The template-free reader takes the amount payable for the total too,
    but its net and tax, and their sum, are printed: the sum is the total.
    Where the sum is printed nowhere else (without tax, the net is the
    sum), nothing tells which is wrong.
    """

    def bill(number, rows):
        return _words_layout(
            [(10, [(60, "Holzbau Keller GmbH")]), (40, [(60, "Invoice No."), (200, number)])]
            + [(100 + 14 * i, [(60, label), (300, amount)]) for i, (label, amount) in enumerate(rows)]
        )

    first = bill("HK-117", [("Net total", "200,00"), ("VAT", "38,00"), ("Amount payable", "238,00")])
    values = {"invoice_number": "HK-117", "amount_total": "238"}
    template, _report = learn_format(first.page_texts(), values, layout=first)
    assert template.position_rules("amount_total")[0]["label"] == "Amount payable"
    rows = [("Net total", "220,00"), ("VAT", "0,00"), ("Premium for the quarter", "220,00")]
    nxt = bill("HK-152", rows + [("Open payments", "220,00"), ("Amount payable", "440,00")])
    invoice = apply_pdf_template(template, nxt.page_texts(), layout=nxt)
    assert invoice.amount_total == Decimal("220.00")
    assert any("that is the total" in warning for warning in invoice.warnings)
    unprinted = bill("HK-153", rows[:2] + [("Open payments", "230,00"), ("Amount payable", "450,00")])
    assert apply_pdf_template(template, unprinted.page_texts(), layout=unprinted).amount_total == Decimal("450.00")


@pytest.mark.parametrize(
    "line, value, quoted",
    [
        ("Wir buchen zur Fälligkeit 06.12.2013 den Beitrag ab.", "06.12.2013", True),
        ("Payable by 04.04.2024, to our account below", "04.04.2024", True),
        ("Rechnung Nr. 471102 vom 05.03.2020", "471102", False),
        ("Due date 04.04.2024 Customer K-12", "04.04.2024", False),
        ("Total 238.00 euros incl. VAT", "238.00", False),
        ("Total 238.00 euros for the whole year", "238.00", True),
        ("Date 05.03.2024", "05.03.2024", False),
        ("Rechnung gemäß Bestellung Nr. 2018-471331 vom 01.03.2018.", "2018-471331", True),
        ("Payable within 30 days net by 04.04.2024, 2% discount within 10 days.", "04.04.2024", True),
        ("Invoice date 04.04.2024, 10:30", "04.04.2024", False),
        ("am 06.12.2013", "06.12.2013", True),
        ("Invoice No. 471102    am 06.12.2013", "471102", False),
    ],
)
def test_a_value_is_quoted_in_a_sentence_when_lower_case_words_go_on_after_it(line, value, quoted):
    from invoice_import.engine.learn import in_sentence

    start = line.index(value)
    assert in_sentence(line, start, start + len(value)) is quoted


def test_a_title_with_its_date_after_the_number_is_no_sentence_for_the_positional_rules():
    """ "Rechnung Nr. 471102 vom 05.03.2020": one linking word after the number, no running text before its label.

    The positional rules judge a sentence as the text rules do: the title
    is learned, not the payment reference that happened to repeat the
    number on the first bill and quotes the customer's number on the next.
    """
    from invoice_import.engine.positions import learn_positions, read_position

    def bill(number, reference):
        return _words_layout(
            [
                (10, [(60, "Holzbau Keller GmbH")]),
                (40, [(60, f"Rechnung Nr. {number} vom 05.03.2020")]),
                (200, [(60, "Verwendungszweck"), (200, reference)]),
            ]
        )

    rules = learn_positions(bill("471102", "471102"), {"invoice_number": "471102"})
    assert rules["invoice_number"]["label"] == "Rechnung Nr."
    assert read_position(bill("471187", "K-2231"), rules["invoice_number"]) == "471187"


def test_an_order_written_another_way_is_not_taken_for_the_next_reference_of_the_learned_shape():
    """ "Bestellung PO-4711 vom 01.03.2024, Lieferschein LS-77": the next bill's order is ``4500012345``.

    The learned shape (``PO-4711``) would find the delivery note's number
    further along the cell; the reference right after the label is the
    order, written another way, and is read as such.
    """
    from invoice_import.engine.pdf_template import apply_pdf_template
    from invoice_import.engine.positions import read_position

    def bill(number, order):
        return _numbered_bill(number, f"Bestellung {order} vom 01.03.2024, Lieferschein LS-77")

    first = bill("HK-2024-0117", "PO-4711")
    values = {"invoice_number": "HK-2024-0117", "po_reference": "PO-4711", "amount_total": "235.62"}
    template, _report = learn_format(first.page_texts(), values, layout=first)
    rule = template.position_rules("po_reference")[0]
    assert read_position(bill("HK-2024-0118", "PO-4799"), rule) == "PO-4799"
    nxt = bill("HK-2024-0118", "4500012345")
    assert read_position(nxt, rule) is None
    assert apply_pdf_template(template, nxt.page_texts(), layout=nxt).po_reference == "4500012345"


def test_a_second_confirmation_corrects_the_rule_that_read_another_value_and_keeps_the_others():
    """Learned where "Amount due" was the total; the second bill takes off a prepayment and prints "Total" too.

    The user confirms the total: the rules that read "Amount due" (text and
    position) read another value on that bill and give way to "Total"; the
    number's and date's rules, right again, stay as they were.  The third
    bill's total is then read by the new rules themselves, and a bill
    without "Total" is left to the template-free reader, not to the dropped rule.
    """

    def bill(number, issued, rows):
        header = [(40, [(60, "Invoice No."), (200, number)]), (54, [(60, "Date"), (200, issued)])]
        return _words_layout(
            [(10, [(60, "Holzbau Keller GmbH")])]
            + header
            + [(100 + 14 * i, [(60, label), (300, amount)]) for i, (label, amount) in enumerate(rows)]
        )

    first = bill("HK-117", "05.03.2024", [("Net", "200,00"), ("VAT 19%", "38,00"), ("Amount due", "238,00")])
    values = {"invoice_number": "HK-117", "issue_date": "2024-03-05", "amount_total": "238"}
    template, _report = learn_format(first.page_texts(), values, layout=first)
    assert template.position_rules("amount_total")[0]["label"] == "Amount due"
    rows = [("Net", "300,00"), ("VAT 19%", "57,00"), ("Total", "357,00"), ("Prepaid", "100,00")]
    second = bill("HK-152", "18.04.2024", rows + [("Amount due", "257,00")])
    values = {"invoice_number": "HK-152", "issue_date": "2024-04-18", "amount_total": "357"}
    again, report = learn_format(second.page_texts(), values, layout=second, previous=template)
    assert sorted(report["kept"]) == ["invoice_number", "issue_date"]
    assert report["explain"]["amount_total"] == 'right of "Total"'
    assert [rule["label"] for rule in again.position_rules("amount_total")] == ["Total"]
    assert again.field_patterns("amount_total") != template.field_patterns("amount_total")
    for key in ("invoice_number", "issue_date"):
        assert again.field_patterns(key) == template.field_patterns(key)
        assert again.position_rules(key) == template.position_rules(key)
    rows = [("Net", "100,00"), ("VAT 19%", "19,00"), ("Total", "119,00"), ("Prepaid", "19,00")]
    third = bill("HK-160", "18.05.2024", rows + [("Amount due", "100,00")])
    invoice = apply_pdf_template(again, third.page_texts(), layout=third)
    assert (invoice.invoice_number, invoice.issue_date, invoice.amount_total) == (
        "HK-160",
        dt.date(2024, 5, 18),
        Decimal("119.00"),
    )
    assert not any("amount_total" in warning for warning in invoice.warnings)


def test_a_field_left_unconfirmed_on_the_second_bill_keeps_its_rules():
    """The second bill has no order reference: its rules from the first bill stay for the bills that do."""
    first = "Holzbau Keller GmbH\nInvoice no. HK-117\nYour order: PO-4711\nTotal EUR 235,62\n"
    values = {"invoice_number": "HK-117", "po_reference": "PO-4711", "amount_total": "235.62"}
    template, _report = learn_format([first], values)
    second = "Holzbau Keller GmbH\nInvoice no. HK-152\nTotal EUR 99,00\n"
    again, report = learn_format([second], {"invoice_number": "HK-152", "amount_total": "99"}, previous=template)
    assert again.field_patterns("po_reference") == template.field_patterns("po_reference")
    assert report["explain"]["po_reference"] == template.learned["fields"]["po_reference"]
    third = "Holzbau Keller GmbH\nInvoice no. HK-160\nYour order: PO-4790\nTotal EUR 10,00\n"
    assert apply_pdf_template(again, [third]).po_reference == "PO-4790"


def test_a_second_bill_that_does_not_show_the_date_order_or_decimal_mark_keeps_what_the_first_showed():
    """The first bill shows month-first dates and a decimal comma; the second's date is 3 March, its total whole.

    "03/03/2024" fits both orders and "99" has no decimal mark: they
    decide nothing, so what the first bill taught stays, and the third
    bill's "05/20/2024" and "1.234,56" are read as on the first.
    """

    def bill(number, issued, total):
        return f"Holzbau Keller GmbH\nInvoice no. {number}\nInvoice date {issued}\nTotal EUR {total}\n"

    values = {"invoice_number": "HK-117", "issue_date": "2024-04-25", "amount_total": "1234.56"}
    template, _report = learn_format([bill("HK-117", "04/25/2024", "1.234,56")], values)
    assert (template.date_format, template.decimal_separator) == ("%m/%d/%Y", ",")
    values = {"invoice_number": "HK-152", "issue_date": "2024-03-03", "amount_total": "99"}
    again, _report = learn_format([bill("HK-152", "03/03/2024", "99")], values, previous=template)
    assert (again.date_format, again.decimal_separator) == ("%m/%d/%Y", ",")
    assert again.thousands_separator == template.thousands_separator == "."
    invoice = apply_pdf_template(again, [bill("HK-160", "05/20/2024", "1.234,56")])
    assert (invoice.issue_date, invoice.amount_total) == (dt.date(2024, 5, 20), Decimal("1234.56"))
    # a bill that shows another convention changes it
    values = {"invoice_number": "HK-170", "issue_date": "2024-05-20", "amount_total": "1234.56"}
    other, _report = learn_format([bill("HK-170", "20.05.2024", "1,234.56")], values, previous=again)
    assert (other.date_format, other.decimal_separator) == ("%d.%m.%Y", ".")
