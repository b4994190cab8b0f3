"""VAT numbers, ABN and IBAN: found in text, checked for format and check digits.

A value that merely looks like "DE" + digits may be a bank code or a
waste-registration number; the per-country format rejects most of those,
and the check digits (where a public algorithm exists) tell a real number
from a typo.  A failed checksum lowers confidence but does not discard the
number: sample and test invoices often print placeholder numbers.

>>> vat_number("FR 11 999 999 998")
('FR11999999998', True)
>>> vat_number("DE136695976")
('DE136695976', True)
>>> vat_number("DE87654321") is None
True
>>> vat_number("DEI36695976")  # OCR read the 1 as an I: the check digit confirms the repair
('DE136695976', True)
>>> vat_number("DEI23456789") is None  # the repaired number fails its check digit: not a reading
True
>>> iban_number("DE08 7009 0100 1234 5678 90")
'DE08700901001234567890'
>>> abn_number("51 824 753 556")
'51824753556'
"""

from __future__ import annotations

import re

from .lookalikes import digit_places, only_reading

_VAT_FORMATS = {
    "AT": r"U\d{8}", "BE": r"[01]\d{9}", "BG": r"\d{9,10}", "CY": r"\d{8}[A-Z]", "CZ": r"\d{8,10}",
    "DE": r"\d{9}", "DK": r"\d{8}", "EE": r"\d{9}", "EL": r"\d{9}", "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}", "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}", "HR": r"\d{11}", "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]", "IT": r"\d{11}", "LT": r"\d{9}|\d{12}", "LU": r"\d{8}",
    "LV": r"\d{11}", "MT": r"\d{8}", "NL": r"\d{9}B\d{2}", "PL": r"\d{10}", "PT": r"\d{9}", "RO": r"[1-9]\d{1,9}",
    "SE": r"\d{10}01", "SI": r"\d{8}", "SK": r"\d{10}", "GB": r"\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2}",
    "XI": r"\d{9}|\d{12}", "CHE": r"\d{9}(?:MWST|TVA|IVA)?", "NO": r"\d{9}(?:MVA)?",
}  # fmt: skip
_VAT_CANDIDATE = re.compile(
    r"(?<![A-Z0-9])(" + "|".join(sorted(_VAT_FORMATS, key=len, reverse=True)) + r")[ .\-]?"
    r"([0-9A-Z+*](?:[0-9A-Z+*]|[ .\-](?=[0-9A-Z])){5,20})"
)
# Up to three separators before it (``vat_number``'s reach); digits in groups, ending the token.
_MALFORMED_VAT = re.compile(r"[\s:#.]{0,3}([A-Z]{2,3})[ .\-]?(\d(?:[ .\-]?\d){6,13})(?![0-9A-Z])")
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AT": 20, "BA": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GI": 23, "GL": 18, "GR": 27, "HR": 21, "HU": 28,
    "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "ME": 22, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26, "VA": 22,
}  # fmt: skip
_IBAN_CANDIDATE = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{2,4}){2,9})")
_ABN_CANDIDATE = re.compile(r"(?<!\d)(\d{2}[ ]?\d{3}[ ]?\d{3}[ ]?\d{3})(?!\d)")


def vat_number(text: str) -> tuple[str, bool | None] | None:
    """The VAT number at the start of ``text``, compacted, with its checksum verdict (None: no public algorithm)."""
    found = find_vat_numbers(text)
    return (found[0][2], found[0][3]) if found and found[0][0] <= 3 else None


def malformed_vat_number(text: str) -> str | None:
    """The number at the start of ``text`` shaped like a VAT number but failing its country's format, compacted.

    Only asked right after a sure VAT label ("USt-IdNr.", "VAT number"):
    sample and test invoices print made-up numbers a digit or two off
    their country's length, and a person rather confirms the printed
    value than types it.  A country code and seven to fourteen digits, as
    one token.

    >>> malformed_vat_number("DE12345618938")
    'DE12345618938'
    >>> malformed_vat_number("FR 1234 5678 90")
    'FR1234567890'
    >>> malformed_vat_number("DE136695976") is None  # well-formed: ``vat_number`` reads it
    True
    >>> malformed_vat_number("Deutsche Bank 12345678") is None
    True
    """
    match = _MALFORMED_VAT.match(text.upper())
    if match is None or match.group(1) not in _VAT_FORMATS:
        return None
    digits = re.sub(r"[ .\-]", "", match.group(2))
    if not 7 <= len(digits) <= 14 or find_vat_numbers(match.group(0)):
        return None
    return match.group(1) + digits


