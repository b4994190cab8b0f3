"""Glyphs OCR reads for one another, and the one repair a check confirms.

A scan turns a "1" into an "I", a "0" into an "O", a "B" into an "8":
the shapes differ by a stroke or a gap.  Which reading is right is never
decided by the glyph; it is decided by something the value must satisfy
(a VAT number's check digits).  So the readings
are enumerated here and the caller keeps one only when its check passes
for exactly that one: two readings that pass say the check cannot tell,
and a guess is worse than the value as printed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

# The digits a letter (or mark) of similar shape may stand for, most likely first: closed loops ("B", "D",
# "O", "Q"), a lone stroke ("I", "l", "|"), an open curve ("S", "Z", "G"), a bar over a stem ("T").
AS_DIGIT = {
    "O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "l": "1", "|": "1", "!": "1",
    "Z": "27", "S": "58", "$": "58", "B": "83", "G": "6", "b": "6", "T": "7", "A": "4", "g": "9", "q": "9",
}  # fmt: skip
# More lookalike places than this make too many readings for a check digit to single one out.
_MAX_PLACES = 4


def readings(text: str, places: dict[int, str]) -> list[str]:
    """Every reading of ``text`` with the characters at ``places`` replaced by one of their lookalikes.

    ``places`` maps a position to the characters that may stand there
    instead; the printed character is always one of the readings.

    >>> readings("DEI3", {2: "1"})
    ['DEI3', 'DE13']
    >>> readings("S8", {0: "58", 1: "B"})
    ['S8', 'SB', '58', '5B', '88', '8B']
    """
    options = [ch + "".join(other for other in places.get(index, "") if other != ch) for index, ch in enumerate(text)]
    return ["".join(chars) for chars in itertools.product(*options)]


def only_reading(text: str, places: dict[int, str], passes: Callable[[str], bool]) -> str | None:
    """The one reading of ``text`` (lookalikes at ``places``) that ``passes`` its check, else None.

    None when no reading passes, when several do (the check cannot tell
    them apart) or when there are more than ``_MAX_PLACES`` places to read
    again (a token that garbled is no value).

    >>> only_reading("1O", {1: "0"}, lambda value: value.isdigit())
    '10'
    >>> only_reading("S", {0: "58"}, lambda value: value.isdigit()) is None  # 5 or 8: the check cannot tell
    True
    """
    if not places or len(places) > _MAX_PLACES:
        return None
    passing = [reading for reading in readings(text, places) if passes(reading)]
    return passing[0] if len(passing) == 1 else None


def digit_places(text: str) -> dict[int, str]:
    """The positions of ``text`` holding a letter that may be a misread digit, with the digits it may be.

    >>> digit_places("I3669S976")
    {0: '1', 5: '58'}
    """
    return {index: AS_DIGIT[ch] for index, ch in enumerate(text) if ch in AS_DIGIT}
