"""Parsing of amounts and dates as suppliers print them.

Suppliers write ``1.234,56``, ``1,234.56``, ``1 234,56`` or ``1'234.56``
and dates in a dozen styles and four languages.  These helpers are shared by
the CSV reader, the PDF templates and the template-free extractor so that a
value is read the same way whichever path found it.

>>> parse_amount("1.234,56")
Decimal('1234.56')
>>> parse_amount("1,234.56 EUR")
Decimal('1234.56')
>>> parse_amount("(12.50)")
Decimal('-12.50')
>>> parse_amount("1 234", decimal_sep=",")
Decimal('1234')
>>> parse_date("3. März 2024")
datetime.date(2024, 3, 3)
>>> parse_date("2024-03-05")
datetime.date(2024, 3, 5)
>>> parse_date("05/03/2024")
datetime.date(2024, 3, 5)
>>> parse_date("03/05/2024", fmt="%m/%d/%Y")
datetime.date(2024, 3, 5)
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

_SPACES = "\u00a0\u202f\u2009 "
_AMOUNT_CHARS = re.compile(r"[^0-9.,'\-()" + _SPACES + "]")


def parse_amount(text, decimal_sep: str | None = None, thousands_sep: str | None = None) -> Decimal | None:
    """Read a printed amount as an exact Decimal, or None when it is not one.

    With ``decimal_sep`` given (a supplier format), that convention is used;
    without it the convention is inferred: the last of ``.``/``,`` is the
    decimal mark when followed by one, two, three... digits and the other mark
    appears before it, or when it is followed by other than exactly three digits.
    """
    if text is None:
        return None
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    s = str(text).strip()
    if not s:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    s = s.replace("\u2212", "-")
    s = _AMOUNT_CHARS.sub("", s).strip()
    if s.endswith("-"):
        negative, s = True, s[:-1]
    if s.startswith("-"):
        negative, s = not negative if s.count("-") == 1 else negative, s[1:]
    for ch in _SPACES:
        s = s.replace(ch, "")
    s = s.replace("'", "")
    if not s or not re.search(r"\d", s) or "-" in s or "(" in s or ")" in s:
        return None
    if decimal_sep is not None:
        if thousands_sep:
            s = s.replace(thousands_sep, "")
        other = "," if decimal_sep == "." else "."
        if thousands_sep is None:
            s = s.replace(other, "")
        s = s.replace(decimal_sep, ".")
    else:
        s = _normalise_marks(s)
        if s is None:
            return None
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    return -value if negative else value


def _normalise_marks(s: str) -> str | None:
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        if s.count(decimal) > 1:
            return None
        return s.replace(thousands, "").replace(decimal, ".")
    mark = "." if dots else "," if commas else None
    if mark is None:
        return s
    parts = s.split(mark)
    if len(parts) > 2:
        # 1.234.567 -> thousands separators only
        if all(len(p) == 3 for p in parts[1:]):
            return "".join(parts)
        return None
    head, tail = parts
    if len(tail) == 3 and head and head != "0" and len(head) <= 3:
        # "1,234" or "1.234": ambiguous; a thousands grouping is by far the
        # more common reading on invoices for amounts without decimals.
        return head + tail
    return head + "." + tail


# fmt: off
MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "marz": 3, "mai": 5,
    "juni": 6, "juli": 7, "oktober": 10, "dezember": 12, "okt": 10, "dez": 12, "mrz": 3, "mär": 3,
    # French
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "fév": 2, "déc": 12,
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
    "mrt": 3,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12, "ene": 1, "abr": 4,
    "ago": 8, "dic": 12,
    # Italian
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "set": 9, "ott": 10,
}
# fmt: on
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))

# Not glued to another number on either side ("1.05.2013,5" is no date), punctuation after it is fine.
_ISO = re.compile(r"(?<!\d)(?<!\d[.,])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d|[.,]\d)")
_NUMERIC = re.compile(r"(?<!\d)(?<!\d[.,])(\d{1,2})([./\-])(\d{1,2})\2(\d{4}|\d{2})(?!\d|[.,]\d)")
_COMPACT = re.compile(r"(?<!\d)(?<!\d[.,])(20\d{2})(\d{2})(\d{2})(?!\d|[.,]\d)")
# "14. 11. 2018": a dotted date typeset with a space after each dot (German typography); day first, a full year
_DOT_SPACE = r"\.[ \u2009\u202f]"
_SPACED_DOTTED = re.compile(rf"(?<!\d)(?<!\d[.,])(\d{{1,2}}){_DOT_SPACE}(\d{{1,2}}){_DOT_SPACE}(\d{{4}})(?!\d|[.,]\d)")
_DAY_MONTH_NAME = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er|e|\.)?(?:[\s\-]*|/)(?:de\s+)?("
    + _MONTH_ALT
    + r")\.?,?(?:[\s\-]*|/)(?:del?\s+)?(\d{4})(?!\d)",
    re.IGNORECASE,
)
# "14-Jun-17", "14/JUN/17", "14.Jun.17": a short year only after the separator the day and month share
_DAY_MONTH_NAME_SHORT_YEAR = re.compile(r"(?<!\d)(\d{1,2})([-/.])(" + _MONTH_ALT + r")\2(\d{2})(?!\d)", re.IGNORECASE)
_MONTH_NAME_DAY = re.compile(r"\b(" + _MONTH_ALT + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)", re.IGNORECASE)


_ANY_DIGIT = re.compile(r"\d")
# Four digits in a row: the year of every date pattern but the numeric and short-year ones prints them (20yymmdd too).
_FOUR_DIGITS = re.compile(r"\d{4}")


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit: every number and every date prints one, so a line without is passed over.

    >>> has_digit("Rechnung an"), has_digit("Total 1,50"), has_digit("٣ Stück")
    (False, True, True)
    """
    return _ANY_DIGIT.search(text) is not None


