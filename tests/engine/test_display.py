"""What a person sees of an extracted invoice and of a failed file: labels, kinds, reasons in words."""

import datetime as dt
from decimal import Decimal as D

from invoice_import.engine.display import LINE_COLUMNS, field_rows
from invoice_import.engine.errors import ERROR_CODES, INTAKE_ERROR_CODES, describe_error
from invoice_import.engine.pivot import Invoice, Line, Party


def test_a_credit_note_is_shown_as_labelled_fields_with_kinds():
    invoice = Invoice(
        document_type="credit_note",
        invoice_number="CN-7",
        issue_date=dt.date(2024, 5, 2),
        currency="EUR",
        amount_total=D("119.00"),
        supplier=Party(name="ACME Industrial GmbH", vat="DE123456789"),
        lines=[Line(description="Return", quantity=D(1), unit_price=D("100"), amount=D("100"))],
        confidence={"invoice_number": 1.0, "amount_total": 0.7, "supplier.vat": 0.95},
    )
    rows = {row["key"]: row for row in field_rows(invoice.to_dict())}
    assert rows["document_type"]["value"] == "Credit note"  # never the pivot's credit_note
    assert (rows["issue_date"]["label"], rows["issue_date"]["kind"]) == ("Invoice date", "date")
    assert (rows["amount_total"]["kind"], rows["amount_total"]["value"], rows["amount_total"]["confidence"]) == (
        "amount",
        "119.00",
        0.7,
    )
    assert rows["supplier.vat"]["label"] == "Supplier VAT" and rows["supplier.vat"]["confidence"] == 0.95
    # a header field not read is shown empty; a party field not read is left out
    assert rows["due_date"]["value"] is None
    assert "supplier.iban" not in rows and "customer.name" not in rows
    assert all("_" not in row["label"] and row["label"][0].isupper() for row in rows.values())


def test_line_columns_are_labelled():
    # every field of a pivot line has its column
    assert sorted(key for key, _label, _kind in LINE_COLUMNS) == sorted(Line.__dataclass_fields__)
    assert all("_" not in label and label[0].isupper() for _key, label, _kind in LINE_COLUMNS)


def test_every_error_code_has_a_sentence():
    for code in [*ERROR_CODES, *INTAKE_ERROR_CODES]:
        reason = describe_error(code)
        assert reason[0].isupper() and code not in reason, code
    assert describe_error("corrupt_pdf") == "The PDF cannot be parsed (truncated, damaged, or not a PDF)"
    assert describe_error("something_new") == "Unknown error (something new)"
    assert describe_error(False) == ""


def test_warnings_of_a_real_file_name_fields_by_their_labels_and_keep_what_the_file_says():
    from invoice_import.engine.display import describe_warning
    from invoice_import.engine.extract import extract_bytes
    from invoice_import.engine.formats import load_format

    fmt = load_format(
        {
            "name": "Keys in titles",
            "kind": "csv",
            "delimiter": ";",
            "fixed": {"currency": "EUR"},
            "columns": {"invoice_number": "number", "amount_untaxed": "net", "amount_total": "gross"},
            "line_columns": {"description": "text", "unit_price": "unit_price", "amount": "amount"},
        }
    )
    data = b"number;net;gross;text;unit_price;amount\nK-1;100.00;130.00;Bolts;abc;100.00\n"
    warnings = extract_bytes(data, filename="keys.csv", formats=[fmt]).invoices[0].warnings
    described = [describe_warning(w) for w in warnings]
    assert any("amount_untaxed" in w or "unit_price left empty" in w for w in warnings), warnings
    for text in described:
        assert text[0].isupper(), text
        for key in ("amount_untaxed", "amount_tax", "amount_total", "issue_date", "due_date", "supplier.name"):
            assert key not in text, text
    # the column the file titles "unit_price" keeps its title; the field it fills is named in words
    cell = next(text for text in described if "left empty" in text)
    assert "column 'unit_price'" in cell and cell.endswith("unit price left empty"), cell
    assert describe_warning("template 'Acme': supplier_vat not found") == "Template 'Acme': supplier VAT not found"
    assert describe_warning("the lines' tax rates give a tax of 7, but amount_tax is 8") == (
        "The lines' tax rates give a tax of 7, but tax is 8"
    )
