"""Amounts as printed, and the three totals chosen by their labels and their arithmetic.

A label proposes a total ("Total TTC 671,15 €"), but the layout can put
several amounts after the same word: a tax line per rate, a paid amount,
the remaining balance.  Untaxed + tax = total is the referee: among the
labelled candidates we keep the combination that adds up, derive a
missing one from the other two, and fall back to any three amounts of the
page that add up when no label survived (noisy OCR).  A table of totals
whose columns we cannot see ("Nettobetrag MwSt-Betrag Endbetrag" above
rows of numbers) is read the same way: the row whose first amounts add up
to its last one.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..values import find_dates, has_digit, parse_amount
from .columns import PAIRED_FACTOR
from .confidence import Choice, Evidence, noisy_or
from .document import Document, Line
from .labels import CURRENCY, TABLE_HEADER, TAX, TOTAL, UNTAXED, VAT
from .taxids import abn_number
from .words import amounts_in_lines

_CURRENCY_CODES = (
    "EUR", "USD", "GBP", "CHF", "AUD", "CAD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN",
    "JPY", "CNY", "SGD", "HKD", "ZAR", "INR", "TRY", "ISK", "MYR", "BRL", "MXN", "AED", "SAR", "KRW", "THB",
)  # fmt: skip
_SYMBOLS = {
    "€": "EUR", "£": "GBP", "₹": "INR", "US$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD",
    "NZ$": "NZD", "$": "USD", "Rs": "INR", "Rs.": "INR",
}  # fmt: skip
# Currencies written in words (folded: lower case, no accents), in the six languages of the labels.  A
# scan can lose a currency sign OCR cannot read; "Euro", "euros", "Pounds" in a sentence or after an
# amount still say which currency the amounts are in.
_CURRENCY_NAMES = {
    "EUR": ("euro", "euros", "eur"),
    "GBP": ("pound sterling", "pounds sterling", "pounds", "sterling", "livres sterling", "pfund sterling"),
    "USD": ("us dollars", "us dollar", "dollars americains"),
    "CHF": ("swiss francs", "schweizer franken", "francs suisses", "franchi svizzeri"),
    "INR": ("rupees", "indian rupees", "rupee"),
}
_CURRENCY_WORD = re.compile(
    r"(?<![a-z])("
    + "|".join(sorted({n for names in _CURRENCY_NAMES.values() for n in names}, key=len, reverse=True))
    + r")(?![a-z])"
)
# The other dollars: "$" on the page is theirs when their code is printed ("Amount due in AUD:  $521.79").
_DOLLAR_CODE = re.compile(r"(?<![A-Za-z])(AUD|CAD|NZD|SGD|HKD)(?![A-Za-z])")
_CURRENCY_WORD_SCORE = 0.3  # below a printed code (0.45) or sign (0.4): words are only the fallback
_CUR = r"(?:US\$|AU?\$|CA?\$|NZ\$|[€£₹$]|Rs\.?(?=\s?\d)|" + "|".join(_CURRENCY_CODES) + r")"
_SPACED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+[.,]\d{2}(?!\d)"  # 1 234,56
_GROUPED = r"\d{1,3}(?:[.,'’]\d{3})+(?:[.,]\d{1,4})?(?!\d)"  # 1.234,56  1,234.56  1'234.56
_PLAIN = r"\d+(?:[.,]\d{1,4})?(?!\d)"


def _amount_pattern(number: str) -> re.Pattern:
    return re.compile(
        r"(?<![\w.,/\-])(?P<neg>[-−–]\s?)?(?:(?P<cur1>" + _CUR + r")\s?)?(?P<neg2>[-−–])?"
        r"(?P<num>" + number + r")(?P<trail>-(?![\w\d]))?(?:\s?(?P<cur2>" + _CUR + r")(?![A-Za-z]))?(?P<pct>\s?%)?"
    )


_AMOUNT = _amount_pattern(f"{_SPACED}|{_GROUPED}|{_PLAIN}")
_AMOUNT_UNSPACED = _amount_pattern(f"{_GROUPED}|{_PLAIN}")
_ISO_CODE = re.compile(r"(?<![A-Za-z])(" + "|".join(_CURRENCY_CODES) + r")(?![A-Za-z])")
# a symbol heading a column or a block of amounts: "Amount (€)", "Betrag in €", "Prix en £"
_SYMBOL_HEADING = re.compile(r"(?:\(\s?|\b(?:in|en) )(US\$|AU?\$|CA?\$|NZ\$|[€£₹$])(?:\s?\)|\s*$)")
_DAY_MONTH = re.compile(r"(?:0?[1-9]|[12]\d|3[01])\.(?:0[1-9]|1[0-2])\.(?!\d)")
_TOLERANCE = Decimal("0.011")
_TOP_VALUES = 6
_RATE_PARTS = 0.6
# what may follow a totals title in its own cell: a rate, a remark in parentheses, a colon
_TITLE_REST = re.compile(r"[\s:.]*(?:\(?\d{1,2}(?:[.,]\d{1,2})?\s?%\)?)?\s*(?:\([^()]*\))?[\s:.]*")
MAX_ROW_NUMBERS = 12  # a table row holds a handful of numbers; a longer run is searched from its end only
_MAX_GLOBAL_VALUES = 80
# A tax label saying the tax does not apply: the amount after it is not a tax ("Tax Exempt", "TVA exonérée").
_EXEMPTION = re.compile(r"\s*[:\-]?\s*(?:exempt|exon[ée]r|befreit|steuerfrei|esente|exento|vrijgesteld)", re.IGNORECASE)
# A whole number alone after a label: a currency sign or code around it at most ("42560", "₹ 3,363", "JPY 5000").
_WHOLE_ALONE = re.compile(r"\s*[:=]?\s*(?:" + _CUR + r"\s?)?\d{1,3}(?:[,.' ]?\d{3})*(?:\s?" + _CUR + r")?\s*")
_ITEMS_HEADER_ROWS = 3  # rows of an item table's column titles ("VK-Preis" over "Ohne" over "MwSt.")
_ITEM_TITLES = 2  # item-table titles in a row that make it the items' header ("Menge", "Beschreibung")
_TITLES_REACH = 3  # lines between a row of totals titles and its values (OCR splits a title in two)
_MAX_PARTS = 24  # printed parts tried as the breakdown of a derived total (2,300 pairs and triples at most)
FIELDS = (UNTAXED, TAX, TOTAL)
# A run of digits as OCR may print an amount: marks, spaces and one stray character (a currency sign) inside.
_DIGIT_RUN = re.compile(r"(?<![\w.,])\d(?:[\d.,'’]|\s(?=\d))*\d(?![\w])")
_MAX_RATE = Decimal(30)  # tax rates in use stay under this; a larger percentage is a discount or a share
_RATE_TOLERANCE = Decimal("0.015")  # the tax of each line rounded: a cent and a half over the whole
_RATE_BONUS = 0.3
# Letters OCR reads for digits; only inside a word that also holds a digit and nothing but such letters.
_LETTER_DIGITS = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8", "Z": "2"}
)
_NUMBER_WORD = re.compile(r"(?<!\S)(?=[^\s]*\d)[\dOoDlI|SBZ.,'’]+(?!\S)")
# What was paid before the invoice's amount due (folded, six languages): a deposit, an advance payment.
_PREPAID = re.compile(
    r"\b(?:deja paye|deja regle|acomptes?(?: verses?| recus?)?|avance recue|anzahlung(?:en)?|"
    r"bereits (?:bezahlt|gezahlt)|vorauszahlung|amount paid|already paid|payments? received|deposit(?: paid)?|"
    r"prepayment|advance payment|"
    r"reeds betaald|aanbetaling|voorschot|ya pagado|anticipo|gia pagato|acconto)\b"
)
_ROW_RATE_TOLERANCE = Decimal("0.006")  # one row's tax is its base at the rate rounded to the cent
_RATE_ROW_SCORE = 0.45
_PRINTED_SUM_SCORE = 0.45
_MIN_REPAIR_DIGITS = 4  # 12,34 and up: shorter runs match by chance
_REPAIR_FACTOR = 0.8


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    value: Decimal
    decimals: int
    currency: str | None
    symbol: str | None  # as printed: "€", "$", "EUR"
    percent: bool
    glued: bool  # a letter follows directly ("5Unit(s)", "250g")

    @property
    def is_money(self) -> bool:
        """Printed like money: cents or a currency, and not a percentage."""
        return not self.percent and (self.decimals >= 2 or self.currency is not None)


def find_amounts(text: str, decimal_mark: str | None = None, spaced_thousands: bool = True) -> list[Amount]:
    """Every number of ``text`` with its sign, currency and kind; dates are not numbers.

    The readers of a document ask this of the same lines many times (each
    field, each repair, each check): the answer is remembered per line.
    """
    return list(_amounts_of(text, decimal_mark, spaced_thousands))


def forget_lines() -> None:
    """Forget the amounts remembered for the lines of the document read before (``extract_bytes`` starts with it)."""
    _amounts_of.cache_clear()
    _number_matches.cache_clear()


@functools.lru_cache(maxsize=4096)
def _amounts_of(text: str, decimal_mark: str | None, spaced_thousands: bool) -> tuple[Amount, ...]:
    found = []
    for match in _number_matches(text, spaced_thousands):
        start = match.start()
        value = _parse_number(match.group("num"), decimal_mark)
        if value is None:
            continue
        if match.group("neg") or match.group("neg2") or match.group("trail"):
            value = -value
        symbol = match.group("cur1") or match.group("cur2")
        end = match.end()
        found.append(
            Amount(
                start=start,
                end=end,
                value=value,
                decimals=max(0, -value.as_tuple().exponent),
                currency=_SYMBOLS.get(symbol, symbol) if symbol else None,
                symbol=symbol,
                percent=bool(match.group("pct")),
                glued=end < len(text) and text[end].isalpha(),
            )
        )
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def _number_matches(text: str, spaced_thousands: bool) -> tuple[re.Match, ...]:
    """The numbers of ``text`` that are no date and no bare day and month, before any decimal mark reads them.

    Remembered per line apart from the mark, which only reads the matches
    ("1.234"): a line is asked for its amounts with the document's mark
    and with none.
    """
    if not has_digit(text):
        return ()  # every number pattern starts with a digit: a line of words has none
    date_spans = [(start, end) for start, end, _ in find_dates(text)]
    kept = []
    for match in (_AMOUNT if spaced_thousands else _AMOUNT_UNSPACED).finditer(text):
        if date_spans and any(start < match.end("num") and match.start("num") < end for start, end in date_spans):
            continue
        if _DAY_MONTH.match(text, match.start("num")) and not match.group("cur1") and not match.group("cur2"):
            continue  # "bis zum 19.12." is a day, not 19.12 euros
        kept.append(match)
    return tuple(kept)


# A number whose one mark is followed by three digits: "1.234" is 1234 or 1.234, as the document's mark says.
_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")


def decimal_mark_matters(text: str) -> bool:
    """Whether ``find_amounts`` may read a number of ``text`` differently with another ``decimal_mark``.

    Only an ambiguous number ("1.234") depends on it: a line without one
    has the same amounts whatever the mark, and is read once.
    """
    return _AMBIGUOUS.search(text) is not None


def _parse_number(number: str, decimal_mark: str | None) -> Decimal | None:
    marks = re.findall(r"[.,]", number)
    ambiguous = len(marks) == 1 and _AMBIGUOUS.fullmatch(number)
    if ambiguous and decimal_mark:
        return parse_amount(number, decimal_sep=decimal_mark)
    return parse_amount(number)


def money_in(doc: Document, text: str) -> list[Amount]:
    """The money amounts of a line; remembered, as totals, table rows and currency all read the same lines."""
    key = ("money", text)
    if key not in doc.memo:
        doc.memo[key] = [a for a in find_amounts(text, doc.decimal_mark) if a.is_money]
    return doc.memo[key]


@dataclass
class Totals:
    untaxed: Choice
    tax: Choice
    total: Choice
    consistent: bool | None  # None: nothing to check
    note: str = ""


def totals_evidence(doc: Document) -> dict[str, Evidence]:
    evidence = {name: Evidence() for name in FIELDS}
    breakdown_rows: set[int] = set()
    for name in FIELDS:
        for line, hit, strength in doc.hits(name):
            segment = doc.segment_after(line, hit)
            if name == TAX and _EXEMPTION.match(segment.text):
                continue  # "Tax Exempt  $9,600.00": an item row's exemption, the amount is the item's
            amounts = money_in(doc, segment.text) or _whole_amount_alone(doc, segment.text)
            if amounts:
                crowded = 0.85 if len(amounts) > 2 else 1.0
                evidence[name].add(amounts[-1].value, strength * crowded, f"after '{hit.phrase}'", line.index)
            elif doc.paired_value(line) is not None:
                _add_paired(doc, line, hit, strength, evidence[name])
            elif _in_items_header(doc, line):
                continue  # "Ohne MwSt." over the price column of the items: the first price is no total
            elif doc.is_last_label(line, hit) or (line.geometry is not None and _heads_column(doc, line, hit)):
                # with positions any title of a row of titles heads the column of values under it
                breakdown_rows |= _add_column_below(doc, line, hit, strength, evidence[name])
    _add_table_rows(doc, evidence, breakdown_rows)
    _add_rate_rows(doc, evidence)
    _add_rate_parts(doc, evidence[TAX])
    add_misread_repairs(doc, evidence)
    _add_total_in_words(doc, evidence)
    _add_printed_sum(doc, evidence)
    return evidence


def _add_rate_rows(doc: Document, evidence: dict[str, Evidence]) -> None:
    """The VAT breakdown of a single rate ("20,00 %   100,00   20,00"): base x rate = tax, to the cent.

    A scan can lose every totals label (a gray-shaded cell) and keep the
    breakdown row: its own arithmetic says which amount is the base and
    which the tax.  A row of a rate and a base alone ("Montant hors TVA
    soumis à une TVA à 20,00 %   10,83") is the base of a labelled tax
    it makes.  With one rate the base is the untaxed total and the tax the
    tax total; several rates are parts, and say nothing alone.
    """
    labelled_taxes = [value for value, _s, _c in evidence[TAX].ranked()[:_TOP_VALUES] if value > 0]
    labelled_totals = [value for value, _s, _c in evidence[TOTAL].ranked()[:_TOP_VALUES] if value > 0]
    found = []
    for line in doc.lines:
        amounts = find_amounts(line.text, doc.decimal_mark)
        rates = [a.value for a in amounts if a.percent and 0 < a.value <= _MAX_RATE]
        money = [a.value for a in amounts if a.is_money and a.value > 0]
        for rate in rates:
            pairs = list(itertools.permutations(money, 2)) if len(money) > 1 else []
            pairs += [(base, tax) for base in money[-1:] if len(money) == 1 for tax in labelled_taxes]
            # a base whose tax OCR lost: base + its tax at the rate is a labelled total, to the cent
            pairs += [
                (base, _cents(base * rate / 100))
                for base in money[-1:]
                if len(money) == 1
                and any(abs(base + _cents(base * rate / 100) - total) <= _TOLERANCE for total in labelled_totals)
            ]
            for base, tax in pairs:
                if tax < base and abs(base * rate / 100 - tax) <= _ROW_RATE_TOLERANCE:
                    found.append((line.index, base, tax))
                    break
    if len({(base, tax) for _index, base, tax in found}) != 1:
        return
    for index, base, tax in found:
        evidence[UNTAXED].add(base, _RATE_ROW_SCORE, f"base x rate = tax on row {index + 1}", index)
        evidence[TAX].add(tax, _RATE_ROW_SCORE, f"base x rate = tax on row {index + 1}", index)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _add_printed_sum(doc: Document, evidence: dict[str, Evidence]) -> None:
    """Untaxed + tax as a total candidate where the page prints that sum, its total label lost or misplaced.

    The two labelled parts and an amount printed on the page agree: the
    sum is the total even when OCR moved it away from its label ("TOTAL
    TTC" over a column the scan broke) or lost the label.
    """
    printed = {a.value: line.index for line in doc.lines for a in money_in(doc, line.text)}
    prepaid = _prepaid_amounts(doc)
    payable = [value for value, _s, _c in evidence[TOTAL].ranked()[:_TOP_VALUES]]
    for untaxed, _s1, _c1 in evidence[UNTAXED].ranked()[:_TOP_VALUES]:
        for tax, _s2, _c2 in evidence[TAX].ranked()[:_TOP_VALUES]:
            total = untaxed + tax
            if not tax or abs(tax) >= abs(untaxed) or evidence[TOTAL].score_of(total):
                continue
            if total in printed:
                evidence[TOTAL].add(total, _PRINTED_SUM_SCORE, "untaxed + tax, printed on the page", printed[total])
                continue
            for paid, index in prepaid:
                if any(abs(due + paid - total) <= _TOLERANCE for due in payable):
                    evidence[TOTAL].add(total, _PRINTED_SUM_SCORE, "untaxed + tax = amount due + amount paid", index)
                    break


def _prepaid_amounts(doc: Document) -> list[tuple[Decimal, int]]:
    """Amounts already paid (a deposit, "Montant déjà payé", "Anzahlung"): the amount due is the total less them."""
    found = []
    for line in doc.lines:
        for match in _PREPAID.finditer(line.folded):
            amounts = money_in(doc, line.text[match.end() :])
            if amounts and amounts[0].value > 0:
                found.append((amounts[0].value, line.index))
    return found


def add_misread_repairs(doc: Document, evidence: dict[str, Evidence]) -> None:
    """A labelled total OCR misread, replaced by the value the two other totals give, when its digits say so.

    OCR loses a decimal comma ("Total TTC 123456" for 1234,56), reads a
    currency sign as a digit ("₹1,234.00" as "21,234.00") or splits the
    digits ("1 234 56").  The two other labelled totals give the value the
    field must have (untaxed + tax = total); it is proposed only when the
    printed digits are exactly its digits, or its digits after one stray
    leading character: the arithmetic confirms the reading, the digits
    confirm it is this field's printed value.
    """
    printed = {name: _printed_digit_runs(doc, name) for name in FIELDS}
    for name in FIELDS:
        if not printed[name]:
            continue
        for value in _values_from_the_others(evidence, name):
            digits = _cents_digits(value)
            if len(digits) < _MIN_REPAIR_DIGITS or evidence[name].score_of(value):
                continue
            for run, strength, index in printed[name]:
                if run == digits or (len(run) == len(digits) + 1 and run[1:] == digits):
                    evidence[name].add(
                        value, strength * _REPAIR_FACTOR, "misread digits that the totals confirm", index
                    )
                    break


def add_lines_sum_repair(doc: Document, evidence: dict[str, Evidence], lines_sum: Decimal | None) -> None:
    """The item lines' sum as the untaxed total, where the figures after an untaxed label are its digits misread.

    A scan loses the decimal comma of "Total HT 530,75 €" ("53075€") or
    reads a sign before it as a digit; the item rows, each of which
    multiplies out (quantity x price = amount), add up to the value whose
    digits were printed: the rows confirm the reading, the digits confirm
    that this label's figure is that sum.
    """
    if lines_sum is None or lines_sum <= 0 or evidence[UNTAXED].score_of(lines_sum):
        return
    digits = _cents_digits(lines_sum)
    if len(digits) < _MIN_REPAIR_DIGITS:
        return
    for run, strength, index in _printed_digit_runs(doc, UNTAXED):
        if run == digits or (len(run) == len(digits) + 1 and run[1:] == digits):
            reason = "misread digits that the item lines' sum confirms"
            evidence[UNTAXED].add(lines_sum, strength * _REPAIR_FACTOR, reason, index)
            return


def _add_total_in_words(doc: Document, evidence: dict[str, Evidence]) -> None:
    """The total the page also writes in words, where the figures after a total label are it misread.

    When the figures are the words' digits after one stray leading
    character (a currency sign read as a digit, "₹135.01" as "2135.01"),
    the words' value is the total and the figure as read is dropped.  Words
    that repeat a figure as printed add nothing: pages write other amounts
    in words too (the tax, in "Tax Amount (in words)"), so they confirm no
    total on their own.
    """
    runs = _printed_digit_runs(doc, TOTAL)
    if not runs:
        return
    for value in _page_amounts_in_words(doc):
        digits = _cents_digits(value)
        if len(digits) < _MIN_REPAIR_DIGITS:
            continue
        for run, strength, index in runs:
            if len(run) == len(digits) + 1 and run[1:] == digits:
                misread = Decimal(run) / 100
                evidence[TOTAL] = evidence[TOTAL].without(lambda found, misread=misread: abs(found) == misread)
                evidence[TOTAL].add(value, strength, "the total in words: a stray digit before the figures", index)


def _page_amounts_in_words(doc: Document) -> list[Decimal]:
    """Amounts written in words on each line, or across a line and the next (the words wrap)."""
    return amounts_in_lines([line.text for line in doc.lines])


def _printed_digit_runs(doc: Document, name: str) -> list[tuple[str, float, int]]:
    """(the digits, label strength, line) of each run of digits after a label of ``name``, on its line or under it."""
    runs = []
    for line, hit, strength in doc.hits(name):
        segment = doc.segment_after(line, hit)
        texts = [(segment.text, line.index)]
        if not segment.text.strip():
            texts += [(below.text, below.index) for below in doc.under(line, hit, 1)]
        for text, index in texts:
            for match in _DIGIT_RUN.finditer(_letters_as_digits(text)):
                runs.append((re.sub(r"\D", "", match.group(0)).lstrip("0"), strength, index))
    return runs


def _letters_as_digits(text: str) -> str:
    """``text`` with the letters OCR prints for digits ("l2O,5O") read as digits, in words that hold a digit."""
    return _NUMBER_WORD.sub(lambda word: word.group(0).translate(_LETTER_DIGITS), text)


def _values_from_the_others(evidence: dict[str, Evidence], name: str) -> list[Decimal]:
    """What ``name`` must be for the other two totals' best candidates to add up."""
    others = [other for other in FIELDS if other != name]
    found = []
    for a, b in itertools.product(*([v for v, _, _ in evidence[other].ranked()[:_TOP_VALUES]] for other in others)):
        values = dict(zip(others, (a, b), strict=True))
        if name == TOTAL:
            value = values[UNTAXED] + values[TAX]
        elif name == TAX:
            value = values[TOTAL] - values[UNTAXED]
        else:
            value = values[TOTAL] - values[TAX]
        if value != 0 and value not in found:
            found.append(value)
    return found


def _cents_digits(value: Decimal) -> str:
    """The digits an amount prints with two decimals, without marks: 1234,56 -> "123456"."""
    return f"{abs(value):.2f}".replace(".", "").lstrip("0")


def _add_rate_parts(doc: Document, evidence: Evidence) -> None:
    """The sum of consecutive tax lines that each name a rate ("VAT 20% ... 5,00" / "VAT 10% ... 1,20").

    With two rates and no tax total printed, each line's label ("Cuota IVA
    21%") proposes its own amount as the tax; the parts together are the
    tax total, which the arithmetic (untaxed + tax = total) then confirms.
    """
    _add_titled_rate_parts(doc, evidence)
    run: list[Decimal] = []
    last_index = None
    for line, _hit, _strength in doc.hits(TAX):
        money = money_in(doc, line.text)
        rated = money and any(amount.percent for amount in find_amounts(line.text, doc.decimal_mark))
        if not rated or line.index == last_index:
            continue
        if last_index is not None and line.index - last_index > 1:
            _add_parts_sum(run, evidence)
            run = []
        run.append(money[-1].value)
        last_index = line.index
    _add_parts_sum(run, evidence)


def _add_titled_rate_parts(doc: Document, evidence: Evidence) -> None:
    """The sum of the values under tax titles that name a rate, side by side in one row of titles."""
    by_row: dict[int, list[Decimal]] = {}
    for line, hit, _strength in doc.hits(TAX):
        cell = doc.cell_of(line, hit.start)
        if cell is None or "%" not in line.text[cell[0] : cell[1]] or not _heads_column(doc, line, hit):
            continue
        for below in doc.under(line, hit, 1):
            money = money_in(doc, below.text)
            if money:
                by_row.setdefault(line.index, []).append(money[0].value)
    for parts in by_row.values():
        _add_parts_sum(parts, evidence)


def _add_parts_sum(parts: list[Decimal], evidence: Evidence) -> None:
    if len(parts) >= 2:
        evidence.add(sum(parts, Decimal(0)), _RATE_PARTS, "sum of the tax lines per rate")


def _whole_amount_alone(doc: Document, text: str) -> list[Amount]:
    """A whole number alone after a totals label, on a page that prints no amount with cents ("Total: 42560").

    Some invoices count in whole units of their currency (rupees, yen,
    forints, or a generator that drops the cents): where no amount on the
    page has cents, a lone whole number after a totals label is its amount.
    A count ("Total: 3 items") has words after it and is not taken.
    """
    if _with_cents(doc) or not _WHOLE_ALONE.fullmatch(text):
        return []
    return [a for a in find_amounts(text, doc.decimal_mark) if not a.percent and not a.glued][:1]


def _with_cents(doc: Document) -> bool:
    """Whether the page prints any amount with cents (then whole numbers are counts, not money)."""
    if "with cents" not in doc.memo:
        doc.memo["with cents"] = any(
            a.decimals >= 2 and not a.percent for line in doc.lines for a in find_amounts(line.text, doc.decimal_mark)
        )
    return doc.memo["with cents"]


def _in_items_header(doc: Document, line: Line) -> bool:
    """Whether ``line`` is a row of the line-item table's column titles (the items follow, not the totals).

    A header of two or three rows ("Pos.  Menge  Beschreibung  VK-Preis" over
    "Ohne MwSt.") titles its columns with the words of totals labels; the
    value under such a title is an item's, not the invoice's.  The header is
    a row with ``_ITEM_TITLES`` item-table titles ("Menge", "Description",
    "Unit price") and the rows after it until the first amount.
    """
    for index in range(line.index, max(line.index - _ITEMS_HEADER_ROWS, -1), -1):
        row = doc.lines[index]
        if row.page != line.page or (index != line.index and money_in(doc, row.text)):
            return False
        if sum(1 for hit in row.hits if hit.strength(TABLE_HEADER)) >= _ITEM_TITLES:
            return True
    return False


def _heads_column(doc: Document, line: Line, hit) -> bool:
    """A positioned label with no amount beside it: nothing follows it, or only its rate or a remark in its cell.

    A row of totals titles prints "Net amount   VAT 21%   Total (VAT incl.)"
    over their values: the rate and the remark belong to the title.
    """
    if not doc.segment_after(line, hit).text.strip():
        return True
    cell = doc.cell_of(line, hit.start)
    return cell is not None and bool(_TITLE_REST.fullmatch(line.text[hit.end : cell[1]]))


def _add_column_below(doc: Document, line: Line, hit, strength: float, evidence: Evidence) -> set[int]:
    """A label heading the last column: its values end the numeric rows below it.

    Returns the rows above a sum row (one line per tax rate): their own
    totals are parts, not the invoice's.
    """
    rows = []
    for below in doc.under(line, hit, 6):
        amounts = money_in(doc, below.text)
        if not amounts or _labelled_total_row(doc, below):
            break  # a row of the totals block ("VAT  €9,50") under the column is none of its values
        rows.append((below, amounts[-1].value))
    if not rows:
        return set()
    if len(rows) == 1 and line.geometry is not None:  # a title with its one value under it: a cell, not a column
        evidence.add(rows[0][1], strength * 0.85, f"under '{hit.phrase}'", rows[0][0].index)
        return set()
    largest = max(abs(value) for _, value in rows)
    for below, value in rows:
        factor = 0.6 if abs(value) == largest else 0.4
        evidence.add(value, strength * factor, f"column under '{hit.phrase}'", below.index)
    values = [value for _, value in rows]
    if len(values) >= 3 and abs(sum(values[:-1]) - values[-1]) <= _TOLERANCE:
        # the last row of a column that adds up is the sum row: the total
        evidence.add(values[-1], strength * 0.9, f"sum row of the column under '{hit.phrase}'", rows[-1][0].index)
        return {below.index for below, _ in rows[:-1]}
    return set()


def _labelled_total_row(doc: Document, cell: Line) -> bool:
    """Whether the line of ``cell`` (a cell under a column title) prints a totals label of its own before it."""
    line = doc.lines[cell.index]
    if line.geometry is None:
        return False
    start = line.text.find(cell.text)
    return any(hit.end <= start and any(hit.strength(name) for name in FIELDS) for hit in line.hits)


def _add_paired(doc: Document, line: Line, hit, strength: float, evidence: Evidence) -> None:
    paired = doc.paired_value(line)
    amounts = money_in(doc, paired.text) if paired is not None else []
    if amounts:
        evidence.add(amounts[-1].value, strength * PAIRED_FACTOR, f"column paired with '{hit.phrase}'", paired.index)


def _add_table_rows(doc: Document, evidence: dict[str, Evidence], breakdown_rows: set[int]) -> None:
    """Rows of a totals table: two amounts that add up to the row's last amount."""
    triples = []
    for line in doc.lines:
        if line.index in breakdown_rows:
            continue
        money = money_in(doc, line.text)[-MAX_ROW_NUMBERS:]
        if len(money) < 3:
            continue
        triple = _row_triple([a.value for a in money])
        if triple is None and any(_minus_read_as_equals(line.text, a) for a in money):
            # OCR reads a minus as "=" ("=7,67"): kept only when the row then adds up
            triple = _row_triple([-a.value if _minus_read_as_equals(line.text, a) else a.value for a in money])
        if triple is None:
            triple = _lost_minus_triple([a.value for a in money])
        if triple is None and _under_totals_titles(doc, line):
            triple = _zero_tax_triple([a.value for a in money])
        if triple is not None:
            triples.append((line, *triple))
    if not triples:
        return
    largest = max(abs(t[3]) for t in triples)
    for line, untaxed, tax, total in triples:
        header = any(
            h.strength(TOTAL) or h.strength(TAX) or h.strength(UNTAXED)
            for above in doc.lines[max(0, line.index - 5) : line.index]
            for h in above.hits
        )
        score = 0.3 + (0.2 if header else 0.0) + (0.1 if abs(total) == largest else 0.0)
        why = f"row {line.index + 1} adds up"
        evidence[UNTAXED].add(untaxed, score, why, line.index)
        evidence[TAX].add(tax, score, why, line.index)
        evidence[TOTAL].add(total, score, why, line.index)


def _row_triple(amounts: list[Decimal]) -> tuple[Decimal, Decimal, Decimal] | None:
    """(untaxed, tax, total) when two of a row's amounts add up to its last one, else None."""
    last = amounts[-1]
    for untaxed, tax in itertools.permutations(amounts[:-1], 2):
        if abs(tax) >= abs(untaxed) or tax == 0 or untaxed * tax < 0:
            continue
        # the sign of the last amount alone may be lost (an OCR'd "-8,79" read as "8,79")
        if abs(abs(untaxed + tax) - abs(last)) <= _TOLERANCE:
            return untaxed, tax, untaxed + tax
    return None


def _zero_tax_triple(amounts: list[Decimal]) -> tuple[Decimal, Decimal, Decimal] | None:
    """(untaxed, 0, total) of a row "100,00  0,00  100,00": an invoice without VAT (exempt, reverse charge).

    Two amounts and a zero between them add up whatever they are, so the
    row counts only under a row of totals titles (``_under_totals_titles``).
    """
    if len(amounts) == 3 and amounts[1] == 0 and amounts[0] == amounts[2] != 0:
        return amounts[0], amounts[1], amounts[2]
    return None


def _under_totals_titles(doc: Document, line: Line) -> bool:
    """Whether one of the lines just above prints two totals titles or more ("TOTAL HT  TVA  TOTAL TTC")."""
    for above in doc.lines[max(0, line.index - _TITLES_REACH) : line.index]:
        titles = [h for h in above.hits if any(h.strength(name) for name in FIELDS)]
        if len(titles) >= 2:
            return True
    return False


def _lost_minus_triple(amounts: list[Decimal]) -> tuple[Decimal, Decimal, Decimal] | None:
    """(untaxed, tax, total) of a negative row where OCR dropped one minus sign ("7,67  -1,12  -8,79").

    Kept only when the amounts then add up to the cent: the two parts of a
    negative total take its sign.  A positive total with one negative part
    is a discount row ("100,00  -10,00  90,00"), read as printed elsewhere.
    """
    last = amounts[-1]
    if last >= 0:
        return None
    for untaxed, tax in itertools.permutations(amounts[:-1], 2):
        if abs(tax) >= abs(untaxed) or tax == 0 or untaxed * tax >= 0:
            continue
        if abs(abs(untaxed) + abs(tax) - abs(last)) <= _TOLERANCE:
            return -abs(untaxed), -abs(tax), last
    return None


def _minus_read_as_equals(text: str, amount: Amount) -> bool:
    """Whether a positive amount is printed glued to an "=" (a minus sign as OCR often reads it)."""
    return amount.value > 0 and amount.start > 0 and text[amount.start - 1] == "=" and amount.symbol is None


def add_global_triples(doc: Document, evidence: dict[str, Evidence]) -> None:
    """Last resort when no total label was read: any three amounts that add up."""
    distinct: dict[Decimal, None] = {}
    for line in doc.lines:
        for amount in money_in(doc, line.text):
            if amount.value != 0 and len(distinct) < _MAX_GLOBAL_VALUES:
                distinct[amount.value] = None
    values = list(distinct)
    present = set(values)
    best = None
    for untaxed, tax in itertools.permutations(values, 2):
        if abs(tax) >= abs(untaxed):
            continue
        total = untaxed + tax
        if total in present and (best is None or abs(total) > abs(best[2])):
            best = (untaxed, tax, total)
    if best:
        for name, value in zip(FIELDS, best, strict=True):
            evidence[name].add(value, 0.35, "three amounts of the page add up")


def printed_rates(doc: Document) -> set[Decimal]:
    """The tax rates the page prints ("TVA 20,00 %", "19% MwSt"): what tax / untaxed must come to."""
    key = ("rates",)
    if key not in doc.memo:
        doc.memo[key] = {
            amount.value
            for line in doc.lines
            for amount in find_amounts(line.text, doc.decimal_mark)
            if amount.percent and 0 < amount.value <= _MAX_RATE
        }
    return doc.memo[key]


def choose_totals(
    evidence: dict[str, Evidence], lines_sum: Decimal | None = None, rates: set[Decimal] | None = None
) -> Totals:
    """The untaxed/tax/total combination best supported by labels and arithmetic.

    ``rates``: the tax rates the page prints; a combination whose tax is
    its untaxed amount at one of them is confirmed by a third figure.
    """
    options = {name: [v for v, _, _ in evidence[name].ranked()[:_TOP_VALUES]] + [None] for name in FIELDS}
    best = None
    for untaxed, tax, total in itertools.product(options[UNTAXED], options[TAX], options[TOTAL]):
        combo = _score_combo(evidence, untaxed, tax, total, lines_sum, rates or set())
        if combo and (best is None or combo[0] > best[0]):
            best = combo
    if best is None:
        return Totals(Choice(), Choice(), Choice(), None)
    _, values, derived, consistent = best
    choices = {}
    for name in FIELDS:
        value = values[name]
        if value is None:
            choices[name] = Choice()
            continue
        if name in derived:
            confidence, why = derived[name]
        else:
            base = evidence[name].score_of(value) or evidence[name].score_of(-value)
            why = evidence[name].choose().why if evidence[name].choose().value == value else "arithmetic"
            if consistent:
                confidence = noisy_or([base, 0.7])
            elif consistent is None:
                confidence = base * 0.9
            else:
                confidence = base * 0.6
        if name == UNTAXED and lines_sum is not None and value == lines_sum:
            confidence = noisy_or([confidence, 0.5])
        choices[name] = Choice(value, round(confidence, 3), why)
    note = "" if consistent is not False else "untaxed + tax does not equal the total"
    return Totals(choices[UNTAXED], choices[TAX], choices[TOTAL], consistent, note)


def _score_combo(evidence, untaxed, tax, total, lines_sum, rates):
    derived = {}
    values = {UNTAXED: untaxed, TAX: tax, TOTAL: total}
    present = [v for v in values.values() if v is not None]
    if not present:
        return None
    if total is not None and untaxed is not None and tax is None:
        values[TAX] = total - untaxed
        derived[TAX] = _derived_confidence(evidence[TAX], values[TAX])
    elif total is not None and tax is not None and untaxed is None:
        values[UNTAXED] = total - tax
        derived[UNTAXED] = _derived_confidence(evidence[UNTAXED], values[UNTAXED])
    elif total is None and untaxed is not None and tax is not None:
        values[TOTAL] = untaxed + tax
        derived[TOTAL] = (0.45, "untaxed + tax")
    printed = dict(values)
    u, t, s = values[UNTAXED], values[TAX], values[TOTAL]
    if None not in (u, t, s) and abs(u + t - s) > _TOLERANCE and abs(u - t - s) <= _TOLERANCE:
        values[TAX] = t = -t  # the tax's minus sign was lost (OCR), the two other totals agree on theirs
    if s is not None and u is not None and (abs(u) > abs(s) + _TOLERANCE or (u * s < 0)):
        return None
    if s is not None and t is not None and (abs(t) > abs(s) or (t == s and s != 0)):
        return None  # the tax is a part of the total, never all of it
    if u and t and abs(t) >= abs(u):
        return None  # no VAT rate reaches 100 %: a tax as large as the untaxed amount is another figure
    score = sum(evidence[name].score_of(printed[name]) for name in FIELDS if name not in derived)
    score += sum(conf for conf, _ in derived.values()) * 0.5
    consistent = None
    if u is not None and t is not None and s is not None:
        consistent = abs(u + t - s) <= _TOLERANCE
        if not derived:
            score += 0.6 if consistent else -0.4
    if lines_sum is not None and u is not None and u == lines_sum:
        score += 0.3
    if u and t and any(abs(u * rate / 100 - t) <= _RATE_TOLERANCE for rate in rates):
        score += _RATE_BONUS  # the tax is the untaxed amount at a rate the page prints
    return score, values, derived, consistent


def _derived_confidence(evidence: Evidence, value: Decimal) -> tuple[float, str]:
    """A derived amount is surer when the page prints parts that add up to it (one tax line per rate)."""
    # a part printed on two rows (two items of 25,00) counts twice
    printed = dict.fromkeys((c.value, c.line) for _v, _s, cands in evidence.ranked() for c in cands)
    parts = [v for v, _line in printed if v != value and abs(v) < abs(value)][:_MAX_PARTS]
    for size in (2, 3):
        for combo in itertools.combinations(parts, size):
            if abs(sum(combo) - value) <= _TOLERANCE:
                return 0.85, "sum of the printed breakdown"
    return 0.6, "derived from the two other totals"


# "Währung der Umsatzsteuerbuchung: EUR", "Currency of VAT accounting: EUR": words after the label say the
# currency is another's (BT-6, the VAT accounting currency), not the invoice's: weaker than a plain label.
_QUALIFIER_WORDS = re.compile(r"\s*(?:[^\W\d_]{2,}\s+)*[^\W\d_]{3,}\s*[:=]?\s*$")
_QUALIFIED_LABEL = 0.5


def currency_evidence(doc: Document) -> Evidence:
    evidence = Evidence()
    for line, hit, _strength in doc.hits(CURRENCY):
        text = doc.segment_after(line, hit).text
        code = _ISO_CODE.search(text)
        if code:
            score = _QUALIFIED_LABEL if _QUALIFIER_WORDS.match(text[: code.start()]) else 0.95
            evidence.add(code.group(1), score, f"after '{hit.phrase}'", line.index)
    for line in doc.lines:
        for code in _ISO_CODE.finditer(line.text):
            evidence.add(code.group(1), 0.45, "currency code printed", line.index)
        for heading in _SYMBOL_HEADING.finditer(line.text):
            symbol = heading.group(1)
            evidence.add(
                _SYMBOLS[symbol], 0.25 if symbol == "$" else 0.4, "currency symbol heading amounts", line.index
            )
        for amount in find_amounts(line.text, doc.decimal_mark):
            if amount.symbol and amount.symbol not in _CURRENCY_CODES:  # a sign, or the rupee's "Rs"
                symbol_score = 0.25 if amount.currency == "USD" else 0.4
                evidence.add(amount.currency, symbol_score, "currency symbol next to amounts", line.index)
        for word in _CURRENCY_WORD.finditer(line.folded):
            code = next(code for code, names in _CURRENCY_NAMES.items() if word.group(1) in names)
            evidence.add(code, _CURRENCY_WORD_SCORE, f"currency written in words ('{word.group(1)}')", line.index)
    return evidence


def _named_in_words(doc: Document, code: str) -> bool:
    """Whether the page names the currency in words ("All prices are in US dollars"), as sure as its code.

    >>> from .document import Document
    >>> _named_in_words(Document(["Invoice Total: $101.00\\nAll prices are in US dollars."]), "USD")
    True
    >>> _named_in_words(Document(["Invoice Total: $101.00"]), "USD")
    False
    """
    names = _CURRENCY_NAMES.get(code, ())
    return any(word.group(1) in names for line in doc.lines for word in _CURRENCY_WORD.finditer(line.folded))


def currency_choice(doc: Document) -> Choice:
    choice = currency_evidence(doc).choose()
    if choice.value == "USD" and not re.search(r"\bUSD\b|US\$", doc.text) and not _named_in_words(doc, "USD"):
        # "$" alone is also the Australian, Canadian... dollar; a dollar's code printed once, or an ABN, says which
        dollar = _DOLLAR_CODE.search(doc.text)
        if dollar:
            choice.value, choice.why = dollar.group(1), f"'$' with the code {dollar.group(1)} printed"
            return choice
        if any(hit.phrase == "abn" and abn_number(doc.segment_after(line, hit).text) for line, hit, _ in doc.hits(VAT)):
            choice.value = "AUD"
        choice.confidence = min(choice.confidence, 0.6)
        choice.why = "'$' without a currency code"
    return choice