def _month(name: str) -> int:
    return MONTHS[name.lower()]


_PATTERNS = (
    (_ISO, lambda m, dayfirst: (int(m[1]), int(m[2]), int(m[3]))),
    (_DAY_MONTH_NAME, lambda m, dayfirst: (int(m[3]), _month(m[2]), int(m[1]))),
    (_DAY_MONTH_NAME_SHORT_YEAR, lambda m, dayfirst: (2000 + int(m[4]), _month(m[3]), int(m[1]))),
    (_MONTH_NAME_DAY, lambda m, dayfirst: (int(m[3]), _month(m[1]), int(m[2]))),
    (_NUMERIC, lambda m, dayfirst: _numeric_ymd(m, dayfirst)),
    (_COMPACT, lambda m, dayfirst: (int(m[1]), int(m[2]), int(m[3]))),
    (_SPACED_DOTTED, lambda m, dayfirst: (int(m[3]), int(m[2]), int(m[1]))),
)
# The patterns whose every match holds four digits in a row (a four-digit year): none can match a line without.
_FOUR_DIGIT_PATTERNS = frozenset({_ISO, _DAY_MONTH_NAME, _MONTH_NAME_DAY, _COMPACT})


def parse_date(text, fmt: str | None = None, dayfirst: bool = True) -> dt.date | None:
    """Read the first date in ``text``; ``fmt`` (strptime) wins when given.

    Numeric dates are read day first unless ``dayfirst`` is False or the
    first number cannot be a day... or a month (13/05 vs 05/13).
    """
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    s = str(text).strip()
    if not s:
        return None
    if fmt:
        try:
            return dt.datetime.strptime(unicodedata.normalize("NFC", s), fmt).date()
        except ValueError:
            return None
    found = find_dates(s, dayfirst=dayfirst)
    return found[0][2] if found else None


def find_dates(text: str, dayfirst: bool = True) -> list[tuple[int, int, dt.date]]:
    """Every date in ``text`` as ``(start, end, date)``, left to right, never overlapping.

    The template-free extractor needs the position of each date, not only the
    first one: a label is followed by its own date, not by the line's first.
    Positions index ``text`` as given (NFC normalisation keeps them for the
    precomposed characters suppliers print).

    >>> [d.isoformat() for _, _, d in find_dates("from 01.09.13 to 30 Sept. 2013")]
    ['2013-09-01', '2013-09-30']
    >>> find_dates("paid 1.234,56 on 2024-03-05")[0][:2]
    (17, 27)
    >>> [d.isoformat() for _, _, d in find_dates("Rechnungsdatum 14. 11. 2018")]
    ['2018-11-14']
    >>> [d.isoformat() for _, _, d in find_dates("Date: 14/Jun/2017 10:31  Due 02/JUL/17  at 14 Jun 17:30")]
    ['2017-06-14', '2017-07-02']
    """
    return list(_dates_of(text, dayfirst))


