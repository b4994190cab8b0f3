r"""A supplier format as rows and options a person edits in a form, and back to the format's JSON.

A format's JSON (``formats.py``) is exact but unfriendly: an accountant who
wants to say "the quantity is now in column *Anzahl*" should not have to
find ``line_columns`` in a JSON text.  This module turns the JSON into

* **rows**, one per thing a field is read from: a CSV column (by title or
  by number), a PDF pattern (a regular expression; several rows for one
  field are alternatives, tried in order), a learned positional rule (a
  label and where the value lies from it) or a value that is always the
  same (``fixed``);
* **options**, the settings of the whole format: how values are written
  (date format, separators, document type words) and, per kind, how the
  CSV is cut up or how the PDF is recognised and its item table read;

and turns edited rows and options back into the JSON.  Everything the rows
and options do not cover (``name``, ``kind``, the ``learned`` provenance,
any key a later engine adds) is kept from the original JSON untouched, so
editing the rows never loses a part of the format.  The result is checked
by ``formats.load_format``; a row that cannot work is refused first, with
a message naming the row by its number and field.

Row: a dict ``{"rule", "field", "value", "column_number", "where",
"steps", "nth", "value_kind", "shape", "note"}``:

==================  ===========================================================
``rule``            ``column`` (a CSV header field), ``line_column`` (a CSV line
                    field), ``pattern``, ``position`` (PDF) or ``fixed``
``field``           the engine's field name (``invoice_number``, ``quantity``...)
``value``           the column's title, the regular expression, the label's
                    words or the constant value
``column_number``   1-based column number for a column without a title (the
                    JSON's 0-based index + 1); None when ``value`` names it
``where``           positional rules: ``right`` or ``below``
``steps``           positional rules: cells to the right (``cells_after``) or
                    further down (``skip``)
``nth``             positional rules: which value of its kind in the cell, 0-based
``value_kind``      positional rules: ``date``, ``amount``, ``id`` or ``text`` (a name)
``shape``           positional rules: the regex a reference must fit, or None
``note``            what the rule looks for, in words (learned formats); read only
==================  ===========================================================

Options: a dict of scalars, text where a list is edited one item a line:
``description``, ``date_format``, ``decimal_separator``,
``thousands_separator``, ``document_types`` (lines ``RE = Invoice``); for
CSV ``delimiter`` (``Tab`` for a tab), ``quotechar``, ``encoding``,
``skip_rows``, ``header_rows``, ``footer_rows``; for PDF ``keywords`` (one a
line), ``template_free_fallback``, ``lines_start``, ``lines_line``,
``lines_end``, ``lines_ignore`` (one a line), ``lines_continuation``.

>>> data = {"name": "x", "kind": "csv", "columns": {"invoice_number": "Nr"}, "line_columns": {"amount": 3}}
>>> editor = format_rows(data)
>>> [(r["rule"], r["field"], r["value"], r["column_number"]) for r in editor["rows"]]
[('column', 'invoice_number', 'Nr', None), ('line_column', 'amount', None, 4)]
>>> editor["rows"][0]["value"] = "Belegnr"
>>> definition_from_rows(data, editor["rows"], editor["options"])["columns"]
{'invoice_number': 'Belegnr'}
"""

from __future__ import annotations

import copy
import re

from .display import DOCUMENT_TYPE_LABELS, FIELD_LABELS, LINE_COLUMNS
from .errors import ExtractionError
from .formats import FIXABLE_FIELDS, HEADER_FIELDS, LINE_FIELDS, SupplierFormat, confidence_key, load_format

