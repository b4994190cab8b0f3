r"""A supplier's PDF layout learned from one bill whose values a person confirmed.

A supplier sends the same layout every month; after one bill is confirmed
(its number, dates, total... as the user checked them), the next bills of
that supplier should be read through that layout without anyone writing a
template.  ``learn_format`` finds each confirmed value in the document's text
(dates in any printed form, amounts in any locale's marks), records what
anchors it, and writes an ordinary PDF template (``formats.PdfTemplate``),
readable and editable like a hand-written one:

* the label words that introduce the value, left of it on the same line
  (``Rechnungsnummer 471102``) or on a line above it (a column title over
  its cell, ``TOTAL TTC`` over the totals row), kept literally;
* the value's printed shape, not the value: ``RE-2024-0117`` becomes
  ``[A-Z]+-\d+-\d+``, ``1.234,56`` becomes a comma-decimal amount, a date
  keeps its order and separators; words between label and value that carry
  digits (another amount on the same row) become "a token with digits";
* never a line number or a coordinate: the number of item lines changes
  from one bill to the next, the labels do not.

Each candidate rule is checked against the confirmed document itself: it is
kept only when its first match there reads exactly the confirmed value, and
the simplest such rule wins (nearest label, fewest words).  The supplier's
name, VAT number and the currency are stored as ``fixed`` values and their
printed forms as the template's ``keywords``; the ``learned`` block says
where the format came from, which documents taught it, and in plain words
what each rule looks for.  A learned template reads what it can and leaves
the rest to the template-free reader (``template_free_fallback``).

Learning again from another bill of the same supplier (``previous``) keeps
the rules that read that bill right too, drops those that read it wrong,
and adds the new bill's own rule as an alternative: a field of a learned
template may hold a list of regexes, tried in order.

>>> values = {"invoice_number": "RE-7", "issue_date": "2024-03-05", "amount_total": "1234.50"}
>>> page = "ACME GmbH\nRechnung Nr. RE-7\nDatum: 05.03.2024\nGesamt EUR 1.234,50\n"
>>> fmt, report = learn_format([page], values, name="ACME")
>>> fmt.fields["invoice_number"], report["explain"]["issue_date"]
('(?<!\\w)Rechnung[ \\t]+Nr\\.[ \\t]*(?<!\\w)(?P<value>[A-Z]+-\\d+)(?!\\w)', 'right of "Datum:"')
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import ExtractionError
from .formats import PdfTemplate, load_format
from .limits import Deadline, Limits, check_file_size, read_capped
from .values import MONTHS, find_dates, parse_amount, parse_currency

# Field kinds of the confirmed values.
TEXT, DATE, AMOUNT = "text", "date", "amount"
LOCATED_FIELDS = {
    "invoice_number": TEXT,
    "issue_date": DATE,
    "due_date": DATE,
    "amount_total": AMOUNT,
    "amount_untaxed": AMOUNT,
    "amount_tax": AMOUNT,
    "po_reference": TEXT,
}
VALUE_KEYS = tuple(LOCATED_FIELDS) + ("currency", "supplier")
SUPPLIER_KEYS = ("name", "vat")

MAX_LABEL_WORDS = 4  # label words kept left of a value on its line
MAX_LINES_ABOVE = 4  # how far above a value its column title may be
MAX_CONTEXT_TOKENS = 2  # tokens with digits between the line start of a cell and its value
MAX_ALTERNATIVES = 3  # regexes kept per field when a format is learned from several bills
MAX_PHRASE_WORDS = 3

# Word stems of labels that date something else than the field (en, de, fr, nl, es, it): when a
# confirmed date is printed twice (issued and delivered the same day), the label that does not
# name another event is the one to learn.  A tie-breaker only: a rule is first checked to read
# the confirmed value.
OTHER_EVENT_STEMS = _OTHER_EVENT = (
    "deliver", "liefer", "livraison", "lever", "entrega", "consegna", "order", "bestell", "commande",
    "bestel", "pedido", "ordine", "leistung", "prestation", "period", "zeitraum", "période", "periodo",
    "service", "ship", "versand", "expédition", "envío", "spedizione",
)  # fmt: skip
PAYMENT_STEMS = _PAYMENT = (
    "due", "fällig", "faellig", "échéance", "echeance", "verval", "vencim", "scadenz", "pay", "zahl",
    "paiement", "payer", "régler", "betal", "pago", "pagament", "überweis", "remit",
)  # fmt: skip
_SEP = r"[ \t]+"
_SPECIAL = set(".^$*+?{}[]\\|()")
_OPT_SEP = r"[ \t]*"
_DIGIT_TOKEN = r"\S*\d\S*"


@dataclass
class _Rule:
    """One way to find a value: a regex and how it reads in words; ``rank`` orders the simplest first.

    ``anchor`` is the regex of its label alone (how often it occurs tells a
    real label from a common word); ``span`` is where the rule read the value,
    ``in_sentence`` whether a sentence quotes it there (``in_sentence``).
    """

    regex: str
    explain: str
    rank: tuple
    anchor: str = ""
    span: tuple[int, int] = (0, 0)
    in_sentence: bool = False


# ----------------------------------------------------------------------------- the confirmed values


def check_values(values) -> dict:
    """The confirmed values, typed: ``{field: str | date | Decimal | None, "supplier": {"name", "vat"}}``.

    Raises ``invalid_values`` naming the key for anything that is not what
    the pivot says (an unknown key, a number where text belongs, a date not
    written YYYY-MM-DD, an amount that is no number, a currency that is no
    three-letter code).
    """
    if not isinstance(values, dict):
        raise ExtractionError("invalid_values", "the confirmed values must be a JSON object")
    unknown = [key for key in values if key not in VALUE_KEYS]
    if unknown:
        raise ExtractionError(
            "invalid_values", f"unknown key {unknown[0]!r} in the values; known keys: {', '.join(VALUE_KEYS)}"
        )
    typed: dict = {}
    for key, kind in LOCATED_FIELDS.items():
        raw = values.get(key)
        typed[key] = None if raw is None else _typed(key, kind, raw)
    currency = values.get("currency")
    if currency is not None:
        if not isinstance(currency, str) or not re.fullmatch(r"[A-Za-z]{3}", currency.strip()):
            raise ExtractionError(
                "invalid_values", f"'currency' must be a three-letter code such as 'EUR', not {currency!r}"
            )
        currency = currency.strip().upper()
    typed["currency"] = currency
    supplier = values.get("supplier")
    if supplier is None:
        supplier = {}
    if not isinstance(supplier, dict):
        raise ExtractionError("invalid_values", "'supplier' must be an object with 'name' and 'vat', or null")
    for key in supplier:
        if key not in SUPPLIER_KEYS:
            raise ExtractionError("invalid_values", f"unknown key {key!r} in 'supplier'; known keys: name, vat")
    typed["supplier"] = {}
    for key in SUPPLIER_KEYS:
        raw = supplier.get(key)
        if raw is not None and (not isinstance(raw, str) or not raw.strip()):
            raise ExtractionError("invalid_values", f"'supplier.{key}' must be a non-empty string or null, not {raw!r}")
        typed["supplier"][key] = raw.strip() if raw else None
    return typed


def _typed(key: str, kind: str, raw):
    if kind == TEXT:
        if not isinstance(raw, str) or not raw.strip():
            raise ExtractionError("invalid_values", f"{key!r} must be a non-empty string or null, not {raw!r}")
        return raw.strip()
    if kind == DATE:
        try:
            return dt.date.fromisoformat(raw) if isinstance(raw, str) else _fail_date(key, raw)
        except ValueError:
            return _fail_date(key, raw)
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise ExtractionError("invalid_values", f'{key!r} must be an amount such as "1234.50", not {raw!r}')
    try:
        return Decimal(str(raw).strip())
    except InvalidOperation:
        raise ExtractionError("invalid_values", f'{key!r} must be an amount such as "1234.50", not {raw!r}') from None


def _fail_date(key, raw):
    raise ExtractionError("invalid_values", f"{key!r} must be a date written YYYY-MM-DD, not {raw!r}")


# ----------------------------------------------------------------------------- reading the document


def document_pages(data: bytes, filename: str | None = None, limits: Limits | None = None) -> PageTexts:
    """The text of each page as the template reader will see it: PDF text layer, OCR for pages without one.

    The list also carries the pages' positioned words (``PageTexts.layout``).

    Raises the reader's own errors (``corrupt_pdf``, ``no_text``...) and
    ``unsupported_file`` for a CSV or XML: those carry their values in
    columns or elements, there is no layout to learn.
    """
    from . import sniff as sniffing

    limits = limits or Limits()
    check_file_size(data, limits)
    deadline = Deadline(limits.max_seconds)
    kind = sniffing.sniff(data, filename)
    # the same page texts and words as extract.py reads a template against: OCR words laid out by reading.py
    if kind == sniffing.IMAGE:
        from .reading import image_layout

        layout = image_layout(data, limits=limits, deadline=deadline)
        pages = layout.page_texts()
    elif kind == sniffing.PDF:
        from .extract import MIN_TEXT_CHARS_PER_PAGE
        from .pdf import open_pdf
        from .reading import pdf_layout

        with open_pdf(data, limits=limits, deadline=deadline) as doc:
            pages = doc.pages_text()
            scanned = [i for i, text in enumerate(pages) if len(text.strip()) < MIN_TEXT_CHARS_PER_PAGE]
            layout = pdf_layout(doc, data, scanned, limits=limits, deadline=deadline, texts=pages)
            if scanned:
                ocr_texts = layout.page_texts()
                for index in scanned:
                    pages[index] = ocr_texts[index]
    else:
        raise ExtractionError(
            "unsupported_file", "a layout is learned from a PDF or a scan; CSV and XML files need no layout"
        )
    if not any(page.strip() for page in pages):
        raise ExtractionError("no_text", "no text could be read from the document, not even by OCR")
    return PageTexts(pages, layout)


class PageTexts(list):
    """The page texts (a list of str, as before) carrying the document's positioned words as ``layout``.

    ``learn_format`` learns positional rules from ``layout`` when it is
    there, so a caller that passes ``document_pages``' result on (Odoo's
    learning on confirmation) gets them without a change of interface.
    """

    def __init__(self, pages, layout=None):
        super().__init__(pages)
        self.layout = layout


# ----------------------------------------------------------------------------- learning


def learn_file(path, values_path, out_path, name: str | None = None, update=None, limits: Limits | None = None) -> dict:
    """The CLI's ``learn``: read the file and the values, learn, write the format as indented JSON.

    Returns ``{"name", "fields": {field: how it is found}, "positions":
    {field: what its positional rule looks for}, "fixed": [keys],
    "not_found": [fields], "kept": [fields]}``; raises ExtractionError for
    a missing or unreadable file, bad values JSON, values not found, or an
    output that cannot be written.
    """
    import json
    from pathlib import Path

    path, values_path, out_path = Path(path), Path(values_path), Path(out_path)
    data = read_capped(str(path), (limits or Limits()).max_file_bytes)
    try:
        values = json.loads(values_path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ExtractionError("invalid_values", f"no such values file: {values_path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtractionError("invalid_values", f"cannot read the values file {values_path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ExtractionError("invalid_values", f"{values_path} is not valid JSON: {exc}") from None
    check_values(values)
    previous = load_format(str(update)) if update else None
    pages = document_pages(data, path.name, limits)
    template, report = learn_format(pages, values, name=name, document=path.name, previous=previous)
    text = json.dumps(template.to_dict(), indent=2, ensure_ascii=False) + "\n"
    try:
        out_path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExtractionError("output_error", f"cannot write {out_path}: {exc.strerror or exc}") from None
    return {
        "name": template.name,
        "fields": report["explain"],
        "positions": (template.learned or {}).get("positions", {}),
        "fixed": sorted(template.fixed),
        "not_found": report["not_found"],
        "kept": report["kept"],
    }


def learn_format(
    pages: list[str],
    values,
    name: str | None = None,
    document: str | None = None,
    previous: PdfTemplate | dict | None = None,
    layout=None,
) -> tuple[PdfTemplate, dict]:
    """A learned PDF template for the confirmed ``values`` of the document whose page texts are ``pages``.

    Returns ``(template, report)``; the report is ``{"explain": {field: str},
    "not_found": [field], "kept": [field]}``: how each field is found, the
    confirmed values the page does not print (left to the template-free
    reader), and the fields whose rule from ``previous`` still held.
    ``layout`` (``layout.Layout``, by default ``pages.layout`` when
    ``pages`` comes from ``document_pages``) adds positional rules
    (``positions.py``): the label's words and where the value lies from them.
    Raises ``invalid_values`` for malformed values and ``values_not_found``
    when none of the values to locate is printed in the document.
    """
    typed = check_values(values)
    text = "\n".join(pages)
    prior = _as_template(previous)
    fields: dict[str, list[str]] = {}
    explain: dict[str, str] = {}
    not_found, kept = [], []
    separators = _separators(text, typed, prior)
    date_format = _date_format(text, typed, prior)
    reader = PdfTemplate(
        name="probe", decimal_separator=separators[0], thousands_separator=separators[1], date_format=date_format
    )
    wanted = [(key, LOCATED_FIELDS[key], value) for key, value in typed.items() if key in LOCATED_FIELDS and value]
    claimed: set[tuple[int, int]] = set()  # where the rules chosen so far read their values
    doubted = set(prior.learned.get("in_sentence", [])) if prior and prior.learned else set()
    in_sentence: set[str] = set()
    for key, kind, value in wanted:
        old = _old_regexes(prior, key)
        good = [regex for regex in old if _reads(reader, key, regex, text, value) is True]
        silent = [regex for regex in old if _reads(reader, key, regex, text, value) is None]
        # a rule that still reads right stays, unless it reads a sentence and this bill has a plain label
        rule = None if good and key not in doubted else _best_rule(text, key, kind, value, reader, claimed)
        if good and rule is not None and rule.in_sentence:
            rule = None
        if rule is not None:
            claimed.add(rule.span)
        if good:
            kept.append(key)
            explain[key] = _old_explain(prior, key) or "as learned before"
            if key in doubted and rule is None:
                in_sentence.add(key)
        if rule is None and not good:
            not_found.append(key)
            if silent:
                fields[key] = silent[:MAX_ALTERNATIVES]
                explain[key] = _old_explain(prior, key) or "as learned before"
                in_sentence.update(doubted & {key})
            continue
        regexes = ([rule.regex] if rule else []) + good + silent
        fields[key] = regexes[:MAX_ALTERNATIVES]
        if rule is not None:
            explain[key] = rule.explain
            if rule.in_sentence:
                in_sentence.add(key)
    layout = layout if layout is not None else getattr(pages, "layout", None)
    positions = _positions(layout, typed, prior, date_format, separators[0])
    for key in list(not_found):
        if key in positions:
            not_found.remove(key)
            explain[key] = _describe(positions[key][0])
    if wanted and len(not_found) == len(wanted) and not kept:
        missing = ", ".join(f"{key} {value}" for key, _kind, value in wanted)
        raise ExtractionError("values_not_found", f"none of the confirmed values is printed in the document: {missing}")
    # fields learned before and not confirmed this time stay as they were
    confirmed = {key for key, _kind, _value in wanted}
    for key in prior.fields if prior else ():
        if key not in fields and key not in confirmed:
            fields[key] = _old_regexes(prior, key)
            explain.setdefault(key, _old_explain(prior, key) or "as learned before")
    fixed, keywords = _fixed_and_keywords(text, typed, prior)
    if not keywords:
        keywords = _fallback_keywords(fields, explain)
    documents = list(prior.learned.get("documents", [])) if prior and prior.learned else []
    if document and document not in documents:
        documents.append(document)
    label = name or (prior.name if prior else None) or typed["supplier"].get("name") or "Learned layout"
    learned = {
        "documents": documents,
        "fields": {key: explain[key] for key in fields if key in explain},
        "fixed": sorted(fixed),
    }
    if positions:
        learned["positions"] = {key: _describe(rules[0]) for key, rules in positions.items()}
    if not_found:
        learned["not_printed"] = sorted(not_found)
    if in_sentence:
        learned["in_sentence"] = sorted(in_sentence)
    data = {
        "name": label,
        "kind": "pdf",
        "description": (
            "Layout learned from confirmed bills; edit any rule, or delete it to let the template-free reader "
            "read that field"
        ),
        "keywords": keywords,
        "fixed": fixed,
        "template_free_fallback": True,
        "learned": learned,
        "fields": {key: regexes[0] if len(regexes) == 1 else regexes for key, regexes in fields.items()},
    }
    if positions:
        data["positions"] = {key: rules[0] if len(rules) == 1 else rules for key, rules in positions.items()}
    for key, value in (("date_format", date_format), ("decimal_separator", separators[0])):
        if value:
            data[key] = value
    if separators[0] and separators[1] is not None:
        data["thousands_separator"] = separators[1]
    template = load_format(data)
    return template, {"explain": learned["fields"], "not_found": sorted(not_found), "kept": kept}


def _positions(layout, typed: dict, prior: PdfTemplate | None, date_format, decimal) -> dict[str, list[dict]]:
    """Positional rules per field: the previous ones that read this document right, else this document's own.

    Returns ``{field: [rule, ...]}`` (at most ``MAX_ALTERNATIVES``).  A
    previous rule that reads another value here is dropped; one that finds
    nothing stays behind the new one (the layout may vary between bills).
    """
    from .positions import FIELD_KINDS, learn_positions, read_position
    from .positions import _same as same_value

    rules: dict[str, list[dict]] = {}
    if layout is None:
        for key in FIELD_KINDS:
            if prior and prior.position_rules(key):
                rules[key] = prior.position_rules(key)
        return rules
    wanted = {key: typed[key] for key in FIELD_KINDS if typed.get(key) is not None}
    wanted.update(_supplier_as_printed(layout, typed["supplier"]))
    new = learn_positions(layout, wanted, date_format, decimal)
    for key, kind in FIELD_KINDS.items():
        old = prior.position_rules(key) if prior else []
        if key not in wanted:
            if old:
                rules[key] = old
            continue
        readings = [read_position(layout, rule, date_format, decimal) for rule in old]
        good = [rule for rule, got in zip(old, readings, strict=True) if same_value(got, wanted[key], kind)]
        silent = [rule for rule, got in zip(old, readings, strict=True) if got is None]
        chosen = good + ([new[key]] if key in new and not good else []) + silent
        if chosen:
            rules[key] = chosen[:MAX_ALTERNATIVES]
    return rules


def _supplier_as_printed(layout, supplier: dict) -> dict[str, str]:
    """``{"supplier_name", "supplier_vat": the confirmed value as the page prints it}``, for those it prints.

    A VAT number is confirmed without spaces and often printed in groups
    (``FR 32 123 456 789``): the rule learns the printed shape, so the value
    to find is the printed one.  A value the page does not print gets no rule.
    """
    text = "\n".join(line.text for line in layout.lines)
    printed = {}
    for key, value in (("supplier_name", supplier.get("name")), ("supplier_vat", supplier.get("vat"))):
        if value:
            spans = _occurrences(text, TEXT, value if key == "supplier_name" else "".join(value.split()).upper())
            if spans:
                printed[key] = text[spans[0][0] : spans[0][1]]
    return printed


def _describe(rule: dict) -> str:
    from .positions import describe

    return describe(rule)


def _as_template(previous) -> PdfTemplate | None:
    if previous is None:
        return None
    template = previous if isinstance(previous, PdfTemplate) else load_format(previous)
    if not isinstance(template, PdfTemplate):
        raise ExtractionError(
            "invalid_format", f"format {template.name!r} is a {template.kind} format, not a PDF layout"
        )
    return template


def _old_regexes(prior: PdfTemplate | None, key: str) -> list[str]:
    if prior is None or key not in prior.fields:
        return []
    regexes = prior.fields[key]
    return list(regexes) if isinstance(regexes, list) else [regexes]


def _old_explain(prior: PdfTemplate | None, key: str) -> str | None:
    if prior is None or not prior.learned:
        return None
    return prior.learned.get("fields", {}).get(key)


def _reads(reader: PdfTemplate, key: str, regex: str, text: str, value) -> bool | None:
    """True when the regex's first match reads ``value``, False when it reads another, None when it finds nothing."""
    match = _first_match(regex, text)
    if match is None:
        return None
    raw = match.group("value") if "value" in match.re.groupindex else match.group(1)
    return _same(reader, key, raw, value)


