"""A supplier format edited as rows and options: the round trip to its JSON, edits that change the reading, errors."""

import copy
import json
from pathlib import Path

import pytest

from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.extract import extract_file
from invoice_import.engine.format_rows import definition_from_rows, field_label, format_rows, new_definition
from invoice_import.engine.formats import load_format
from invoice_import.engine.learn import document_pages, learn_format

from .test_learn import bill_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ACME = json.loads((SAMPLES / "formats" / "acme_csv.json").read_text(encoding="utf-8"))
BOLT = json.loads((SAMPLES / "formats" / "bolt_supplies_pdf.json").read_text(encoding="utf-8"))


def _round_trip(data):
    editor = format_rows(copy.deepcopy(data))
    return definition_from_rows(data, editor["rows"], editor["options"])


def _learned(tmp_path):
    pdf = bill_pdf(
        tmp_path / "keller-0117.pdf", "HK-2024-0117", "05.03.2024", "04.04.2024", "PO-4711", [("Beam", 2, 99.0)]
    )
    values = {
        "invoice_number": "HK-2024-0117",
        "issue_date": "2024-03-05",
        "due_date": "2024-04-04",
        "currency": "EUR",
        "amount_total": "235.62",
        "po_reference": "PO-4711",
        "supplier": {"name": "Holzbau Keller GmbH", "vat": "DE298765432"},
    }
    template, _report = learn_format(document_pages(pdf.read_bytes(), pdf.name), values, document=pdf.name)
    return json.loads(json.dumps(template.to_dict())), pdf


@pytest.mark.parametrize("data", [ACME, BOLT], ids=["acme_csv", "bolt_pdf"])
def test_sample_formats_survive_the_round_trip_through_rows(data):
    assert _round_trip(data) == data


def test_a_learned_format_survives_the_round_trip_and_shows_its_rules_in_words(tmp_path):
    data, _pdf = _learned(tmp_path)
    assert _round_trip(data) == data
    rows = format_rows(data)["rows"]
    positions = [row for row in rows if row["rule"] == "position"]
    number = next(row for row in positions if row["field"] == "invoice_number")
    assert (number["value"], number["where"], number["note"]) == ("Invoice No.", "below", 'under "Invoice No."')
    patterns = [row for row in rows if row["rule"] == "pattern"]
    assert patterns and all(row["value"] for row in patterns)
    assert {row["field"] for row in rows if row["rule"] == "fixed"} == {"supplier_name", "supplier_vat", "currency"}


def test_csv_rows_are_one_per_mapped_column_and_fixed_value_and_options_hold_the_rest():
    editor = format_rows(ACME)
    columns = [(row["rule"], row["field"], row["value"]) for row in editor["rows"]]
    assert ("column", "invoice_number", "Rechnungsnr") in columns
    assert ("line_column", "quantity", "Menge") in columns
    assert ("fixed", "currency", "EUR") in columns
    assert len(editor["rows"]) == len(ACME["columns"]) + len(ACME["line_columns"]) + len(ACME["fixed"])
    options = editor["options"]
    assert (options["delimiter"], options["encoding"], options["decimal_separator"]) == (";", "cp1252", ",")
    assert (options["date_format"], options["header_rows"], options["skip_rows"]) == ("%d.%m.%Y", 1, 0)
    assert options["document_types"] == "RE = Invoice\nGS = Credit note"


def test_pdf_options_give_keywords_and_the_item_table_one_per_line():
    options = format_rows(BOLT)["options"]
    assert options["keywords"] == "Bolt Supplies Ltd\nGB 123 4567 89"
    assert options["lines_line"] == BOLT["lines"]["line"]
    assert options["lines_ignore"].splitlines() == BOLT["lines"]["ignore"]
    assert options["template_free_fallback"] is False


def test_moving_a_column_through_its_row_changes_what_the_csv_reads(tmp_path):
    csv_path = SAMPLES / "acme_invoices.csv"
    before = extract_file(csv_path, formats=[load_format(ACME)]).invoices[0]
    editor = format_rows(ACME)
    # the PO column now maps to the customer column: the edit must show in the reading
    row = next(row for row in editor["rows"] if row["field"] == "po_reference")
    row["value"] = "Kunde"
    edited = definition_from_rows(ACME, editor["rows"], editor["options"])
    assert edited["columns"]["po_reference"] == "Kunde"
    after = extract_file(csv_path, formats=[load_format(edited)]).invoices[0]
    assert before.po_reference == "PO-4711"
    assert after.po_reference == before.customer.name == "Müller Maschinenbau GmbH"


def test_a_column_given_by_number_is_written_as_the_0_based_index(tmp_path):
    editor = format_rows(ACME)
    row = next(row for row in editor["rows"] if row["field"] == "po_reference")
    row["value"], row["column_number"] = None, 5  # "Bestellnr" is the 5th column
    edited = definition_from_rows(ACME, editor["rows"], editor["options"])
    assert edited["columns"]["po_reference"] == 4
    invoice = extract_file(SAMPLES / "acme_invoices.csv", formats=[load_format(edited)]).invoices[0]
    assert invoice.po_reference == "PO-4711"