COLUMN, LINE_COLUMN, PATTERN, POSITION, FIXED = "column", "line_column", "pattern", "position", "fixed"
RULE_LABELS = {
    COLUMN: "Column",
    LINE_COLUMN: "Item column",
    PATTERN: "Pattern",
    POSITION: "Label and position",
    FIXED: "Always this value",
}
RULES_OF_KIND = {"csv": (COLUMN, LINE_COLUMN, FIXED), "pdf": (PATTERN, POSITION, FIXED)}
LINE_LABELS = {key: label for key, label, _kind in LINE_COLUMNS}
# options of both kinds and of each kind, with the value that means "not set"
COMMON_OPTIONS = {
    "description": None,
    "date_format": None,
    "decimal_separator": None,
    "thousands_separator": None,
    "document_types": None,
}
KIND_OPTIONS = {
    "csv": {
        "delimiter": None,
        "quotechar": '"',
        "encoding": None,
        "skip_rows": 0,
        "header_rows": 1,
        "footer_rows": 0,
    },
    "pdf": {
        "keywords": None,
        "template_free_fallback": False,
        "lines_start": None,
        "lines_line": None,
        "lines_end": None,
        "lines_ignore": None,
        "lines_continuation": False,
    },
}
TAB_WORD = "Tab"


def field_label(name: str) -> str:
    """The label a person sees for a format's field name, the same as on the extracted invoice."""
    if name in LINE_LABELS:
        return f"{LINE_LABELS[name]} (item)"
    return FIELD_LABELS.get(confidence_key(name), name.replace("_", " ").capitalize())


def field_choices() -> list[tuple[str, str]]:
    """``(field name, label)`` of every field a row may read, header fields first."""
    names = list(HEADER_FIELDS) + list(LINE_FIELDS)
    return [(name, field_label(name)) for name in names]


# ----------------------------------------------------------------------------- JSON -> rows


def format_rows(data: dict) -> dict:
    """The rows and options of a format's JSON (a dict as ``json.loads`` gives it).

    Returns ``{"kind": "csv" | "pdf", "rows": [row, ...], "options": {...}}``
    (shapes in the module's docstring).  The JSON is expected valid
    (``load_format`` accepted it); a key of the wrong type is shown as it is.
    """
    kind = data.get("kind")
    rows = []
    if kind == "csv":
        for rule, key in ((COLUMN, "columns"), (LINE_COLUMN, "line_columns")):
            for name, column in (data.get(key) or {}).items():
                rows.append(_column_row(rule, name, column))
    elif kind == "pdf":
        learned = data.get("learned") if isinstance(data.get("learned"), dict) else {}
        notes = learned.get("fields") or {}
        for name, patterns in (data.get("fields") or {}).items():
            for index, pattern in enumerate(patterns if isinstance(patterns, list) else [patterns]):
                rows.append(_row(PATTERN, name, pattern, note=notes.get(name) if index == 0 else None))
        for name, rules in (data.get("positions") or {}).items():
            for rule in rules if isinstance(rules, list) else [rules]:
                rows.append(_position_row(name, rule))
    for name, value in (data.get("fixed") or {}).items():
        rows.append(_row(FIXED, name, value))
    return {"kind": kind, "rows": rows, "options": _options(data, kind)}


def _row(rule, name, value, note=None, **extra) -> dict:
    row = {
        "rule": rule,
        "field": name,
        "value": value,
        "column_number": None,
        "where": None,
        "steps": 0,
        "nth": 0,
        "value_kind": None,
        "shape": None,
        "note": note,
    }
    row.update(extra)
    return row


def _column_row(rule, name, column) -> dict:
    if isinstance(column, int) and not isinstance(column, bool):
        return _row(rule, name, None, column_number=column + 1)
    return _row(rule, name, column)


def _position_row(name, rule: dict) -> dict:
    from .positions import describe

    where = rule.get("where")
    steps = rule.get("skip", 0) if where == "below" else rule.get("cells_after", 0)
    try:
        note = describe(rule)
    except (KeyError, TypeError):
        note = None
    return _row(
        POSITION,
        name,
        rule.get("label"),
        note=note,
        where=where,
        steps=steps,
        nth=rule.get("nth", 0),
        value_kind=rule.get("kind"),
        shape=rule.get("shape"),
    )