def _first_match(regex: str, text: str) -> re.Match | None:
    try:
        return re.search(regex, text, re.MULTILINE)
    except re.error:
        return None


def _same(reader: PdfTemplate, key: str, raw, value) -> bool:
    name = "amount_total" if LOCATED_FIELDS[key] == AMOUNT else key
    got, _note = reader.read_value(name, raw)
    if got is None:
        return False
    if LOCATED_FIELDS[key] == AMOUNT:
        return abs(got) == abs(value)
    if LOCATED_FIELDS[key] == TEXT:
        return _squeeze(got) == _squeeze(value)
    return got == value


def _squeeze(text: str) -> str:
    return "".join(str(text).split()).casefold()


# ----------------------------------------------------------------------------- where a value is printed


def _occurrences(text: str, kind: str, value) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of ``text`` where the value is printed, left to right."""
    if kind == TEXT:
        flexible = r"[ \t]?".join(re.escape(ch) for ch in value if not ch.isspace())
        for pattern in (re.escape(value), flexible):
            spans = [m.span() for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", text)]
            if spans:
                return spans
        return []
    if kind == DATE:
        spans = set()
        for dayfirst in (True, False):
            spans.update((s, e) for s, e, found in find_dates(text, dayfirst=dayfirst) if found == value)
        return sorted(spans)
    spans = set()
    for pattern in _AMOUNT_TOKENS:
        for match in pattern.finditer(text):
            amount = parse_amount(match.group(0))
            if is_percentage(text, match.end()):
                continue
            if amount is not None and abs(amount) == abs(value):
                spans.add(match.span())
    return sorted(spans)


def is_percentage(text: str, end: int) -> bool:
    """Whether the number ending at ``end`` is a rate (``20 %``, ``19%``): a percentage is never an amount."""
    return text[end : end + 2].lstrip(" \t\u00a0").startswith("%")


_AMOUNT_TOKENS = (
    re.compile(r"(?<![\d.,])-?\d{1,3}(?:([.,'])\d{3})(?:\1\d{3})*(?:[.,]\d{1,4})?(?![\d]|[.,]\d)"),
    re.compile(r"(?<![\d.,])-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d{1,4})?(?![\d]|[.,]\d)"),
    re.compile(r"(?<![\d.,])-?\d+(?:[.,]\d{1,4})?(?![\d]|[.,]\d)"),
)


# ----------------------------------------------------------------------------- shapes of values


def _text_shape(value: str) -> str:
    r"""The printed form of a reference with each run of digits or letters generalised.

    >>> _text_shape("RE-2024/0117"), _text_shape("F20180027")
    ('[A-Z]+-\\d+/\\d+', '[A-Z]+\\d+')
    """
    parts = []
    for run in re.finditer(r"\d+|[A-Z]+|[a-z]+|[^\W\d_]+|\s+|.", value):
        token = run.group(0)
        if token.isdigit():
            parts.append(r"\d+")
        elif token.isspace():
            parts.append(r"[ \t]?")
        elif re.fullmatch(r"[A-Z]+", token):
            parts.append("[A-Z]+")
        elif re.fullmatch(r"[a-z]+", token):
            parts.append("[a-z]+")
        elif token.isalpha():
            parts.append(r"[^\W\d_]+")
        else:
            parts.append(_escape(token))
    return "".join(parts)


def _date_shape(printed: str) -> str:
    parts = []
    for run in re.finditer(r"\d+|[^\W\d_]+\.?|\s+|.", printed):
        token = run.group(0)
        if token.isdigit():
            parts.append(r"\d{4}" if len(token) == 4 else r"\d{1,2}" if len(token) <= 2 else rf"\d{{{len(token)}}}")
        elif token.isspace():
            parts.append(r"\s+")
        elif token[0].isalpha():
            parts.append(r"[^\W\d_]+\.?")
        else:
            parts.append(_escape(token))
    return "".join(parts)


def _amount_shape(printed: str) -> str:
    """A number written with the same decimal mark and decimals as ``printed`` (any grouping of thousands)."""
    digits = printed.lstrip("-")
    decimal = re.search(r"([.,])(\d{1,4})$", digits)
    if decimal and not re.fullmatch(r"\d{1,3}([.,])\d{3}", digits):
        mark, places = decimal.group(1), len(decimal.group(2))
        groups = "[,' \u00a0]" if mark == "." else "[.' \u00a0]"
        tail = _escape(mark) + rf"\d{{{places}}}"
    else:
        groups, tail = "[.,' \u00a0]", ""
    if re.search(r"\d[ \u00a0]\d", digits):
        number = rf"\d{{1,3}}(?:{groups}\d{{3}})*"
    else:
        number = rf"\d{{1,3}}(?:{groups.replace(' ', '').replace(chr(0xA0), '')}\d{{3}})+|\d+"
    return rf"-?(?:{number}){tail}"


def _shape(kind: str, printed: str) -> str:
    if kind == TEXT:
        return _text_shape(printed)
    if kind == DATE:
        return _date_shape(printed)
    return _amount_shape(printed)


_BOUNDARY_BEFORE = {TEXT: r"(?<!\w)", DATE: r"(?<!\d)", AMOUNT: r"(?<![\d.,])"}
# an amount is never a percentage: "VAT 20 %" holds a rate, not a tax of 20
_BOUNDARY_AFTER = {TEXT: r"(?!\w)", DATE: r"(?!\d)", AMOUNT: r"(?![\d]|[.,]\d|[ \t]?%)"}


def _escape(text: str) -> str:
    """``re.escape`` for readers: only the characters that mean something in a regex are escaped."""
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def _is_label(token: str) -> bool:
    """A word a label is made of: letters, maybe punctuation, no digit (``N°``, ``Date:``, ``Total``).

    A month's name is part of a date printed before the value (``2 augustus 2026``), not a label.
    """
    if re.search(r"\d", token) or not re.search(r"[^\W\d_]", token):
        return False
    return not is_month(token)


def is_month(word: str) -> bool:
    """Whether the word is a month's name or its abbreviation (en, de, fr, nl, es, it), punctuation aside."""
    return re.sub(r"[\W\d_]", "", word).casefold() in MONTHS