def forget_lines() -> None:
    """Forget the dates remembered for the lines of the document read before (``extract_bytes`` starts with it)."""
    _dates_of.cache_clear()
    _date_matches.cache_clear()


@functools.lru_cache(maxsize=4096)
def _dates_of(text: str, dayfirst: bool) -> tuple[tuple[int, int, dt.date], ...]:
    """find_dates' answer, remembered per line: the readers ask it of the same lines for every field."""
    spans = []
    for builder, match in _date_matches(text):
        ymd = builder(match, dayfirst)
        if ymd is None:
            continue
        try:
            spans.append((match.start(), match.end(), dt.date(*ymd)))
        except ValueError:
            continue
    spans.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    result = []
    for span in spans:
        if result and span[0] < result[-1][1]:
            continue
        result.append(span)
    return tuple(result)


@functools.lru_cache(maxsize=4096)
def _date_matches(text: str) -> tuple[tuple[Callable, re.Match], ...]:
    """Each date pattern's matches in ``text`` with the pattern's reader, in pattern order.

    Remembered per line apart from ``dayfirst``, which only reads the
    matches (07/08/2024): the layout's lines are asked for dates both ways.
    """
    normalised = unicodedata.normalize("NFC", text)
    s = normalised if len(normalised) == len(text) else text
    if not has_digit(s):
        return ()  # every date pattern prints a day or a year in digits: most lines of a page are passed over here
    # most lines with digits hold no four in a row (an amount, a quantity): the year patterns are passed over there
    year_patterns = _FOUR_DIGITS.search(s) is not None
    return tuple(
        (builder, match)
        for regex, builder in _PATTERNS
        if year_patterns or regex not in _FOUR_DIGIT_PATTERNS
        for match in regex.finditer(s)
    )


def infer_dayfirst(text: str) -> bool | None:
    """Tell from a whole document whether its numeric dates are day first.

    One unambiguous date (``17/11/2017`` or ``11/17/2017``) settles the order
    of every ambiguous one in the same document; dots are never month first.
    None when nothing in the text decides.

    >>> infer_dayfirst("Date 11/03/2017 ... paid 11/17/2017")
    False
    >>> infer_dayfirst("Datum 03.11.2017") is True
    True
    """
    day_first = month_first = 0
    for match in _NUMERIC.finditer(text):
        a, sep, b = int(match[1]), match[2], int(match[3])
        if sep == "." or (a > 12 >= b >= 1):
            day_first += 1
        elif b > 12 >= a >= 1:
            month_first += 1
    if day_first == month_first:
        return None
    return day_first > month_first


def _numeric_ymd(match, dayfirst: bool):
    a, b, year = int(match[1]), int(match[3]), match[4]
    y = int(year)
    if len(year) == 2:
        y += 2000 if y < 70 else 1900
    if dayfirst:
        day, month = (a, b) if b <= 12 else (b, a)
    else:
        month, day = (a, b) if a <= 12 else (b, a)
    return y, month, day


def clean_text(value) -> str | None:
    """Collapse whitespace; empty becomes None."""
    if value is None:
        return None
    s = re.sub(r"\s+", " ", str(value)).strip()
    return s or None


_CURRENCY_SIGNS = {"€": "EUR", "£": "GBP", "US$": "USD", "$": "USD", "¥": "JPY", "EURO": "EUR"}


def parse_currency(text) -> str | None:
    """An ISO 4217 code from a printed code or sign; None when neither is there.

    >>> parse_currency(" eur ")
    'EUR'
    >>> parse_currency("€")
    'EUR'
    >>> parse_currency("Euro"), parse_currency("12,00")
    ('EUR', None)
    """
    s = clean_text(text)
    if s is None:
        return None
    if re.fullmatch(r"[A-Za-z]{3}", s):
        return s.upper()
    for sign, code in _CURRENCY_SIGNS.items():
        if sign in s.upper():
            return code
    return None