def find_vat_numbers(text: str) -> list[tuple[int, int, str, bool | None]]:
    """Every well-formed VAT number of ``text``: (start, end, compact value, checksum verdict).

    A country code printed as a lower-case word of its own is a word of the
    sentence ("capital de 712588 399", "es 123456789"), not a prefix: a VAT
    number's country is written in capitals, or glued to its digits.

    >>> [found[2] for found in find_vat_numbers("SAS au capital de 712588 399 EUR")]
    []
    >>> [found[2] for found in find_vat_numbers("USt-IdNr. DE 136695976")]
    ['DE136695976']
    """
    found = []
    upper = text.upper()
    same_places = len(upper) == len(text)  # "ß" becomes "SS": the places of ``upper`` are not ``text``'s then
    for match in _VAT_CANDIDATE.finditer(upper):
        country, body = match.group(1), match.group(2)
        printed = text[match.start(1) : match.end(1)] if same_places else country
        if printed.islower() and match.end(1) < match.start(2):
            continue
        pieces = re.split(r"[ .\-]", body)
        for count in range(len(pieces), 0, -1):
            number = "".join(pieces[:count])
            checksum = _vat_checksum(country, number) if re.fullmatch(_VAT_FORMATS[country], number) else None
            if checksum is None or checksum is False:
                repaired = _digit_repair(country, number)
                if repaired is not None:
                    number, checksum = repaired, True
                elif not re.fullmatch(_VAT_FORMATS[country], number):
                    continue
            end = match.start(2) + len(" ".join(pieces[:count]))
            found.append((match.start(), end, country + number, checksum))
            break
    return found


def _digit_repair(country: str, number: str) -> str | None:
    """``number`` with OCR's letter-for-digit confusions undone, if exactly one reading passes its check digits.

    A letter may stand for more than one digit ("S" for 5 or 8, "B" for 8
    or 3): every reading is tried, and two that pass leave the number unread.

    >>> _digit_repair("DE", "I36695976"), _digit_repair("DE", "13669S976")
    ('136695976', '136695976')
    """
    if country not in _CHECKSUMS or not any(ch.isalpha() for ch in number):
        return None

    def passes(value: str) -> bool:
        return bool(re.fullmatch(_VAT_FORMATS[country], value)) and bool(_vat_checksum(country, value))

    return only_reading(number, digit_places(number), passes)


def _vat_checksum(country: str, number: str) -> bool | None:
    """The number's check digits by python-stdnum (None: the country has no public algorithm there)."""
    module = _STDNUM_VAT.get(country)
    if module is None:
        return None
    try:
        return bool(module.is_valid(country + number))
    except Exception:  # stdnum raises only on inputs it cannot even parse: not a valid number
        return False


def _stdnum_vat_modules() -> dict:
    from stdnum import get_cc_module
    from stdnum.eu import vat as eu_vat

    modules = {country: eu_vat for country in _VAT_FORMATS if country not in ("GB", "CHE", "NO")}
    for country, cc, name in (("GB", "gb", "vat"), ("XI", "gb", "vat"), ("CHE", "ch", "vat"), ("NO", "no", "mva")):
        module = get_cc_module(cc, name)
        if module is not None:
            modules[country] = _Prefixed(module, len(country)) if country in ("XI", "NO") else module
    return modules


class _Prefixed:
    """A national module that wants the number without the country prefix the VAT format prints."""

    def __init__(self, module, prefix: int):
        self.module, self.prefix = module, prefix

    def is_valid(self, number: str) -> bool:
        return self.module.is_valid(number[self.prefix :])


_STDNUM_VAT = _stdnum_vat_modules()
_CHECKSUMS = _STDNUM_VAT


def _luhn(number: str) -> bool:
    total = 0
    for index, digit in enumerate(int(d) for d in reversed(number)):
        if index % 2:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return total % 10 == 0


def _mod97(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text)) % 97


def iban_number(text: str) -> str | None:
    found = find_ibans(text)
    return found[0][2] if found else None


def find_ibans(text: str) -> list[tuple[int, int, str]]:
    """IBANs of ``text`` whose length fits their country and whose mod-97 check holds."""
    found = []
    for match in _IBAN_CANDIDATE.finditer(text.upper()):
        compact = match.group(1).replace(" ", "")
        length = _IBAN_LENGTHS.get(compact[:2])
        if length is None or len(compact) < length:
            continue
        iban = compact[:length]
        if _mod97(iban[4:] + iban[:4]) == 1:
            found.append((match.start(), match.end(), iban))
    return found


def abn_number(text: str) -> str | None:
    """An Australian Business Number (11 digits, weighted checksum mod 89) in ``text``."""
    for match in _ABN_CANDIDATE.finditer(text):
        digits = [int(d) for d in match.group(1).replace(" ", "")]
        digits[0] -= 1
        weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
        if sum(d * w for d, w in zip(digits, weights, strict=True)) % 89 == 0:
            return match.group(1).replace(" ", "")
    return None


# ----------------------------------------------------------------------------- company registration numbers