def _token_regex(token: str) -> str:
    return _DIGIT_TOKEN if re.search(r"\d", token) else _escape(token)


def _joined(tokens: list[str]) -> str:
    return _SEP.join(_token_regex(token) for token in tokens)


def _quote(tokens: list[str]) -> str:
    return '"' + " ".join(token if _is_label(token) or not re.search(r"\d", token) else "…" for token in tokens) + '"'


# ----------------------------------------------------------------------------- candidate rules


def _best_rule(text: str, key: str, kind: str, value, reader: PdfTemplate, claimed=frozenset()) -> _Rule | None:
    """The simplest rule whose first match in ``text`` reads ``value``; None when the value is not printed.

    Simplest: a label on the value's line before one above it; on the
    line, no word with digits, no label shorter than four letters, fewer
    words first; above, a title printed once first, then the nearest.  A
    rule that reads the very place another field's rule reads (an issue
    and a due date on the same day) comes last: it would be that field's
    label, not this one's.
    """
    lines = text.split("\n")
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    best = None
    seen = set()
    counts: dict[str, int] = {}

    def first_line(phrase: str) -> int:
        """The line where a title's words first appear: a title seen earlier would be matched there first."""
        found = text.find(phrase)
        return _line_index(starts, found) if found >= 0 else -1

    for start, end in _occurrences(text, kind, value):
        index = _line_index(starts, start)
        line = lines[index]
        column = start - starts[index]
        printed = text[start:end]
        value_regex = f"(?P<value>{_shape(kind, printed)}){_BOUNDARY_AFTER[kind]}"
        for variants in _candidates(lines, index, column, value_regex, _BOUNDARY_BEFORE[kind], first_line):
            if best is not None and best.rank[:4] == (False, False, False, 0) and variants[0].rank[0] == 1:
                break  # a plain label on the value's line beats any title above it
            for rule in variants:  # simplest first: the first that reads right is the group's best
                if rule.regex in seen:
                    continue
                seen.add(rule.regex)
                match = _first_match(rule.regex, text)
                if match is None or not _same(reader, key, match.group("value"), value):
                    continue
                if rule.anchor not in counts:
                    counts[rule.anchor] = len(re.findall(rule.anchor, text))
                rule.span = match.span("value")
                rule.in_sentence = in_sentence(text, *rule.span)
                elsewhere = _names_other_event(key, rule.explain)
                common = counts[rule.anchor] > 1
                # a label on the value's line: fewer words first (an address word before a label is no label);
                # a title above: one printed once first (any word of a title line would do otherwise)
                order = (*rule.rank[1:], common) if rule.rank[0] == 0 else (common, *rule.rank[1:])
                rule.rank = (rule.span in claimed, elsewhere, rule.in_sentence, rule.rank[0], *order)
                if best is None or rule.rank < best.rank:
                    best = rule
                break
    return best