def _options(data: dict, kind) -> dict:
    options = {key: data.get(key, default) for key, default in COMMON_OPTIONS.items()}
    options["document_types"] = (
        "\n".join(
            f"{word} = {DOCUMENT_TYPE_LABELS.get(value, value)}"
            for word, value in (data.get("document_types") or {}).items()
        )
        or None
    )
    if kind == "csv":
        options.update({key: data.get(key, default) for key, default in KIND_OPTIONS["csv"].items()})
        if options["delimiter"] == "\t":
            options["delimiter"] = TAB_WORD
    elif kind == "pdf":
        lines = data.get("lines") if isinstance(data.get("lines"), dict) else {}
        options.update(
            {
                "keywords": "\n".join(data.get("keywords") or []) or None,
                "template_free_fallback": bool(data.get("template_free_fallback", False)),
                "lines_start": lines.get("start"),
                "lines_line": lines.get("line"),
                "lines_end": lines.get("end"),
                "lines_ignore": "\n".join(lines.get("ignore") or []) or None,
                "lines_continuation": bool(lines.get("description_continuation", False)),
            }
        )
    return options


# ----------------------------------------------------------------------------- rows -> JSON


def definition_from_rows(original: dict, rows: list[dict], options: dict) -> dict:
    """The format's JSON after editing: ``original`` with the parts the rows and options cover replaced.

    Keys the rows and options do not cover are kept as they were, and a
    field's alternatives stay a list if they were one.  The result is
    validated with ``load_format``; ``ExtractionError('invalid_format')``
    otherwise, naming the row (``row 3 (Quantity (item), item column)``)
    or the option at fault.
    """
    kind = original.get("kind")
    if kind not in RULES_OF_KIND:
        raise ExtractionError("invalid_format", f"a format of kind {kind!r} has no rows (only 'csv' and 'pdf')")
    data = copy.deepcopy(original)
    options = {**_options(original, kind), **(options or {})}
    _apply_options(data, original, kind, options)
    probe = SupplierFormat(
        name="probe",
        date_format=data.get("date_format"),
        decimal_separator=data.get("decimal_separator"),
        thousands_separator=data.get("thousands_separator"),
        document_types=data.get("document_types") or {},
    )
    grouped: dict[str, dict] = {rule: {} for rule in RULES_OF_KIND[kind]}
    for number, row in enumerate(rows, start=1):
        rule, name, value = _check_row(number, row, kind, probe, int(data.get("header_rows", 1) or 0))
        if rule in (COLUMN, LINE_COLUMN, FIXED) and name in grouped[rule]:
            raise _row_error(number, row, f"{field_label(name)} is already given by an earlier row")
        grouped[rule].setdefault(name, []).append(value)
    if kind == "csv":
        _set_mapping(data, original, "columns", {name: values[0] for name, values in grouped[COLUMN].items()})
        _set_mapping(data, original, "line_columns", {name: values[0] for name, values in grouped[LINE_COLUMN].items()})
    else:
        _set_mapping(data, original, "fields", _alternatives(grouped[PATTERN], original.get("fields") or {}))
        _set_mapping(data, original, "positions", _alternatives(grouped[POSITION], original.get("positions") or {}))
    _set_mapping(data, original, "fixed", {name: values[0] for name, values in grouped[FIXED].items()})
    load_format(data)  # what no single row shows: a CSV with no column at all, a PDF without keywords...
    return data


def new_definition(name: str, kind: str, rows: list[dict], options: dict | None = None) -> dict:
    """The JSON of a new format made from rows and options alone, for a person who never saw its JSON.

    The same checks as an edit (``definition_from_rows``), with what a
    blank format lacks said first, in the form's words: a name, a kind,
    at least one row, and for a PDF template the texts that recognise the
    supplier's documents.

    >>> new_definition("Stahl Süd", "csv", [{"rule": "column", "field": "invoice_number", "value": "Belegnr"}],
    ...                {"delimiter": ";"})
    {'name': 'Stahl Süd', 'kind': 'csv', 'delimiter': ';', 'columns': {'invoice_number': 'Belegnr'}}
    >>> try:
    ...     new_definition("Bolt", "pdf", [{"rule": "fixed", "field": "currency", "value": "EUR"}], {})
    ... except ExtractionError as exc:
    ...     print(exc.message[:39])
    give the keywords: texts found on every
    """
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        raise ExtractionError("invalid_format", "give the format a name")
    if kind not in RULES_OF_KIND:
        raise ExtractionError("invalid_format", "choose the kind of file: a CSV file or a PDF")
    if not rows:
        what = "a column" if kind == "csv" else "a pattern, a label"
        raise ExtractionError("invalid_format", f"add a row for each value to read: {what} or a value always the same")
    if kind == "pdf" and not _lines((options or {}).get("keywords")):
        raise ExtractionError(
            "invalid_format",
            "give the keywords: texts found on every document of this supplier (its name, its VAT number), one a line",
        )
    rows = [_row(row.get("rule"), row.get("field"), row.get("value"), **_row_extra(row)) for row in rows]
    return definition_from_rows({"name": name, "kind": kind}, rows, options or {})