# Company identifiers by the label that introduces them (folded, as ``labels.fold`` writes it): the scheme,
# the python-stdnum module that checks it, and the characters it is made of.  ``None`` as module: the scheme
# has no check digit (a Dutch KvK number, a German Handelsregister or Steuernummer, a UK company number are
# checked for their shape only), so the number is evidence by its label alone.
_COMPANY_SCHEMES = (
    (("siret",), "SIRET", ("fr", "siret")),
    (("siren", "rcs"), "SIREN", ("fr", "siren")),
    (("acn",), "ACN", ("au", "acn")),
    (("abn",), "ABN", ("au", "abn")),
    (("uen",), "UEN", ("sg", "uen")),
    (("gstin", "gst no", "gst reg", "gst number"), "GSTIN", ("in_", "gstin")),
    (("codice fiscale", "c f", "partita iva", "p iva"), "IT", ("it", "codicefiscale")),
    (("ondernemingsnummer", "numero d entreprise", "unternehmensnummer", "bce", "kbo"), "BE", ("be", "vat")),
    (("uid", "ide", "unternehmens id"), "CHE", ("ch", "uid")),
    (("cif", "nif"), "ES", ("es", "nif")),
    (("kvk", "kamer van koophandel"), "KvK", None),
    (("hrb", "hra", "handelsregister", "registergericht"), "HR", None),
    (("steuernummer", "steuer nr", "steuernr", "st nr"), "StNr", None),
    (("company number", "company no", "company reg no", "registration number", "registered number"), "CRN", None),
)
_COMPANY_NUMBER = re.compile(
    r"[\s:]*(?:(?i:nr|no|n°)\.?)?[\s:]*((?:CHE|[A-Z]{0,3})[\s\-.]?\d[\dA-Z ./\-]{3,24}[\dA-Z])"
)


def company_id(label: str, text: str) -> tuple[str, str, bool | None] | None:
    """The company number ``text`` starts with, after a label such as ``SIREN`` or ``ABN``.

    Returns ``(scheme, compact number, verdict)``: the verdict of the
    scheme's check digits by python-stdnum (True, False), or None where the
    scheme has none; None when no number follows.  A SIRET's first nine
    digits are the SIREN, and a French VAT number holds the SIREN: that is
    how ``holds_company_id`` ties a company number to a VAT number.

    >>> company_id("SIREN", ": 123 456 782")
    ('SIREN', '123456782', True)
    >>> company_id("SIRET", "123 456 789 00014")
    ('SIRET', '12345678900014', False)
    >>> company_id("ACN", "004 085 616")
    ('ACN', '004085616', True)
    >>> company_id("KvK", "nr. 12345678")
    ('KvK', '12345678', None)
    """
    from .labels import fold

    folded = " ".join(fold(label).split())
    scheme, module_name = None, None
    for labels, name, module in _COMPANY_SCHEMES:
        if any(f" {known} " in f" {folded} " for known in labels):
            scheme, module_name = name, module
            break
    if scheme is None:
        return None
    match = _COMPANY_NUMBER.match(text)
    if match is None:
        return None
    compact = re.sub(r"[\s\-./]", "", match.group(1)).upper()
    if module_name is None:
        return scheme, compact, None
    module = _stdnum_module(*module_name)
    if module is None:
        return scheme, compact, None
    for length in range(len(compact), 7, -1):  # a number followed by more of the line: the longest valid prefix
        try:
            if module.is_valid(compact[:length]):
                return scheme, compact[:length], True
        except Exception:  # stdnum raises only on inputs it cannot parse
            continue
    return scheme, compact, False


def holds_company_id(vat: str, scheme: str, number: str) -> bool:
    """Whether a VAT number is built on the company number (FR: key + SIREN; BE, IT: the same digits; AU: ABN)."""
    vat_digits = re.sub(r"\D", "", vat)
    digits = re.sub(r"\D", "", number)
    if scheme == "SIRET":
        digits = digits[:9]
    if scheme == "ACN":
        return vat_digits.endswith(digits) and len(vat_digits) == 11
    return len(digits) >= 8 and digits in vat_digits


def _stdnum_module(country: str, name: str):
    from stdnum import get_cc_module

    try:
        return get_cc_module(country.rstrip("_"), name)
    except Exception:
        return None


def vat_from_company_id(scheme: str, number: str) -> str | None:
    """The French VAT number a checked SIREN (or a SIRET's first nine digits) implies: FR + key + SIREN.

    The key is arithmetic on the SIREN (``(12 + 3 * (SIREN mod 97)) mod
    97``), so a SIREN whose Luhn digit holds gives the one VAT number the
    company can have.  Used when OCR lost the printed VAT number (a light
    footer) but the company number survived; the caller keeps it at low
    confidence, as the page does not print it.

    >>> vat_from_company_id("SIREN", "303265045")
    'FR40303265045'
    >>> vat_from_company_id("SIRET", "30326504500019")
    'FR40303265045'
    >>> vat_from_company_id("SIREN", "303265046") is None  # its check digit fails
    True
    >>> vat_from_company_id("KvK", "12345678") is None
    True
    """
    if scheme not in ("SIREN", "SIRET"):
        return None
    siren = re.sub(r"\D", "", number)[:9]
    if len(siren) != 9 or not _luhn(siren):
        return None
    key = (12 + 3 * (int(siren) % 97)) % 97
    vat = f"FR{key:02d}{siren}"
    return vat if _vat_checksum("FR", vat[2:]) else None