def in_sentence(text: str, start: int, end: int) -> bool:
    """Whether the value at ``text[start:end]`` is quoted in a sentence (``quoted_in_sentence``).

    The value's cell is the stretch of its line between wide gaps: the words
    of a cell before it on the line are another field's.
    """
    before = re.split(r"[ \t]{2,}|\t", text[text.rfind("\n", 0, start) + 1 : start])[-1]
    return quoted_in_sentence(before, text[end:].split("\n", 1)[0])


def quoted_in_sentence(before: str, after: str) -> bool:
    """Whether a value between the words ``before`` and ``after`` it in its cell is quoted in running text.

    "Wir buchen zur Fälligkeit 06.12.2013 den Beitrag ab", "payable by
    04.04.2024 to our account": words in lower case go on after the value,
    and the next bill may print the same sentence about another date (the
    next instalment) or not at all.  A field's value ends its cell, or the
    next cell starts with a label of its own ("Due date 04.04.2024 Customer
    K-12"), written with a capital; nor is an amount's currency written out
    ("238.00 euros incl. VAT") a sentence's.  One linking word or a number
    after the value ("Rechnung Nr. 471102 vom 05.03.2020") is a title's, unless
    running text leads to the label ("Rechnung gemäß Bestellung Nr.
    2018-471331 vom 01.03.2018", "Payable within 30 days net by 04.04.2020,
    2% discount ...": a word in lower case before the label's two words),
    and a cell that starts in lower case ("am 06.12.2013", under "... für
    den Zeitraum vom 06.12.2013 bis zum 06.12.2014") is a sentence going on
    from the line above: its first word is no label.
    This one notion serves the text rules (``in_sentence``) and the
    positional ones (``positions``).
    """
    lead = before.split()
    if lead and re.fullmatch(r"[^\W\d_]{2,}", lead[0]) and lead[0].islower() and not before.rstrip().endswith(":"):
        return True  # a label written in lower case still ends with its colon ("invoice date: 05.03.2024")
    words = re.match(r"[ \t]*[,;]?((?:[ \t]*[^\W\d_]{2,}[.,;:]?(?![\w]))*)", after).group(1).split()
    if words and len(words[0]) > 3 and parse_currency(words[0].rstrip(".,;:")):
        words = words[1:]  # a currency's name, not a code: "den" is a word
    if not after.strip() or words and (not words[0][0].islower() or words[0].endswith(".")):
        return False  # the value ends its cell, or a label follows; an abbreviation ("incl. VAT") is a label's
    if len(words) >= 2:
        return True
    return any(re.fullmatch(r"[^\W\d_]{2,}[.,;:]?", word) and word[0].islower() for word in lead[:-2])


