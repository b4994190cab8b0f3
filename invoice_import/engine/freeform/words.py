"""Amounts written in words ("One Hundred Thirty-Five and One Paise Only"): a check OCR digits cannot spoil.

Invoices from India, and cheques and invoices in many English-speaking
countries, print the total a second time in words under the figures
("Total in words: Indian Rupee One Hundred Thirty-Five and One Paise
Only", "Rupees Twelve Thousand Five Hundred Only", "Two hundred dollars
and 50 cents").  A scan that misreads a digit of the total, or reads the
currency sign before it as one more digit ("₹135.01" as "2135.01"),
leaves the words intact: words have no glyph that passes for another.
The value read here is only a referee, never a total on its own: the
reader proposes it where the printed figures are that value misread.

English words only, with the Indian scales (lakh, crore) beside the
western ones; a run of number words needs two words at least ("one"
alone is too common in sentences to be an amount).
"""

from __future__ import annotations

import re
from decimal import Decimal

from .labels import fold

_UNITS = {
    name: value
    for value, name in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
        " seventeen eighteen nineteen".split()
    )
}
_TENS = {
    name: 10 * value for value, name in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_HUNDRED = {"hundred": 100}
_SCALES = {"thousand": 10**3, "lakh": 10**5, "lakhs": 10**5, "lac": 10**5, "million": 10**6, "crore": 10**7}
_SCALES |= {"crores": 10**7, "billion": 10**9}
_NUMBER_WORDS = _UNITS | _TENS | _HUNDRED | _SCALES
# the hundredths of a currency, after or before their number ("and One Paise", "and Paise Fifty", "and 50 cents")
_MINOR = {"paise", "paisa", "cent", "cents", "pence", "penny", "centimes", "centavos", "kobo", "sen"}
_WORD = re.compile(r"[a-z]+|\d{1,2}\b")
_MIN_WORDS = 2


def amounts_in_words(text: str) -> list[Decimal]:
    """Every amount ``text`` writes in words, with its hundredths when they are written too."""
    return _amounts_in_tokens(_WORD.findall(fold(text)))


def amounts_in_lines(texts: list[str]) -> list[Decimal]:
    """Every amount written in words on one of ``texts`` (lines) or across one and the next (the words wrap), once.

    Each line is split into words once (folding keeps one character for
    one, so a pair's words are its two lines' words); a pair of lines
    without a number word holds no amount and is passed over: most pairs.

    >>> amounts_in_lines(["Total in words: Rupees One Hundred", "Thirty-Five and One Paise Only", "Thank you"])
    [Decimal('135.01'), Decimal('35.01')]
    """
    tokens = [_WORD.findall(fold(text)) for text in texts]
    spelled = [not _NUMBER_WORDS.keys().isdisjoint(line) for line in tokens]
    found: list[Decimal] = []
    for index, line in enumerate(tokens):
        following = index + 1 < len(tokens)
        if not (spelled[index] or following and spelled[index + 1]):
            continue
        for value in _amounts_in_tokens(line + tokens[index + 1] if following else line):
            if value not in found:
                found.append(value)
    return found


def _amounts_in_tokens(tokens: list[str]) -> list[Decimal]:
    found = []
    position = 0
    while position < len(tokens):
        whole, after = _number_run(tokens, position)
        if after - position < _MIN_WORDS or whole is None:
            position = max(after, position + 1)
            continue
        cents, after = _minor_part(tokens, after)
        found.append(Decimal(whole) + Decimal(cents) / 100)
        position = after
    return found


def _number_run(tokens: list[str], start: int) -> tuple[int | None, int]:
    """The integer a run of number words starting at ``start`` spells, and where the run ends.

    "and" inside a run ("one hundred and five") is part of it; a scale word
    closes a group ("twelve thousand five hundred" = 12 x 1000 + 5 x 100).
    """
    total = group = 0
    position = start
    words = 0
    while position < len(tokens):
        token = tokens[position]
        if token == "and" and words and _is_word_number(tokens, position + 1) and not _minor_follows(tokens, position):
            position += 1
            continue
        if token not in _NUMBER_WORDS:
            break
        value = _NUMBER_WORDS[token]
        if token in _HUNDRED:
            group = max(group, 1) * value
        elif token in _SCALES:
            total += max(group, 1) * value
            group = 0
        else:
            group += value
        words += 1
        position += 1
    return (total + group if words else None), position


def _is_word_number(tokens: list[str], position: int) -> bool:
    return position < len(tokens) and tokens[position] in _NUMBER_WORDS


def _minor_follows(tokens: list[str], position: int) -> bool:
    """Whether the "and" at ``position`` starts the hundredths ("and One Paise"), not "hundred and five"."""
    whole, after = _number_run(tokens, position + 1)
    return whole is not None and after < len(tokens) and tokens[after] in _MINOR


def _minor_part(tokens: list[str], position: int) -> tuple[int, int]:
    """The hundredths written after the whole amount, and where they end (0 and ``position`` when none).

    Currency names may sit between ("Rupees", "dollars"): up to two words
    are passed over before the "and" that introduces the hundredths.
    """
    for skip in range(3):
        at = position + skip
        if at >= len(tokens) or tokens[at] != "and":
            continue
        at += 1
        if at < len(tokens) and tokens[at] in _MINOR:  # "and Paise Fifty"
            cents, end = _cents_at(tokens, at + 1)
            return (cents, end) if cents is not None else (0, position)
        cents, end = _cents_at(tokens, at)
        if cents is not None and end < len(tokens) and tokens[end] in _MINOR:
            return cents, end + 1
        return 0, position
    return 0, position


def _cents_at(tokens: list[str], position: int) -> tuple[int | None, int]:
    """Hundredths in words or digits ("fifty", "50"), below one hundred."""
    if position < len(tokens) and tokens[position].isdigit():
        return int(tokens[position]), position + 1
    cents, end = _number_run(tokens, position)
    return (cents, end) if cents is not None and cents < 100 else (None, position)
