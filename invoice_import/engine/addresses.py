"""A party's postal address: the pivot's shape, and the "postcode city" line that anchors it on a page.

The pivot holds an address as a dict with the keys ``street``, ``street2``, ``zip``, ``city`` and
``country_code`` (ISO 3166 alpha-2), each present only when the file states it; no address is ``None``.
The Odoo layer writes it on a vendor created from the file (street, street2, zip, city, country).

E-invoices state the address field by field. On a printed page the address is a few lines under the
seller's name; the one line every postal address has in a recognisable shape is "postcode city" (or
"city postcode" in the United Kingdom, "city STATE zip" in the United States, Canada and Australia). That
line is accepted only when its postcode has the shape of the country's postcodes; the line above it is the
street. A postcode shape alone proves little (five digits are many things), so the template-free reader
looks for it only in the seller's own block of lines.
"""

from __future__ import annotations

import re

ADDRESS_KEYS = ("street", "street2", "zip", "city", "country_code")

# Postcode shapes by country (the national postal services' formats). The optional prefix is the
# country letter(s) some senders write before the code ("D-80331", "F-75001", "CH-8001").
_POSTCODES = {
    "DE": r"\d{5}",
    "FR": r"\d{5}",
    "IT": r"\d{5}",
    "ES": r"\d{5}",
    "FI": r"\d{5}",
    "EE": r"\d{5}",
    "HR": r"\d{5}",
    "LT": r"(?:LT-?)?\d{5}",
    "NL": r"\d{4} ?[A-Z]{2}",
    "BE": r"\d{4}",
    "AT": r"\d{4}",
    "CH": r"\d{4}",
    "LU": r"(?:L-?)?\d{4}",
    "DK": r"\d{4}",
    "NO": r"\d{4}",
    "HU": r"\d{4}",
    "SI": r"\d{4}",
    "SE": r"\d{3} ?\d{2}",
    "CZ": r"\d{3} ?\d{2}",
    "SK": r"\d{3} ?\d{2}",
    "GR": r"\d{3} ?\d{2}",
    "PL": r"\d{2}-\d{3}",
    "PT": r"\d{4}-\d{3}",
    "IE": r"[AC-FHKNPRTV-Y]\d{2} ?[0-9AC-FHKNPRTV-Y]{4}",
}
# Where the postcode follows the city (and, in North America and Australia, a state or province code).
_GB_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}"
_TRAILING = {
    "GB": _GB_POSTCODE,
    "US": r"[A-Z]{2},? \d{5}(?:-\d{4})?",
    "CA": r"(?:[A-Z]{2},? )?[A-Z]\d[A-Z] ?\d[A-Z]\d",
    "AU": r"(?:NSW|VIC|QLD|SA|WA|TAS|NT|ACT),? \d{4}",
}
# The letters before a leading postcode that name the country ("D-", "F-", "CH-", "NL-").
_PREFIX = r"(?:[A-Z]{1,2}-)?"
_CITY = r"[^\W\d_][^\d@:;|]*?"
_NAMES = {
    "DE": ("germany", "deutschland"),
    "FR": ("france",),
    "NL": ("netherlands", "nederland", "the netherlands"),
    "BE": ("belgium", "belgique", "belgië", "belgie"),
    "AT": ("austria", "österreich", "osterreich"),
    "CH": ("switzerland", "schweiz", "suisse", "svizzera"),
    "IT": ("italy", "italia"),
    "ES": ("spain", "españa", "espana"),
    "GB": ("united kingdom", "uk", "great britain", "england", "scotland", "wales"),
    "US": ("united states", "usa", "united states of america"),
    "AU": ("australia",),
    "IE": ("ireland",),
    "LU": ("luxembourg",),
    "PL": ("poland", "polska"),
    "PT": ("portugal",),
    "DK": ("denmark", "danmark"),
    "SE": ("sweden", "sverige"),
    "CA": ("canada",),
}
_COUNTRY_BY_NAME = {name: code for code, names in _NAMES.items() for name in names}


def clean_address(values: dict | None) -> dict | None:
    """The address with empty values dropped and text trimmed; None when nothing is left.

    >>> clean_address({"street": " Hauptstr. 1 ", "zip": "", "city": "Berlin", "country_code": "de"})
    {'street': 'Hauptstr. 1', 'city': 'Berlin', 'country_code': 'DE'}
    >>> clean_address({"street": None}) is None
    True
    """
    result = {}
    for key in ADDRESS_KEYS:
        value = " ".join(str((values or {}).get(key) or "").split())
        if value:
            result[key] = value.upper() if key == "country_code" else value
    if "country_code" in result and not re.fullmatch(r"[A-Z]{2}", result["country_code"]):
        del result["country_code"]
    return result or None


def country_from_name(text: str | None) -> str | None:
    """The ISO code of a country written out on its own line ("Germany", "Deutschland"), or None.

    >>> country_from_name("Deutschland"), country_from_name("The Netherlands"), country_from_name("Berlin")
    ('DE', 'NL', None)
    """
    return _COUNTRY_BY_NAME.get(" ".join((text or "").casefold().replace(".", "").split()))


