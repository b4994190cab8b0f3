"""Split a free-form phone number into country / area / subscriber parts for ledgers that store them apart.

Odoo keeps one string; Xero wants ``PhoneCountryCode``, ``PhoneAreaCode`` and ``PhoneNumber``.  Parsing
with libphonenumber gets area codes right per country (3 digits in the US, 1-5 in Germany, none in
Denmark) instead of guessing from spaces.  Mobiles have no area: their operator prefix (NZ 21, FR 6)
goes in the area field, as Xero's own screens show them.
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers


@dataclass(frozen=True)
class PhoneParts:
    country_code: str
    area_code: str
    number: str
    extension: str = ""
    e164: str = ""


def split_phone(raw: str | None, default_region: str | None = None) -> PhoneParts | None:
    """Parts of ``raw``; an unparseable number is kept whole in ``number`` so nothing is lost.

    >>> split_phone("+1 650-253-0000")
    PhoneParts(country_code='1', area_code='650', number='2530000', extension='', e164='+16502530000')
    >>> split_phone("020 7946 0958", "GB").area_code
    '20'
    >>> split_phone("") is None
    True
    """
    if not raw or not raw.strip():
        return None
    region = (default_region or "").upper() or None
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return PhoneParts("", "", raw.strip())
    if not phonenumbers.is_possible_number(parsed):
        return PhoneParts("", "", raw.strip())
    national = phonenumbers.national_significant_number(parsed)
    area_length = phonenumbers.length_of_geographical_area_code(parsed)
    if not area_length and phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE:
        area_length = phonenumbers.length_of_national_destination_code(parsed)  # the operator prefix
    return PhoneParts(
        country_code=str(parsed.country_code),
        area_code=national[:area_length],
        number=national[area_length:],
        extension=parsed.extension or "",
        e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
    )
