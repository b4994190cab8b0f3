"""Supplier formats: loading, validation messages that name the bad key, JSON round trip."""

import copy
import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.formats import CsvFormat, LineTable, PdfTemplate, load_format

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "formats"

CSV_FORMAT = {
    "name": "Test supplier CSV",
    "kind": "csv",
    "delimiter": ";",
    "decimal_separator": ",",
    "date_format": "%d.%m.%Y",
    "fixed": {"currency": "EUR"},
    "columns": {"invoice_number": "Nr", "issue_date": 1},
    "line_columns": {"description": "Text", "amount": "Betrag"},
}
PDF_TEMPLATE = {
    "name": "Test supplier PDF",
    "kind": "pdf",
    "keywords": ["Test Supplier Ltd"],
    "fields": {"invoice_number": r"Invoice (?P<value>\S+)", "amount_total": r"Total (\S+)"},
    "lines": {"start": "^Item", "line": r"^(?P<description>.+) (?P<amount>\d+\.\d\d)$", "end": "^Total"},
}


def test_sample_formats_load_with_their_kind_and_settings():
    acme = load_format(SAMPLES / "acme_csv.json")
    bolt = load_format(SAMPLES / "bolt_supplies_pdf.json")
    assert isinstance(acme, CsvFormat) and acme.kind == "csv"
    assert acme.encoding == "cp1252" and acme.delimiter == ";" and acme.decimal_separator == ","
    assert acme.columns["invoice_number"] == "Rechnungsnr"
    assert acme.line_columns["quantity"] == "Menge"
    assert isinstance(bolt, PdfTemplate) and bolt.kind == "pdf"
    assert bolt.keywords == ["Bolt Supplies Ltd", "GB 123 4567 89"]
    assert isinstance(bolt.lines, LineTable) and bolt.lines.end == "^Subtotal "


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_to_dict_gives_back_the_json_it_was_loaded_from(path):
    original = json.loads(path.read_text(encoding="utf-8"))
    fmt = load_format(path)
    assert fmt.to_dict() == original
    assert load_format(json.dumps(fmt.to_dict())) == fmt


def test_load_accepts_dict_json_string_bytes_and_path(tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json.dumps(CSV_FORMAT), encoding="utf-8")
    loaded = [
        load_format(CSV_FORMAT),
        load_format(json.dumps(CSV_FORMAT)),
        load_format(json.dumps(CSV_FORMAT).encode()),
        load_format(path),
        load_format(str(path)),
    ]
    assert all(fmt == loaded[0] for fmt in loaded)
    assert loaded[0].columns == {"invoice_number": "Nr", "issue_date": 1}


def test_defaults_are_left_out_of_to_dict():
    data = load_format({"name": "n", "kind": "csv", "columns": {"invoice_number": 0}}).to_dict()
    assert data == {"name": "n", "kind": "csv", "columns": {"invoice_number": 0}}


def _invalid(data, *fragments):
    with pytest.raises(ExtractionError) as info:
        load_format(data)
    assert info.value.code == "invalid_format"
    for fragment in fragments:
        assert fragment in info.value.message, info.value.message
    return info.value.message


def _with(base, path, value):
    data = copy.deepcopy(base)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def test_unknown_keys_are_refused_with_a_suggestion_at_every_level():
    assert "did you mean 'delimiter'" in _invalid(_with(CSV_FORMAT, ["delimeter"], ","), "'delimeter'")
    _invalid(_with(CSV_FORMAT, ["columns", "invoice_nr"], "Nr"), "'invoice_nr'", "columns")
    _invalid(_with(CSV_FORMAT, ["line_columns", "qty"], "Menge"), "'qty'", "line_columns")
    _invalid(_with(CSV_FORMAT, ["fixed", "amount_total"], "12"), "'amount_total'", "fixed")
    _invalid(_with(PDF_TEMPLATE, ["lines", "stop"], "x"), "'stop'", "lines")
    _invalid(_with(PDF_TEMPLATE, ["fields", "total"], "T (x)"), "'total'", "fields")
    _invalid(_with(PDF_TEMPLATE, ["delimiter"], ";"), "'delimiter'")  # a CSV key in a PDF template


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        (["delimiter"], ";;", "'delimiter'"),
        (["delimiter"], "\n", "'delimiter'"),
        (["quotechar"], "", "'quotechar'"),
        (["encoding"], "klingon-8", "'encoding'"),
        (["header_rows"], -1, "'header_rows'"),
        (["skip_rows"], True, "'skip_rows'"),
        (["footer_rows"], "2", "'footer_rows'"),
        (["date_format"], "dd.mm.yyyy", "'date_format'"),
        (["decimal_separator"], ";", "'decimal_separator'"),
        (["thousands_separator"], ",", "'thousands_separator'"),
        (["columns", "issue_date"], -2, "'columns.issue_date'"),
        (["columns", "issue_date"], True, "'columns.issue_date'"),
        (["columns", "issue_date"], " ", "'columns.issue_date'"),
        (["line_columns", "amount"], 1.5, "'line_columns.amount'"),
        (["fixed", "currency"], "12", "'fixed.currency'"),
        (["fixed", "document_type"], "receipt", "'fixed.document_type'"),
        (["document_types"], {"GS": "refund"}, "'document_types.GS'"),
        (["description"], 12, "'description'"),
        (["name"], "", "'name'"),
        (["kind"], "xlsx", "'kind'"),
    ],
)
def test_each_bad_csv_setting_is_named(path, value, fragment):
    _invalid(_with(CSV_FORMAT, path, value), fragment)