def test_editing_a_pdf_pattern_changes_what_the_template_reads():
    pdf = SAMPLES / "bolt_supplies_invoice.pdf"
    before = extract_file(pdf, formats=[load_format(BOLT)], ignore_embedded_xml=True).invoices[0]
    editor = format_rows(BOLT)
    row = next(row for row in editor["rows"] if row["field"] == "po_reference")
    row["value"] = r"^Invoice No:\s*(?P<value>\S+)"  # a person points the PO at the invoice number line
    edited = definition_from_rows(BOLT, editor["rows"], editor["options"])
    after = extract_file(pdf, formats=[load_format(edited)], ignore_embedded_xml=True).invoices[0]
    assert before.po_reference != before.invoice_number
    assert after.po_reference == before.invoice_number


def test_a_second_pattern_row_for_a_field_becomes_an_alternative_tried_in_order():
    editor = format_rows(BOLT)
    first = next(row for row in editor["rows"] if row["field"] == "due_date")
    second = {**first, "value": r"^Payable by (?P<value>\S+)"}
    rows = editor["rows"] + [second]
    edited = definition_from_rows(BOLT, rows, editor["options"])
    assert edited["fields"]["due_date"] == [first["value"], second["value"]]
    assert load_format(edited).field_patterns("due_date")[1] == second["value"]


def test_a_bad_pattern_is_refused_naming_its_row_and_field():
    editor = format_rows(BOLT)
    index = next(i for i, row in enumerate(editor["rows"]) if row["field"] == "amount_total")
    editor["rows"][index]["value"] = r"^Total GBP (?P<value>[\d,+\.\d{2}$"
    with pytest.raises(ExtractionError) as info:
        definition_from_rows(BOLT, editor["rows"], editor["options"])
    assert info.value.code == "invalid_format"
    assert info.value.message.startswith(f"row {index + 1} (Total, pattern): ")
    assert "not a valid regular expression" in info.value.message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": ""}, "give the column's title, or its number"),
        ({"field": "amount_total", "rule": "line_column"}, "choose a field among Product code (item)"),
        ({"field": "issue_date"}, "Invoice date is already given by an earlier row"),
        ({"rule": "pattern"}, "a CSV format reads by column, item column, always this value"),
        ({"value": "Nr", "column_number": 2}, "not both"),
    ],
)
def test_a_row_that_cannot_work_is_refused_with_its_number(change, message):
    editor = format_rows(ACME)
    index = next(i for i, row in enumerate(editor["rows"]) if row["field"] == "due_date")
    editor["rows"][index].update(change)
    with pytest.raises(ExtractionError) as info:
        definition_from_rows(ACME, editor["rows"], editor["options"])
    assert info.value.message.startswith(f"row {index + 1} ("), info.value.message
    assert message in info.value.message


def test_a_fixed_value_that_cannot_be_read_is_refused():
    editor = format_rows(ACME)
    row = next(row for row in editor["rows"] if row["field"] == "currency")
    row["value"] = "12.03.2024"
    with pytest.raises(ExtractionError, match=r"\(Currency, always this value\): '12.03.2024' cannot be read"):
        definition_from_rows(ACME, editor["rows"], editor["options"])


def test_options_edit_the_csv_settings_and_defaults_leave_the_json():
    editor = format_rows(ACME)
    options = {**editor["options"], "delimiter": "Tab", "encoding": "", "header_rows": 1, "skip_rows": 2}
    edited = definition_from_rows(ACME, editor["rows"], options)
    assert edited["delimiter"] == "\t" and "encoding" not in edited and "header_rows" not in edited
    assert edited["skip_rows"] == 2
    assert format_rows(edited)["options"]["delimiter"] == "Tab"


def test_document_type_words_are_edited_in_words_and_a_bad_line_is_named():
    editor = format_rows(ACME)
    options = {**editor["options"], "document_types": "RE = Invoice\nGutschrift-Nr = credit note"}
    edited = definition_from_rows(ACME, editor["rows"], options)
    assert edited["document_types"] == {"RE": "invoice", "Gutschrift-Nr": "credit_note"}
    with pytest.raises(ExtractionError, match="'GS = refund'"):
        definition_from_rows(ACME, editor["rows"], {**options, "document_types": "GS = refund"})


def test_a_whole_format_problem_is_refused_by_the_format_check():
    editor = format_rows(BOLT)
    with pytest.raises(ExtractionError, match="keywords"):
        definition_from_rows(BOLT, editor["rows"], {**editor["options"], "keywords": "  "})
    with pytest.raises(ExtractionError, match="lines.line"):
        definition_from_rows(BOLT, editor["rows"], {**editor["options"], "lines_line": r"^(?P<descripton>.+)$"})