def _row_extra(row: dict) -> dict:
    """A row's keys besides rule, field and value, for rows given with only some of them."""
    return {key: row[key] for key in _row(None, None, None) if key in row and key not in ("rule", "field", "value")}


def _row_error(number: int, row: dict, problem: str) -> ExtractionError:
    name = row.get("field")
    what = RULE_LABELS.get(row.get("rule"), "row").lower()
    label = f"{field_label(name)}, {what}" if name in HEADER_FIELDS or name in LINE_FIELDS else what
    return ExtractionError("invalid_format", f"row {number} ({label}): {problem}")


def _check_row(number: int, row: dict, kind: str, probe: SupplierFormat, header_rows: int):
    """``(rule, field, JSON value)`` of one row, or the error that names it."""
    rule, name = row.get("rule"), row.get("field")
    if rule not in RULES_OF_KIND[kind]:
        allowed = ", ".join(RULE_LABELS[r].lower() for r in RULES_OF_KIND[kind])
        raise _row_error(number, row, f"a {'CSV format' if kind == 'csv' else 'PDF template'} reads by {allowed}")
    known = {
        COLUMN: HEADER_FIELDS,
        LINE_COLUMN: LINE_FIELDS,
        PATTERN: HEADER_FIELDS,
        FIXED: FIXABLE_FIELDS,
    }
    if rule == POSITION:
        from .positions import FIELD_KINDS

        known[POSITION] = FIELD_KINDS
    if name not in known[rule]:
        fields = ", ".join(field_label(n) for n in known[rule])
        raise _row_error(number, row, f"choose a field among {fields}")
    value = row.get("value")
    value = value.strip() if isinstance(value, str) and rule != PATTERN else value
    if rule in (COLUMN, LINE_COLUMN):
        return rule, name, _check_column(number, row, value, header_rows)
    if rule == FIXED:
        if not value:
            raise _row_error(number, row, "give the value")
        if probe.read_value(name, value)[0] is None:
            raise _row_error(number, row, f"{value!r} cannot be read as {field_label(name).lower()}")
        return rule, name, value
    if rule == PATTERN:
        return rule, name, _check_pattern(number, row, value, need_group=True)
    return rule, name, _check_position(number, row, name, value)


def _check_column(number, row, title, header_rows):
    column_number = row.get("column_number")
    if title:
        if column_number:
            raise _row_error(number, row, "give the column's title or its number, not both")
        if header_rows == 0:
            raise _row_error(number, row, f"the file has no header row, so {title!r} names no column: give its number")
        return title
    if isinstance(column_number, bool) or not isinstance(column_number, int) or column_number < 1:
        raise _row_error(number, row, "give the column's title, or its number (1 for the first column)")
    return column_number - 1


def _check_pattern(number, row, pattern, need_group):
    if not isinstance(pattern, str) or not pattern:
        raise _row_error(number, row, "give the pattern (a regular expression)")
    try:
        compiled = re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        raise _row_error(number, row, f"{pattern!r} is not a valid regular expression: {exc}") from None
    if need_group and compiled.groups == 0:
        raise _row_error(number, row, "the pattern needs a group around the value: (?P<value>...) or (...)")
    return pattern