def test_a_column_name_without_header_rows_is_refused():
    _invalid(_with(CSV_FORMAT, ["header_rows"], 0), "'columns.invoice_number'", "header_rows is 0")


def test_a_csv_format_must_map_some_column():
    _invalid({"name": "x", "kind": "csv"}, "'columns'")


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        (["keywords"], [], "'keywords'"),
        (["keywords"], "Test Supplier Ltd", "'keywords'"),
        (["keywords"], ["ok", ""], "'keywords'"),
        (["fields", "invoice_number"], "Invoice (?P<value>\\S+", "'fields.invoice_number'"),
        (["fields", "invoice_number"], "Invoice \\S+", "capturing group"),
        (["lines", "start"], "(", "'lines.start'"),
        (["lines", "line"], "^(?P<descripton>.+)$", "did you mean 'description'"),
        (["lines", "line"], "^(?P<quantity>\\d+)$", "'lines.line'"),
        (["lines", "ignore"], "^Page", "'lines.ignore'"),
        (["lines", "ignore"], ["^Page", "[unclosed"], "'lines.ignore[1]'"),
        (["lines", "description_continuation"], "yes", "'lines.description_continuation'"),
        (["lines"], ["^Item"], "'lines'"),
    ],
)
def test_each_bad_pdf_setting_is_named(path, value, fragment):
    _invalid(_with(PDF_TEMPLATE, path, value), fragment)


def test_a_line_table_needs_start_and_line():
    data = copy.deepcopy(PDF_TEMPLATE)
    del data["lines"]["line"]
    _invalid(data, "'lines.line'", "required")


def test_unreadable_sources_are_invalid_format(tmp_path):
    _invalid("{not json", "not valid JSON")
    _invalid("[1, 2]", "JSON object")
    _invalid(tmp_path / "missing.json", "cannot read format file")
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * (1024 * 1024 + 1) + b"}")
    _invalid(big, "larger than")


def test_read_value_follows_the_format_conventions():
    fmt = load_format(CSV_FORMAT)
    assert fmt.read_value("amount", "1.234,50") == (Decimal("1234.50"), None)
    assert fmt.read_value("issue_date", "05.03.2024") == (dt.date(2024, 3, 5), None)
    value, note = fmt.read_value("issue_date", "2024-03-05")
    assert value == dt.date(2024, 3, 5) and "does not fit date_format" in note
    assert fmt.read_value("issue_date", "someday") == (None, "'someday' is not a date")
    assert fmt.read_value("currency", "€") == ("EUR", None)
    assert fmt.read_value("document_type", " Gutschrift ") == ("credit_note", None)
    assert fmt.read_value("document_type", "Lieferschein")[0] is None
    assert fmt.read_value("description", "  two   spaces ") == ("two spaces", None)
    assert fmt.read_value("amount", "   ") == (None, None)


def test_document_types_of_the_format_extend_the_built_in_words():
    fmt = load_format(_with(CSV_FORMAT, ["document_types"], {"Storno": "credit_note", "Rechnung": "credit_note"}))
    assert fmt.read_value("document_type", "STORNO")[0] == "credit_note"
    assert fmt.read_value("document_type", "rechnung")[0] == "credit_note"  # the supplier's meaning wins
    assert fmt.read_value("document_type", "invoice")[0] == "invoice"


def test_every_json_example_in_the_documentation_is_a_valid_format():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", doc, re.DOTALL)
    assert len(blocks) >= 4
    for block in blocks:
        fmt = load_format(block)
        assert fmt.to_dict() == json.loads(block)
    shipped = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in SAMPLES.glob("*.json")}
    documented = [json.loads(block) for block in blocks]
    assert all(data in documented for data in shipped.values())  # the doc shows the shipped samples verbatim