def _names_other_event(key: str, explain: str) -> bool:
    """Whether a date's label words name another event than the field's (a delivery date for the issue date)."""
    if LOCATED_FIELDS[key] != DATE:
        return False
    words = explain.casefold()
    stems = _OTHER_EVENT + (_PAYMENT if key == "issue_date" else ())
    return any(stem in words for stem in stems)


def _line_index(starts: list[int], position: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= position:
            low = middle
        else:
            high = middle - 1
    return low


def _candidates(lines: list[str], index: int, column: int, value_regex: str, boundary: str, first_line):
    """Rules for the value at ``column`` of line ``index``: its label to the left, then a title above it.

    Yields lists of variants of one label, simplest first (one per label on
    the value's line; for a title above, the value alone, then with the
    numbers before it on its row, then also at the end of its row).

    ``boundary`` keeps the value from starting inside a longer token; after
    a required space it is implied and left out, for legibility.
    ``first_line(words)`` is the line where these words first occur: a
    title printed earlier too would be found there first, so it is skipped
    without compiling its regexes (the learning's cost is in compiling).
    """
    line = lines[index]
    left = line[:column]
    tokens = left.split()
    glued = bool(left) and not left[-1].isspace()
    joint = _OPT_SEP if glued or (tokens and not tokens[-1][-1].isalnum()) else _SEP
    for count in range(1, min(MAX_LABEL_WORDS, len(tokens)) + 1):
        words = tokens[-count:]
        if not _is_label(words[0]) or not any(len(re.sub(r"\W", "", w)) >= 2 for w in words if _is_label(w)):
            continue
        shapes = sum(1 for w in words if not _is_label(w) and re.search(r"\d", w))
        anchor = rf"(?<!\w){_joined(words)}"
        glue = joint if joint == _SEP else joint + boundary
        short = sum(len(re.sub(r"\W", "", w)) for w in words) < 4
        rank = (0, shapes, short, count)
        yield [_Rule(anchor + glue + value_regex, f"right of {_quote(words)}", rank, anchor)]
    # the value's own line: the tokens with digits just before it, and whether it ends the line
    context_options = [[]]
    for size in range(1, MAX_CONTEXT_TOKENS + 1):
        if len(tokens) >= size and all(not _is_label(t) for t in tokens[-size:]):
            context_options.append(tokens[-size:])
    ends_line = not line[column:].split(maxsplit=1)[1:] if line[column:].strip() else False
    where_value = column / max(1, len(line))
    for distance in range(1, min(MAX_LINES_ABOVE, index) + 1):
        above_line = lines[index - distance]
        above = above_line.split()
        for phrase, start in _phrases(above, above_line):
            if first_line(" ".join(phrase)) != index - distance:
                continue
            # columns keep their order in the text: a title over a cell starts about as far along its line
            misalign = round(abs(start / max(1, len(above_line)) - where_value), 1)
            variants = []
            for context in context_options:
                for at_end in (False, True) if ends_line else (False,):
                    prefix = rf"[^\n]*?(?<!\S){_joined(context)}{_SEP}" if context else r"[^\n]*?" + boundary
                    between = rf"[^\n]*(?:\n[^\n]*){{0,{distance + 1}}}?\n" if distance > 1 else r"[^\n]*\n"
                    regex = rf"(?<!\w){_joined(phrase)}{between}{prefix}{value_regex}"
                    if at_end:
                        regex += r"[ \t]*$"
                    where = "the line below" if distance == 1 else f"{distance} lines below"
                    words = f"{_quote(phrase)}, on {where}"
                    if context:
                        words += f", after {len(context)} number{'s' if len(context) > 1 else ''}"
                    if at_end:
                        words += ", at the end of its line"
                    short = sum(len(re.sub(r"\W", "", w)) for w in phrase) < 4
                    rank = (1, distance, misalign, len(context), at_end, short, len(phrase))
                    variants.append(_Rule(regex, f"under {words}", rank, rf"(?<!\w){_joined(phrase)}"))
            yield variants


def _phrases(tokens: list[str], line: str):
    """``(words, column)``: runs of up to three label words on a line above and where each starts."""
    columns, offset = [], 0
    for token in tokens:
        offset = line.index(token, offset)
        columns.append(offset)
        offset += len(token)
    for size in range(1, MAX_PHRASE_WORDS + 1):
        for start in range(0, len(tokens) - size + 1):
            words = tokens[start : start + size]
            if all(_is_label(w) for w in words) and sum(len(re.sub(r"\W", "", w)) for w in words) >= 3:
                yield words, columns[start]


# ----------------------------------------------------------------------------- conventions and constants


def _separators(text: str, typed: dict, prior: PdfTemplate | None = None) -> tuple[str | None, str | None]:
    """The decimal mark and thousands separator as the confirmed amounts are printed (None: not seen).

    A mark this bill does not show (whole amounts, none above a thousand)
    is the ``prior`` format's, learned from an earlier bill that showed it.
    """
    decimal, thousands = _printed_separators(text, typed)
    if prior is not None and decimal in (None, prior.decimal_separator):
        decimal = prior.decimal_separator
        thousands = prior.thousands_separator if thousands is None else thousands
    if decimal is not None and thousands == decimal:
        thousands = None
    return decimal, thousands


def _printed_separators(text: str, typed: dict) -> tuple[str | None, str | None]:
    decimal = thousands = None
    for key in ("amount_total", "amount_untaxed", "amount_tax"):
        value = typed.get(key)
        if value is None:
            continue
        for start, end in _occurrences(text, AMOUNT, value):
            printed = text[start:end].lstrip("-")
            mark = re.search(r"([.,])\d{1,2}$", printed)
            if mark and decimal is None:
                decimal = mark.group(1)
            group = re.search(r"\d([.,' \u00a0])\d{3}(?!\d)", printed[: mark.start()] if mark else printed)
            if group and thousands is None and (mark is None or group.group(1) != mark.group(1)):
                thousands = group.group(1).replace("\u00a0", " ")
    if decimal is not None and thousands == decimal:
        thousands = None
    return decimal, thousands


_STRPTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y"}


def _date_format(text: str, typed: dict, prior: PdfTemplate | None = None) -> str | None:
    """A strptime pattern fitting every confirmed numeric date as printed; None when they differ or use names.

    A date whose day could be its month (``03/03/2026``) fits both orders and
    does not decide: the order comes from the dates that tell (``02/01/2026``
    confirmed as 1 February is month first), else the ``prior`` format's
    (an earlier bill told), else day first wins.  A bill with no confirmed
    date printed keeps the prior format's.
    """
    known = prior.date_format if prior is not None else None
    fitting = None
    for key in ("issue_date", "due_date"):
        value = typed.get(key)
        if value is None:
            continue
        for start, end in _occurrences(text, DATE, value)[:1]:
            options = _strptime_options(text[start:end], value)
            fitting = options if fitting is None else fitting & options
    if fitting is None:
        return known
    if not fitting:
        return None
    if known in fitting:
        return known
    return min(fitting, key=lambda pattern: (pattern.find("%d") > pattern.find("%m"), pattern))


def _strptime_options(printed: str, value: dt.date) -> set[str]:
    """The strptime patterns that read ``printed`` as ``value``: its day, month and year in any order."""
    runs = [part for part in re.split(r"(\d+)", printed) if part]
    digits = [index for index, part in enumerate(runs) if part.isdigit()]
    if len(digits) != 3 or any(re.search(r"[^\W\d_]", part) for part in runs):
        return set()
    found = set()
    for codes in itertools.permutations(("d", "m", "Y")):
        out = [part.replace("%", "%%") for part in runs]
        for index, code in zip(digits, codes, strict=True):
            out[index] = _STRPTIME["y" if code == "Y" and len(runs[index]) == 2 else code]
        pattern = "".join(out)
        try:
            if dt.datetime.strptime(printed, pattern).date() == value:
                found.add(pattern)
        except ValueError:
            continue
    return found


def _fixed_and_keywords(text: str, typed: dict, prior: PdfTemplate | None) -> tuple[dict, list[str]]:
    """The supplier's constants (name, VAT, currency) and the texts that recognise its documents.

    Keywords are the name and VAT number as this document prints them, so
    that a template is only trusted for the supplier's constants on a
    document that names that supplier.
    """
    fixed = dict(prior.fixed) if prior else {}
    keywords = []
    supplier = typed["supplier"]
    if supplier.get("name"):
        fixed["supplier_name"] = supplier["name"]
        spans = _occurrences(text, TEXT, supplier["name"])
        if spans:
            keywords.append(text[spans[0][0] : spans[0][1]])
    if supplier.get("vat"):
        fixed["supplier_vat"] = "".join(supplier["vat"].split()).upper()
        spans = _occurrences(text, TEXT, fixed["supplier_vat"])
        if spans:
            keywords.append(text[spans[0][0] : spans[0][1]])
    if typed.get("currency") and parse_currency(typed["currency"]):
        fixed["currency"] = typed["currency"]
    return fixed, keywords


def _fallback_keywords(fields: dict, explain: dict) -> list[str]:
    """Without a printed name or VAT number, the label words the rules rely on recognise the layout."""
    for key in fields:
        quoted = re.search(r'"([^"…]+?)"', explain.get(key, ""))
        if quoted and quoted.group(1).strip():
            return [quoted.group(1).strip()]
    return ["learned layout"]