def postcode_city(line: str, countries: tuple[str, ...] | list[str]) -> dict | None:
    """``{"zip", "city", "country_code"}`` when ``line`` is a "postcode city" line of one of ``countries``.

    ``countries`` are tried in order (the country the seller's VAT number names first); the postcode must
    have that country's shape and the city must be words, not a number or a label. Returns None otherwise.

    >>> postcode_city("D-80331 München", ["DE"])
    {'zip': '80331', 'city': 'München', 'country_code': 'DE'}
    >>> postcode_city("1012 AB Amsterdam", ["DE", "NL"])
    {'zip': '1012 AB', 'city': 'Amsterdam', 'country_code': 'NL'}
    >>> postcode_city("London EC1A 1BB", ["GB"])
    {'zip': 'EC1A 1BB', 'city': 'London', 'country_code': 'GB'}
    >>> postcode_city("Springfield, IL 62704", ["US"])
    {'zip': '62704', 'city': 'Springfield', 'country_code': 'US', 'state': 'IL'}
    >>> postcode_city("Invoice 12345 Total", ["DE"]) is None, postcode_city("12345", ["DE"]) is None
    (True, True)
    """
    text = " ".join(line.split()).strip(" ,")
    for country in countries:
        found = _match(text, country)
        if found:
            return found
    return None


def _match(text: str, country: str) -> dict | None:
    if country in _POSTCODES:
        shape = _POSTCODES[country]
        match = re.fullmatch(rf"{_PREFIX}(?P<zip>{shape})\s+(?P<city>{_CITY})", text)
        if match and _is_city(match["city"]):
            zip_code = re.sub(r"^[A-Z]{1,2}-?(?=\d)", "", match["zip"]) if country in ("LT", "LU") else match["zip"]
            return {"zip": zip_code, "city": match["city"].strip(" ,"), "country_code": country}
    if country in _TRAILING:
        match = re.fullmatch(rf"(?P<city>{_CITY}),?\s+(?P<zip>{_TRAILING[country]})", text)
        if match and _is_city(match["city"]):
            result = {"zip": match["zip"], "city": match["city"].strip(" ,"), "country_code": country}
            state = re.match(r"([A-Z]{2,3}),? (?=\S)", match["zip"])
            if state and country in ("US", "CA", "AU"):
                result["zip"] = match["zip"][state.end() :]
                result["state"] = state[1]
            return result
    return None


def _is_city(city: str) -> bool:
    """Words of letters, at most five of them: "Frankfurt am Main", not "Invoice date" or a sentence."""
    words = city.strip(" ,").split()
    return 0 < len(words) <= 5 and sum(ch.isalpha() for ch in city) >= 2 and not city.rstrip().endswith(":")


def address_from_lines(lines: list[str], countries: tuple[str, ...] | list[str]) -> dict | None:
    """The address in a block of lines printed under a party's name: the "postcode city" line, the street above.

    The street is the line just above the postcode line when it holds a digit or a street word (a line of
    plain words there is more often a department or a person); a line between it and the name is the second
    street line. A country written out under the postcode line names the country when the postcode shape
    alone cannot. Returns the pivot's address dict, or None when no line has a postcode shape.

    >>> address_from_lines(["ACME GmbH", "Industriestraße 12", "70173 Stuttgart", "Germany"], ["DE"])
    {'street': 'Industriestraße 12', 'zip': '70173', 'city': 'Stuttgart', 'country_code': 'DE'}
    """
    # country by country over the whole block: the seller's own country's shape wins over another's
    # (a street number "1242 chemin ..." has a Belgian postcode's shape, "84340 Malaucène" a French one's)
    hits = ((index, postcode_city(line, [country])) for country in countries for index, line in enumerate(lines))
    for index, found in hits:
        if not found:
            continue
        line = lines[index]
        found.pop("state", None)  # the pivot has no state: Odoo's states are records, not codes
        after = lines[index + 1] if index + 1 < len(lines) else ""
        named = country_from_name(after)
        if named and named != found["country_code"] and named in _POSTCODES | _TRAILING:
            refound = postcode_city(line, [named])
            if refound:
                refound.pop("state", None)
                found = refound
        elif not named and found["country_code"] != countries[0]:
            # "8001 Zürich" has the shape of Swiss, Belgian, Austrian and Danish postcodes alike
            if sum(1 for country in countries if postcode_city(line, [country])) > 1:
                del found["country_code"]
        above = [text.strip(" ,") for text in lines[max(0, index - 2) : index]]
        if above and is_street(above[-1]):
            found["street"] = above[-1]
            if len(above) == 2 and is_street(above[0]) and index - 2 > 0:
                found["street2"], found["street"] = found["street"], above[0]
        return clean_address(found)
    return None


_STREET_WORDS = re.compile(
    r"(?i)(stra(ss|ß)e|str\.|weg\b|gasse|platz|allee|ring\b|damm\b|ufer\b|rue\b|avenue|av\.|boulevard|bd\b|"
    r"chemin|place\b|all[ée]e|quai\b|straat|laan\b|plein\b|gracht|kade\b|via\b|viale|piazza|corso|calle|"
    r"avenida|plaza|carrer|road\b|rd\b|street\b|st\b\.?|lane\b|ln\b|drive\b|dr\b|way\b|close\b|court\b|"
    r"house\b|park\b|suite\b|unit\b|floor\b|p\.?o\.? box|postfach|bp\b|cs\b)"
)


def is_street(text: str) -> bool:
    """A street line: a house number or a street word, and no label, e-mail or web address."""
    if not text or len(text) > 60 or "@" in text or "www." in text.casefold() or ":" in text:
        return False
    return bool(re.search(r"\d", text) or _STREET_WORDS.search(text))