def _check_position(number, row, name, label):
    from .positions import FIELD_KINDS, KINDS, WHERE

    if not label:
        raise _row_error(number, row, "give the label's words as printed")
    where = row.get("where")
    if where not in WHERE:
        raise _row_error(number, row, "say where the value is: right of the label or below it")
    kind = row.get("value_kind") or FIELD_KINDS[name]
    if kind not in KINDS:
        raise _row_error(number, row, f"the value is a date, an amount, a reference or a text, not {kind!r}")
    rule = {"label": label, "where": where, "kind": kind}
    if row.get("shape"):
        rule["shape"] = _check_pattern(number, row, row["shape"], need_group=False)
    for key, value in (("cells_after" if where == "right" else "skip", row.get("steps")), ("nth", row.get("nth"))):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _row_error(number, row, f"{value!r} is no count of cells (0 or more)")
        if value:
            rule[key] = value
    return rule


def _alternatives(grouped: dict[str, list], original: dict) -> dict:
    """One value per field, or a list when there are several or the original kept a list."""
    return {
        name: values if len(values) > 1 or isinstance(original.get(name), list) else values[0]
        for name, values in grouped.items()
    }


def _set_mapping(data: dict, original: dict, key: str, mapping: dict) -> None:
    if mapping or key in original:
        data[key] = mapping
    if not mapping and original.get(key) in (None, {}):
        data.pop(key, None)


def _set_option(data: dict, original: dict, key: str, value, default) -> None:
    """Write an option; a value that means "not set" removes the key, unless the original wrote it out."""
    if value in (None, "") or value == default:
        if key in original and original[key] == (default if value in (None, "") else value):
            data[key] = original[key]
        else:
            data.pop(key, None)
        return
    data[key] = value


def _text(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else value


def _lines(value) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _apply_options(data: dict, original: dict, kind: str, options: dict) -> None:
    for key in ("description", "date_format", "decimal_separator"):
        _set_option(data, original, key, _text(options.get(key)), None)
    thousands = options.get("thousands_separator")  # "" is a stated "no thousands separator", None is unset
    if thousands is None:
        data.pop("thousands_separator", None)
    else:
        data["thousands_separator"] = thousands
    words = _document_types(options.get("document_types"))
    _set_option(data, original, "document_types", words or None, None)
    if kind == "csv":
        for key, default in KIND_OPTIONS["csv"].items():
            value = options.get(key)
            if key == "delimiter" and isinstance(value, str) and value.strip().casefold() in ("tab", "\\t"):
                value = "\t"
            elif key in ("delimiter", "quotechar") and isinstance(value, str) and value.strip():
                value = value if len(value) == 1 else value.strip()
            elif isinstance(value, str):
                value = _text(value)
            _set_option(data, original, key, value, default)
        return
    keywords = _lines(options.get("keywords"))
    if keywords:
        data["keywords"] = keywords
    else:
        data.pop("keywords", None)
    _set_option(data, original, "template_free_fallback", bool(options.get("template_free_fallback")), False)
    table = {
        "start": options.get("lines_start") or None,
        "line": options.get("lines_line") or None,
        "end": options.get("lines_end") or None,
        "ignore": _lines(options.get("lines_ignore")),
        "description_continuation": bool(options.get("lines_continuation")),
    }
    if not (table["start"] or table["line"] or table["end"] or table["ignore"]):
        data.pop("lines", None)
        return
    before = original.get("lines") if isinstance(original.get("lines"), dict) else {}
    lines = {key: value for key, value in before.items() if key not in table}  # keys a later engine adds
    for key, value in table.items():
        if value not in (None, [], False) or key in before and before[key] == value:
            lines[key] = value
    data["lines"] = lines


def _document_types(text) -> dict:
    """``{"RE": "invoice"}`` from lines ``RE = Invoice``; an unreadable line is refused, naming it."""
    names = {}
    for key, label in DOCUMENT_TYPE_LABELS.items():
        names[label.casefold()] = key
        names[key.casefold()] = key
        names[key.replace("_", " ").casefold()] = key
    words = {}
    for line in _lines(text):
        word, sep, kind = line.rpartition("=")
        if not sep or not word.strip() or kind.strip().casefold() not in names:
            choices = " or ".join(DOCUMENT_TYPE_LABELS.values())
            raise ExtractionError(
                "invalid_format",
                f"document type words: write {line!r} as 'WORD = {choices.split(' or ')[0]}' ({choices})",
            )
        words[word.strip()] = names[kind.strip().casefold()]
    return words