def test_keys_the_rows_do_not_cover_are_kept(tmp_path):
    data, _pdf = _learned(tmp_path)
    editor = format_rows(data)
    editor["rows"] = [row for row in editor["rows"] if row["field"] != "po_reference"]
    edited = definition_from_rows(data, editor["rows"], editor["options"])
    assert edited["learned"] == data["learned"] and edited["name"] == data["name"]
    assert "po_reference" not in edited["fields"] and "po_reference" not in edited.get("positions", {})


def test_editing_a_learned_positional_rule_changes_what_it_reads(tmp_path):
    data, pdf = _learned(tmp_path)
    editor = format_rows(data)
    # the invoice number's rule now reads the customer number under "Customer"; its regexes are removed
    rows = [row for row in editor["rows"] if not (row["field"] == "invoice_number" and row["rule"] == "pattern")]
    rule = next(row for row in rows if row["field"] == "invoice_number" and row["rule"] == "position")
    rule.update(value="Customer", shape=None)
    edited = definition_from_rows(data, rows, editor["options"])
    assert edited["positions"]["invoice_number"]["label"] == "Customer"
    invoice = extract_file(pdf, formats=[load_format(edited)], ignore_embedded_xml=True).invoices[0]
    assert invoice.invoice_number == "K-2231"


def test_field_labels_are_the_ones_shown_on_an_extracted_invoice():
    assert field_label("supplier_vat") == "Supplier VAT"
    assert field_label("issue_date") == "Invoice date"
    assert field_label("unit_price") == "Unit price (item)"


def test_learned_supplier_rules_are_rows_like_the_others(tmp_path):
    """The supplier's VAT number (a reference in groups) and name (a text under its title) round-trip as rows."""
    from .test_learn import _words_layout

    data, _pdf = _learned(tmp_path)
    vat = next(row for row in format_rows(data)["rows"] if row["rule"] == "position" and row["field"] == "supplier_vat")
    assert (vat["value"], vat["where"], vat["value_kind"]) == ("USt-IdNr.", "right", "id")
    layout = _words_layout([(10, [(60, "Supplier"), (300, "Invoice No.")]), (24, [(60, "Nordlicht AG"), (300, "N-1")])])
    values = {"invoice_number": "N-1", "supplier": {"name": "Nordlicht AG", "vat": None}}
    template, _report = learn_format(layout.page_texts(), values, layout=layout)
    named = json.loads(json.dumps(template.to_dict()))
    assert _round_trip(named) == named
    name = next(
        row for row in format_rows(named)["rows"] if row["field"] == "supplier_name" and row["rule"] == "position"
    )
    assert (name["value"], name["where"], name["value_kind"], name["note"]) == (
        "Supplier",
        "below",
        "text",
        'under "Supplier"',
    )


def _as_typed(data):
    """What a person enters for the format on a blank form: its rows (rule, field, value, column number;
    position settings for a PDF) and its options as the form shows them, never its JSON."""
    editor = format_rows(data)
    keys = ("rule", "field", "value", "column_number", "where", "steps", "nth", "value_kind", "shape")
    rows = [{key: row[key] for key in keys if row[key] not in (None, 0)} for row in editor["rows"]]
    return rows, {key: value for key, value in editor["options"].items() if value not in (None, "")}


@pytest.mark.parametrize(
    ("shipped", "sample"), [(ACME, "acme_invoices.csv"), (BOLT, "bolt_supplies_invoice.pdf")], ids=["csv", "pdf"]
)
def test_a_new_format_built_from_rows_alone_reads_the_sample_as_the_shipped_json(shipped, sample):
    rows, options = _as_typed(shipped)
    built = new_definition(shipped["name"], shipped["kind"], rows, options)
    assert built == shipped
    read = extract_file(SAMPLES / sample, formats=[load_format(built)]).invoices
    expected = extract_file(SAMPLES / sample, formats=[load_format(shipped)]).invoices
    assert [invoice.to_dict() for invoice in read] == [invoice.to_dict() for invoice in expected]
    assert read[0].invoice_number and read[0].amount_total


@pytest.mark.parametrize(
    ("name", "kind", "rows", "options", "says"),
    [
        ("", "csv", [{"rule": "column", "field": "invoice_number", "value": "Nr"}], {}, "give the format a name"),
        ("Acme", None, [{"rule": "column", "field": "invoice_number", "value": "Nr"}], {}, "choose the kind"),
        ("Acme", "csv", [], {}, "add a row for each value to read: a column"),
        ("Acme", "pdf", [{"rule": "fixed", "field": "currency", "value": "EUR"}], {}, "give the keywords"),
        ("Acme", "csv", [{"rule": "pattern", "field": "invoice_number", "value": "(x)"}], {}, "row 1 (Invoice number"),
        ("Acme", "csv", [{"rule": "column", "field": "issue_date", "value": "Datum"}], {"header_rows": 0}, "row 1"),
    ],
)
def test_a_blank_format_missing_a_part_is_refused_in_the_forms_words(name, kind, rows, options, says):
    with pytest.raises(ExtractionError) as caught:
        new_definition(name, kind, rows, options)
    assert caught.value.code == "invalid_format" and says in caught.value.message, caught.value.message
    assert "'columns'" not in caught.value.message and "key " not in caught.value.message
