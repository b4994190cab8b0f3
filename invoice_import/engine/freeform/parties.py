"""Who sent the invoice and to whom: names, VAT numbers, contact and bank details.

The supplier is the party printed in the letterhead, the sender line above
the address window ("Bei Spiel GmbH ● Ecke 12 ● 12345 Stadthausen") and the
footer; the customer is the one after "Bill to", "Rechnungsempfänger",
"Client" or under the sender line.  Everything found inside the customer's
block, or labelled as the customer's ("N° TVA client", "Ihre USt-IdNr",
"von Ihrem Konto"), is kept away from the supplier.  An e-mail or website
domain that spells the company name confirms it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from ..addresses import address_from_lines, country_from_name, is_street
from ..pivot import Party
from .confidence import Choice, Evidence
from .document import Document, Line
from .labels import (
    COMPANY_ID,
    CUSTOMER_ROLE,
    CUSTOMER_VAT,
    DELIVERY_ROLE,
    DUE_DATE,
    EMAIL,
    IBAN,
    ISSUE_DATE,
    NUMBER,
    OWN_VAT,
    PHONE,
    PO,
    SUPPLIER_ROLE,
    TABLE_HEADER,
    TITLE,
    VAT,
    fold,
)
from .taxids import (
    abn_number,
    company_id,
    find_ibans,
    find_vat_numbers,
    holds_company_id,
    malformed_vat_number,
    vat_from_company_id,
    vat_number,
)

_LEGAL_FORMS = (
    r"GmbH(?:\s*&\s*Co\.?\s*KG)?|AG|KG|OHG|UG(?:\s*\(haftungsbeschränkt\))?|e\.\s?K\.|e\.\s?V\.|SARL|S\.A\.R\.L\.|"
    r"SAS|SASU|S\.A\.S\.|S\.\s?à\s?r\.\s?l\.|Sàrl|SA|S\.A\.|EURL|SNC|SCI|B\.?V\.?|N\.?V\.?|VOF|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|"
    r"Corp\.?|Corporation|PLC|LLP|LP|Pty\.?\s*Ltd\.?|S\.r\.l\.|SRL|S\.p\.A\.|SpA|S\.L\.|SL|Oy|AB|ApS|A/S|AS|"
    r"sp\. z o\.o\.|Sdn\.?\s*Bhd\.?|Bhd\.?|Pte\.?\s*Ltd\.?|Pvt\.?\s*Ltd\.?|Private\s+Limited"
)
# Legal forms a comma may set apart from the name ("Example, LLC", "Acme, Inc."); not "SA" or "AB", which
# after a comma are as often a state or a province ("Adelaide, SA 5000", "Calgary, AB").
_COMMA_FORMS = r"Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Limited|Corp\.?|Corporation|PLC|LLP|GmbH|S\.L\.|S\.A\.|B\.V\.|N\.V\."
_COMPANY = re.compile(
    r"(?<![\w&])((?:[\w&'’.\-]+\s+){0,5}?[\w&'’.\-]*?(?:,(?=\s*(?:"
    + _COMMA_FORMS
    + r")(?![\w])))?\s*(?<![\w])(?:"
    + _LEGAL_FORMS
    + r"))(?![\w])",
    re.IGNORECASE,
)
_CELL = re.compile(r"\S+(?:\s{1,2}\S+)*")  # text between column gaps (three spaces or more)
# A brand its owner writes in lower case, a word or two of letters ("readbetter", "zalando lounge"): in the
# sender line's first place the line's shape says it is a name.
_BRAND = re.compile(r"[^\W\d_][^\W\d_&.\-]{2,}(?:\s[^\W\d_][^\W\d_&.\-]{2,})?")
_SENDER_SEPARATORS = re.compile(r"\s*(?:[●•·|]|\s-\s|\s–\s)\s*")
_POSTCODE_CITY = re.compile(r"\b(?:[A-Z]{1,2}-)?\d{4,5}\s+[A-ZÄÖÜÉ][\w\-]+")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_WEBSITE = re.compile(r"(?:https?://|www\.)([\w\-]+(?:\.[\w\-]+)+)", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(\+?\(?\d[\d ()/.\-]{5,20}\d)(?![\w])")
_CUSTOMER_ACCOUNT = re.compile(
    r"ihrem konto|ihr konto|your account|votre compte|uw rekening|from your|de votre|van uw|debited", re.I
)
_HEADER_LINES = 6
_ROLES = (SUPPLIER_ROLE, CUSTOMER_ROLE, DELIVERY_ROLE)
_HEADER_FIELDS = {NUMBER, TITLE, ISSUE_DATE, DUE_DATE, PO}
_HEADER_ROW_FIELDS = 2  # a row of titles: the buyer's and those of two other fields at least
_LETTERHEAD_LINES = 4
_FOOTER_LINES = 8
_BLOCK_LINES = 4
_COLUMN_BLOCK_LINES = 8  # with positions the block ends where its column does
_REBUILT_VAT = 0.45  # a VAT number computed from a checked SIREN: not printed where it was read, a person confirms
# A number after a sure VAT label that fails its country's format (a sample's made-up number): below any
# well-formed one, labelled or not (0.4), so it is the seller's VAT only when the page prints no other.
_SURE_VAT_LABEL = 0.9
_MALFORMED_VAT = 0.45
# The bottom band of a page (a share of its height) where the issuer prints its legal details; a VAT number
# read there is a little surer the seller's (noisy-or with its label's score): enough to settle a tie only.
_FOOTER_SHARE = 0.15
_FOOTER_VAT = 0.2


@dataclass
class PartyFindings:
    name: Choice = field(default_factory=Choice)
    vat: Choice = field(default_factory=Choice)
    email: Choice = field(default_factory=Choice)
    phone: Choice = field(default_factory=Choice)
    iban: Choice = field(default_factory=Choice)
    company_id: Choice = field(default_factory=Choice)
    address: dict | None = None  # the pivot's address shape (engine.addresses), read from the seller's block


def read_parties(doc: Document, buyer: Party | None = None) -> tuple[PartyFindings, PartyFindings]:
    """(supplier, customer) as far as the page tells.

    ``buyer``, when the caller knows who the invoice is addressed to (the
    company's own name and VAT number), settles which party is which: the
    supplier is the party that is not the buyer.
    """
    customer_lines = _customer_block(doc)
    supplier, customer = PartyFindings(), PartyFindings()
    supplier_vat, customer_vat = _vat_evidence(doc, customer_lines)
    buyer_vat = _compact(buyer.vat) if buyer and buyer.vat else None
    buyer_name = _letters(buyer.name) if buyer and buyer.name else ""
    if buyer_vat:
        for value, _score, cands in supplier_vat.ranked():
            if _compact(value) == buyer_vat:
                for cand in cands:
                    customer_vat.add(value, cand.score + 0.5, "the company's own VAT number", cand.line)
        supplier_vat = supplier_vat.without(lambda value: _compact(value) == buyer_vat)
    customer.vat = customer_vat.choose()
    company_ids, checked = _company_id_evidence(doc, customer_lines)
    supplier_vat = _corroborate_vat(supplier_vat, checked)
    supplier.vat = supplier_vat.without(lambda value: value == customer.vat.value).choose()
    customer_names = _customer_name_evidence(doc)
    domains = _domains(doc)
    supplier_names = _supplier_name_evidence(doc, customer_lines, domains)
    supplier_names = _misread_twins(supplier_names)
    scraps = _ocr_scrap_values(doc, supplier_names)
    supplier_names = supplier_names.without(
        lambda value: (
            not _bare_name(value) or value in scraps or (bool(buyer_name) and _similar_letters(value, buyer_name))
        )
    )
    _add_address_blocks(doc, customer_names, supplier_names)
    if buyer_name:
        for value, _score, cands in list(customer_names.ranked()):
            if _similar_letters(value, buyer_name):
                customer_names.add(value, 0.5, "the company's own name", cands[0].line)
    customer.name = customer_names.choose()
    supplier.name = supplier_names.without(lambda value: _same_party(value, customer.name.value)).choose()
    if _contact_names_the_buyer(doc, supplier, customer):
        supplier.name, customer.name = customer.name, supplier.name
    supplier.email = _email_evidence(doc, customer_lines, domains, supplier.name.value).choose()
    supplier.phone = _phone_evidence(doc, customer_lines).choose()
    supplier.iban = _iban_evidence(doc).choose()
    supplier.company_id = company_ids.choose()
    supplier.address = _supplier_address(doc, supplier.name, supplier.vat.value, customer_lines)
    return supplier, customer


# Countries whose postcode shapes are tried when the seller's VAT number names none, or after its own:
# the markets the addon's users buy from. Four- and five-digit shapes first tried for the VAT's country.
_ADDRESS_COUNTRIES = ("DE", "FR", "NL", "BE", "AT", "CH", "IT", "ES", "GB", "IE", "LU", "PL", "US", "AU")
_SELLER_BLOCK_LINES = 6


_CONTACT_REACH = 1  # lines above and below the seller's VAT number where its e-mail or web address is printed
_MIN_BRAND = 4  # letters of a domain label that may spell a brand ("atlas"), not a "com" or "de"


def _contact_names_the_buyer(doc: Document, supplier: PartyFindings, customer: PartyFindings) -> bool:
    """Whether the e-mail or web address printed beside the seller's VAT number spells the name read as the buyer's.

    ERP layouts print two address blocks without headings, the addressee
    on the left under the window and the issuer on the right, and the
    issuer's VAT number, e-mail and bank in a footer table
    ("VAT Registration No.  Phone No.  Email" over "DE136695976 ...
    info@atlas.com").  A domain there names the seller: when it spells
    the party taken for the buyer ("ATLAS DE") and not the one taken for
    the seller, the two were read the wrong way round.
    """
    if supplier.vat.value is None or customer.name.value is None or supplier.name.value is None:
        return False
    near = {index for line in supplier.vat.lines for index in range(line - _CONTACT_REACH, line + _CONTACT_REACH + 1)}
    labels = set()
    for line in doc.lines:
        if line.index in near:
            for match in re.finditer(r"(?:@|https?://|www\.)([\w\-]+(?:\.[\w\-]+)*)", line.text, re.IGNORECASE):
                labels.update(_letters(label) for label in match.group(1).split(".")[:-1])
    labels = {label for label in labels if len(label) >= _MIN_BRAND and label != "www"}
    return _spelled_by(customer.name.value, labels) and not _spelled_by(supplier.name.value, labels)


def _spelled_by(name: str, labels: set[str]) -> bool:
    """Whether a domain label spells the name, or its first word (a brand before a country or a legal form).

    >>> _spelled_by("ATLAS DE", {"atlas"}), _spelled_by("Muster Handel AG", {"atlas"})
    (True, False)
    """
    whole = _letters(name).removesuffix(_letters(_legal_form(name)))
    first = _letters(name.split()[0]) if name.split() else ""
    return bool(labels) and (whole in labels or first in labels)


def _supplier_address(doc: Document, name: Choice, vat: str | None, customer_lines: CustomerBlock) -> dict | None:
    """The seller's postal address: the "postcode city" line of the block printed with the seller's name.

    The block is the sender line's parts ("Name ● Street ● 12345 City"), else the rest of a line that
    prints the chosen name ("Name - Street - 12345 City"), else the lines under it up to a heading, another
    company's name or the customer's block (with positions, only the cells under the name's column: the
    customer's address printed beside it is not the seller's). A postcode must have the shape of the
    seller's country's postcodes (its VAT number's country first). Returns the pivot's address dict
    (``engine.addresses``), or None.
    """
    if not name.value:
        return None
    country = (vat or "")[:2].upper()
    country = "GR" if country == "EL" else country
    countries = ([country] if country.isalpha() else []) + [c for c in _ADDRESS_COUNTRIES if c != country]
    sender = _sender_line(doc)
    if sender is not None and _same_name(_SENDER_SEPARATORS.split(sender.text)[0], name.value):
        found = address_from_lines([part.strip() for part in _SENDER_SEPARATORS.split(sender.text)], countries)
        if found:
            return found
    printed = [line.index for line in doc.lines if str(name.value) in line.text]
    for index in sorted(set(name.lines)) + [index for index in printed if index not in name.lines]:
        line = doc.lines[index]
        start = line.text.find(str(name.value))
        if start < 0 or customer_lines.holds(line, start):
            continue
        # a letterhead or footer may print the seller on one line: "ACME GmbH · Hauptstr. 1 · 12345 Stadt"
        rest = line.text[start + len(str(name.value)) :]
        inline = [str(name.value)] + [part.strip() for part in _SENDER_SEPARATORS.split(rest) if part.strip()]
        block = [str(name.value)] + _block_under(doc, line, start, len(str(name.value)), customer_lines)
        for lines in (inline, block):
            found = address_from_lines(lines, countries) if len(lines) > 1 else None
            if found:
                return found
    return None


def _block_under(doc: Document, line: Line, start: int, length: int, customer_lines: CustomerBlock) -> list[str]:
    """The texts printed under the name at ``start`` of ``line``: cells of its column, else whole lines."""
    texts = []
    name_text = line.text[start : start + length]
    span = line.geometry.x_of(start, start + length) if line.geometry is not None and doc.layout else None
    index = line.index
    while len(texts) < _SELLER_BLOCK_LINES:
        if span is not None:
            found = doc.layout.cell_below(index, *span)
            if found is None:
                break
            index, cell = found
            below = doc.lines[index]
            if customer_lines.holds(below, cell.start):
                break
            text = cell.text
        else:
            index += 1
            if index >= len(doc.lines) or index in customer_lines or doc.lines[index].page != line.page:
                break
            # a text line of two columns: the cell that starts under the name
            cells = [m for m in _CELL.finditer(doc.lines[index].text) if m.start() < start + length and start < m.end()]
            text = cells[0].group(0) if cells else ""
        if any(h.strength(CUSTOMER_ROLE) or h.strength(DELIVERY_ROLE) for h in doc.lines[index].hits):
            break
        if text.strip().endswith(":") or (_company_names(text) and not _same_name(text.strip(), name_text)):
            break  # a heading ("Rechnung an:") or another company's name: the next block has begun
        texts.append(text.strip())
    return texts


def _compact(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def _bare_name(value) -> bool:
    """A name is more than a legal form: "GmbH" or "S.A." alone names nobody."""
    return isinstance(value, str) and len(_letters(value).removesuffix(_letters(_legal_form(value)))) >= 2


def _similar_letters(value, letters: str) -> bool:
    """The same name, give or take the legal form or a word ("ACME Industrial GmbH" / "ACME Industrial")."""
    if not isinstance(value, str) or not letters:
        return False
    mine = _letters(value)
    shorter, longer = sorted((mine, letters), key=len)
    return len(shorter) >= 4 and shorter in longer


def _same_name(a, b) -> bool:
    return isinstance(a, str) and isinstance(b, str) and _letters(a) == _letters(b)


def _same_party(a, b) -> bool:
    """The same name, or one name of two words or more that the other continues ("Mohammed Rasik [Ibrahimsha]").

    A customer's name is often printed short beside its label and in full
    over its address: the full one is the customer too, never the seller.

    >>> _same_party("Mohammed Rasik Ibrahimsha", "Mohammed Rasik"), _same_party("Rasik Trading Ltd", "Rasik")
    (True, False)
    """
    if _same_name(a, b):
        return True
    if not (isinstance(a, str) and isinstance(b, str)):
        return False
    shorter, longer = sorted((a, b), key=lambda name: len(_letters(name)))
    return len(shorter.split()) >= 2 and _letters(longer).startswith(_letters(shorter))


def _letters(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


class CustomerBlock:
    """Where the customer's address block is printed: whole lines, or with positions a column of them.

    On a page of two columns (the seller's details on the left, "Bill to" on
    the right) the customer's lines are also the seller's: only the cells
    under the customer's heading are the customer's.
    """

    def __init__(self):
        self._lines: dict[int, tuple[float, float] | None] = {}

    def add_lines(self, indexes) -> None:
        for index in indexes:
            self._lines[index] = None

    def add_column(self, index: int, span: tuple[float, float]) -> None:
        if index not in self._lines:
            self._lines[index] = span

    def __contains__(self, index: int) -> bool:
        return index in self._lines

    def holds(self, line: Line, offset: int = 0) -> bool:
        """Whether the text at ``offset`` of ``line`` is in the customer's block."""
        if line.index not in self._lines:
            return False
        span = self._lines[line.index]
        if span is None or line.geometry is None:
            return True
        cell = line.geometry.cell_at(offset)
        return cell is None or (cell.x0 < span[1] and span[0] < cell.x1)


def _customer_block(doc: Document) -> CustomerBlock:
    """The lines (or, with positions, the cells) that hold the customer's address, VAT, e-mail and phone."""
    block = CustomerBlock()
    for line, hit, _strength in doc.hits(CUSTOMER_ROLE):
        shared = any(h.strength(SUPPLIER_ROLE) for h in line.hits) and not _own_column(line, hit)
        if shared or doc.in_sentence(line, hit):
            continue  # a "Supplier  Customer" header of two columns read as text: both blocks share the lines
        if doc.segment_after(line, hit).text.strip() and hit.start > 0 and line.geometry is None:
            continue
        span = _column_span(line, hit)
        if span is None:
            end = min(len(doc.lines), line.index + 1 + _BLOCK_LINES)
            heading = next((i for i in range(line.index + 1, end) if _heads_seller(doc.lines[i])), end)
            block.add_lines(range(line.index, heading))
            continue
        block.add_column(line.index, span)
        rows = 1 if _in_a_row_of_titles(line) else _COLUMN_BLOCK_LINES
        for below in doc.under(line, hit, rows):
            if _heads_seller(below):
                break  # the seller's block printed under the buyer's ("Buyer ... Seller ..."): not the buyer's
            block.add_column(below.index, span)
    sender = _sender_line(doc)
    if sender is not None:
        block.add_lines(range(sender.index + 1, min(len(doc.lines), sender.index + 1 + _BLOCK_LINES)))
    return block


def _in_a_row_of_titles(line: Line) -> bool:
    """Whether a buyer's heading is one title of a header table's row ("Invoice date  Due date  Customer no.").

    A row of column titles for the document's references holds labels of
    other fields and no value (no digit); the buyer's title there heads one
    value under it (a name, an account), not an address block running down
    the page: under it come the line items and the totals.
    """
    others = {name for hit in line.hits for name, _strength in hit.fields if name not in _ROLES}
    return len(others & _HEADER_FIELDS) >= _HEADER_ROW_FIELDS and not any(ch.isdigit() for ch in line.text)


def _own_column(line: Line, hit) -> bool:
    """Whether the buyer's heading has a cell of its own, apart from the seller's heading on the same line.

    "Buyer   Seller" printed as two columns of positioned words heads two
    blocks side by side: the cells under the buyer's heading are the buyer's
    whichever side it is on.  Read as plain text the two share every line.
    """
    if line.geometry is None:
        return False
    cell = line.geometry.cell_at(hit.start)
    return cell is not None and not any(
        other.strength(SUPPLIER_ROLE) and cell.start <= other.start < cell.end for other in line.hits
    )


def _heads_seller(line: Line) -> bool:
    """Whether a line (or a cell under a heading) starts with the seller's role heading ("Seller", "Verkäufer")."""
    return any(hit.strength(SUPPLIER_ROLE) and not line.text[: hit.start].strip() for hit in line.hits)


def _column_span(line: Line, hit) -> tuple[float, float] | None:
    """The horizontal band of a heading's column: from its cell's left edge, a little wider than the heading."""
    if line.geometry is None:
        return None
    cell = line.geometry.cell_at(hit.start)
    if cell is None:
        return None
    height = line.geometry.height
    return cell.x0 - height, max(cell.x1, cell.x0 + 12 * height)


_DOMAIN_NAME = re.compile(r"[A-Za-z][\w\-]*(?:\.[a-z]{2,6})+")


def _sender_line(doc: Document) -> Line | None:
    """The one-line sender address printed above the window: "Name ● Street ● Postcode City".

    Only when the recipient's name follows it: the same shape printed as a
    letterhead is followed by phone numbers and web addresses instead.  A
    company may go by its web domain there ("weclapp.com | Somestreet 42 |
    08155 Some city") or by a brand in lower case ("readbetter - Lesestraße
    111 - 54545 Lesestadt"); a line that starts with a key ("Lieferadresse:",
    "Ship to:") is the address of what its key names.
    """
    for line in doc.lines[: _HEADER_LINES * 2]:
        parts = _SENDER_SEPARATORS.split(line.text)
        if len(parts) < 3 or not _POSTCODE_CITY.search(line.text) or _KEY_VALUE.match(parts[0]):
            continue  # "Lieferadresse: Beispiel Lager AG | Feldstraße 39 | ...": a labelled address, not the sender
        if _looks_like_name(parts[0]) or _DOMAIN_NAME.fullmatch(parts[0].strip()) or _BRAND.fullmatch(parts[0].strip()):
            following = doc.below(line, 1)
            if following and _clean_name(doc, following[0]):
                return line
    return None


def _vat_evidence(doc: Document, customer_lines: CustomerBlock) -> tuple[Evidence, Evidence]:
    supplier, customer = Evidence(), Evidence()
    labelled_spans = set()
    for field_name in (CUSTOMER_VAT, VAT, OWN_VAT):
        for line, hit, strength in doc.hits(field_name):
            segment = doc.segment_after(line, hit)
            found = vat_number(segment.text)
            where = line
            if found is None and not segment.text.strip():
                paired = doc.paired_value(line)
                for below in [paired] if paired is not None else doc.under(line, hit, 1):
                    found, where = vat_number(below.text), below
            elif found is None and line.geometry is not None:
                # a footer of columns: "USt-IdNr" heads its column, the next column's text follows it
                for below in doc.under(line, hit, 1):
                    found, where = vat_number(below.text), below
            malformed = found is None and strength >= _SURE_VAT_LABEL and malformed_vat_number(segment.text)
            if malformed:
                found, where = (malformed, False), line
            if found is None:
                if hit.phrase == "abn":
                    abn = abn_number(segment.text)
                    if abn:
                        supplier.add(abn, strength * 0.9, "after 'ABN'", line.index)
                continue
            value, checksum = found
            score = strength * (0.8 if checksum is False else 1.0) * (_MALFORMED_VAT if malformed else 1.0)
            labelled_spans.add((where.index, value))
            printed = doc.lines[where.index]
            offset = max(printed.text.find(where.text), 0) if where is not line else segment.start
            in_block = customer_lines.holds(printed, offset)
            theirs = field_name == CUSTOMER_VAT or in_block and field_name != OWN_VAT
            target = customer if theirs else supplier
            target.add(value, score, f"after '{hit.phrase}'", where.index)
            if not theirs and _in_footer(doc, printed):
                supplier.add(value, _FOOTER_VAT, "printed in the page's footer", where.index)
    iban_lines = {line.index: find_ibans(line.text) for line in doc.lines}
    for line in doc.lines:
        for start, _end, value, checksum in find_vat_numbers(line.text):
            if (line.index, value) in labelled_spans:
                continue
            if any(s <= start < e for s, e, _ in iban_lines[line.index]):
                continue
            score = 0.4 * (0.8 if checksum is False else 1.0)
            # a number on the line of the seller's legal details (capital, register) is the seller's
            theirs = customer_lines.holds(line, start) and not _LEGAL_DETAILS.search(line.text)
            target = customer if theirs else supplier
            target.add(value, score, "VAT number printed without label", line.index)
            if not theirs and _in_footer(doc, line):
                supplier.add(value, _FOOTER_VAT, "printed in the page's footer", line.index)
    return supplier, customer


def _in_footer(doc: Document, line: Line) -> bool:
    """Whether ``line`` is printed in the bottom band of its page, where the issuer puts its legal details.

    A page's footer (registration, bank, VAT number) is the seller's: a
    buyer's VAT number is printed in its address block or beside it, above
    the line items.  Only positioned words on a page of known size say where
    the foot of the page is.
    """
    geometry = line.geometry
    if geometry is None or doc.layout is None or geometry.page >= len(doc.layout.sizes):
        return False
    size = doc.layout.sizes[geometry.page]
    return size is not None and geometry.top >= (1 - _FOOTER_SHARE) * size[1]


def _looks_like_name(text: str) -> bool:
    text = text.strip()
    if not 2 <= len(text) <= 60 or "@" in text or "http" in text.lower() or "www." in text.lower():
        return False
    digits = sum(ch.isdigit() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    if letters < 2 or digits > 2 or text[0].isdigit() or _ocr_noise(text) or _document_title(text):
        return False
    return not text[0].islower() or _lowercase_start(text)


# Words that start a name in lower case: a family name's particle ("de Lattre", "van Dijk"), a brand
# written with a capital inside ("iViveLabs", "eBay").
_PARTICLES = {"de", "del", "della", "der", "den", "des", "di", "da", "du", "la", "le", "van", "von", "ten", "ter", "zu"}


def _lowercase_start(text: str) -> bool:
    words = text.split()
    first = words[0]
    if first in _PARTICLES:
        return len(words) > 1 and (words[1][:1].isupper() or words[1] in _PARTICLES)
    return any(ch.isupper() for ch in first[1:]) and first.isalpha()


# A document's title names what it is, not who sent it: "PAYMENT RECEIPT", "Tax Invoice", "FACTUUR."
_TITLE_WORDS = {
    "invoice", "receipt", "bill", "statement", "quotation", "credit", "note", "memo", "tax", "payment", "proforma",
    "pro", "forma", "copy", "duplicate", "original", "rechnung", "quittung", "gutschrift", "beleg", "kopie",
    "facture", "recu", "avoir", "duplicata", "factuur", "kwitantie", "creditnota", "bon", "factura", "recibo",
    "abono", "fattura", "ricevuta", "nota", "di", "de", "van", "of", "du", "la", "le", "el", "the",
}  # fmt: skip


def _document_title(text: str) -> bool:
    """Whether ``text`` is only the words of a document's title (at least one of them a document type)."""
    words = re.findall(r"[^\W\d_]+", fold(text))
    types = _TITLE_WORDS - {"di", "de", "van", "of", "du", "la", "le", "el", "the", "pro", "forma", "tax", "payment"}
    return bool(words) and all(w in _TITLE_WORDS for w in words) and any(w in types for w in words)


def _ocr_noise(text: str) -> bool:
    """Whether ``text`` reads as what OCR makes of a logo or a drawing ("Fe R D =", "| a © on"), not as words.

    A name's words are words: a stray symbol that is no part of a name
    ("=", "©", "@"), or three and more scraps of one or two letters making
    most of the text, are the letters of a graphic.
    """
    words = text.split()
    if any(not any(ch.isalnum() for ch in word) and word not in _NAME_SYMBOLS for word in words):
        return True
    scraps = [w for w in words if len(w.strip(".,")) <= 2 and w not in _NAME_SYMBOLS and not _legal_form(w)]
    return len(scraps) >= 3 and len(scraps) * 4 >= len(words) * 3


_NAME_SYMBOLS = {"&", "-", "–", "+", "/"}
_BORDERS = " ,;:-[]{}|"  # OCR reads a box's edge next to a name as a bracket or a bar


def _clean_name(doc: Document, line: Line, start: int = 0, end: int | None = None) -> str | None:
    """The name printed on ``line`` from ``start``, cut at the next label or separator."""
    end = len(line.text) if end is None else end
    for hit in line.hits:
        if hit.start <= start < hit.end or not line.text[start : hit.start].strip():
            if hit.start >= start:
                company = _company_names(line.text[start:end])
                # "Kunde Maschinenbau AG" is a name that starts with a label word; "GLN 4304171000002" is not
                return company[0][1] if company and company[0][0] == 0 else None
        if start < hit.start < end:
            end = hit.start
            break
    text = _SENDER_SEPARATORS.split(line.text[start:end])[0]
    text = re.split(r"\s{2,}|\s(?:\+?\d[\d ]{5,}|\S+@\S+)", text)[0]
    if text.rstrip().endswith(":"):
        return None  # the key of the next "key: value" ("COMPTE :"), not a name
    text = text.strip(_BORDERS)
    return text if _looks_like_name(text) else None


# "(c) AWV e.V. 2020", "© 2023 Muster Software GmbH": a copyright names who made the template or the software
_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*(?:\d{4}\s*)?$", re.IGNORECASE)


def _company_names(text: str) -> list[tuple[int, str]]:
    """Names with a legal form in ``text`` (start, name); never across a column gap, never a bare legal form.

    Never the holder of a copyright notice either: a page drawn by a
    stylesheet or an invoicing service signs it with its maker's name.
    """
    found = []
    for cell in _CELL.finditer(text):
        for m in _COMPANY.finditer(cell.group(0)):
            name = m.group(1).strip()
            offset = cell.start() + m.start(1) + len(m.group(1)) - len(m.group(1).lstrip())
            if _lowercase_brand(name, cell.group(0)):
                found.append((offset, name))
                continue
            if not _looks_like_name(name):
                offset, name = _without_leading_words(offset, name)
            if _looks_like_name(name) and _bare_name(name) and not _COPYRIGHT.search(text[:offset]):
                found.append((offset, name))
    return found


def _lowercase_brand(name: str, cell: str) -> bool:
    """Whether ``name`` is a brand written in lower case with its legal form, alone in its cell ("nordwerk GmbH").

    Lower-case words before a legal form are usually the sentence's
    ("geliefert von Muster GmbH"); a cell holding nothing else is no
    sentence but the name as its owner writes it.

    >>> _lowercase_brand("nordwerk GmbH", "nordwerk GmbH")
    True
    >>> _lowercase_brand("von Muster GmbH", "geliefert von Muster GmbH")
    False
    """
    words = name.split()
    brand = words[: len(words) - len(_legal_form(name).split())]
    return (
        name == cell.strip()
        and 1 <= len(brand) <= 2
        and name[:1].islower()
        and all(word[:1].isalpha() and len(word) >= 3 and not word.endswith(".") for word in brand)
        and not any(ch.isdigit() for ch in name)
    )


def _without_leading_words(offset: int, name: str) -> tuple[int, str]:
    """The name after the lower-case words of the sentence before it: "for ACME Ltd", "geliefert von X GmbH".

    A name starts with a capital (or a particle, which ``_looks_like_name`` allows); the words in lower
    case before it are the signature's or the sentence's, not the name's.
    """
    while (lead := re.match(r"([^\W\d_]+)\s+(?=\S)", name)) and lead.group(1).islower():
        if lead.group(1) in _PARTICLES:
            break
        offset, name = offset + lead.end(), name[lead.end() :]
    return offset, name


def _supplier_name_evidence(doc: Document, customer_lines: CustomerBlock, domains: list[str]) -> Evidence:
    evidence = Evidence()
    for line, hit, strength in doc.hits(SUPPLIER_ROLE):
        if doc.in_sentence(line, hit):
            continue
        roles = [h for h in line.hits if h.strength(SUPPLIER_ROLE) or h.strength(CUSTOMER_ROLE)]
        if len(roles) > 1:
            _add_column_name(doc, line, hit, roles.index(hit), evidence, strength * 0.8)
            continue
        segment = doc.segment_after(line, hit)
        if _joined_heading(segment.text):
            name = _block_name(doc, doc.under(line, hit, _BLOCK_ROWS))
            if name:
                evidence.add(name, strength * 0.8, f"under '{hit.phrase}'", line.index)
            continue
        explicit = ":" in line.text[hit.end : segment.start] or " " in hit.phrase or line.geometry is None
        if segment.text.strip() and not explicit and doc.cell_of(line, segment.start) == doc.cell_of(line, hit.start):
            continue  # "Fournisseur F SARL au capital...": a word of the text, not the heading of a name
        name = None
        if not explicit and segment.text.strip():
            # "Rechnungsersteller" alone in its cell heads a column: its name is the cell under it,
            # what stands in the next cell of the line (a logo, another block) is not its value
            for below in doc.under(line, hit, 1):
                name = _company_names(below.text)[:1] and _clean_name(doc, below)
        if not name:
            name = _clean_name(doc, line, segment.start)
        if name is None and not segment.text.strip():
            name = _block_name(doc, doc.under(line, hit, _BLOCK_ROWS))
        if name:
            evidence.add(name, strength * 0.8, f"after '{hit.phrase}'", line.index)
    sender = _sender_line(doc)
    if sender is not None:
        evidence.add(_SENDER_SEPARATORS.split(sender.text)[0].strip(), 0.75, "sender line", sender.index)
    letterhead = _letterhead_name(doc, customer_lines, set(domains) | _mail_domains(doc, customer_lines))
    if letterhead is not None:
        evidence.add(letterhead[0], 0.5, "first name in the letterhead", letterhead[1])
    edges = doc.lines[:_HEADER_LINES] + doc.lines[-_FOOTER_LINES:]
    for line in edges:
        for start, name in _company_names(line.text):
            start, name = _after_role_heading(line, start, name)
            if customer_lines.holds(line, start):
                continue
            cell = doc.cell_of(line, start)
            if start == 0 or not line.text[:start].strip() or (cell is not None and cell[0] == start):
                evidence.add(name, 0.5, "company name in the letterhead or footer", line.index)
            else:
                evidence.add(name, 0.3, "company name in the letterhead or footer", line.index)
    for name, index in _legal_footer_names(doc, customer_lines):
        # found again on the footer line that already counted it: the legal details add to it, no new clue
        seen = any(v == name and any(c.line == index for c in cands) for v, _s, cands in evidence.ranked())
        score = 0.1 if seen else 0.55
        evidence.add(name, score, "name printed with the seller's legal details", index)
    for name, index in _footer_sender_names(doc, customer_lines):
        evidence.add(name, 0.45, "name of a 'name · street · city' line at a page's foot", index)
    for name, above, index in _names_with_legal_form_below(doc, customer_lines):
        evidence.add(name, 0.5, "name with its legal form on the line below", index)
        evidence.add(name, evidence.score_of(above), "the name above its legal form, completed", index)
    for name, index in _address_block_names(doc):
        if domains and _letters(name).removesuffix(_letters(_legal_form(name))) in domains:
            evidence.add(name, 0.3, "name over a postal address, spelled by the web domain", index)
    for value in evidence.values():
        if any(_letters(value).removesuffix(_letters(_legal_form(value))) in domain for domain in domains):
            evidence.add(value, 0.4, "matches the web/e-mail domain")
    for value in evidence.values():
        if _printed_again(doc, str(value), customer_lines):
            evidence.add(value, 0.1, "printed again elsewhere on the page")
    return evidence


def _after_role_heading(line: Line, start: int, name: str) -> tuple[int, str]:
    """The name without the role heading its words began with ("Venduto da Mercato EU S.à r.l." -> "Mercato ...")."""
    for hit in line.hits:
        if hit.start == start and (hit.strength(SUPPLIER_ROLE) or hit.strength(CUSTOMER_ROLE)):
            rest = name[hit.end - start :].lstrip(" :")
            if rest:
                return start + len(name) - len(rest), rest
    return start, name


def _printed_again(doc: Document, name: str, customer_lines: CustomerBlock) -> bool:
    """Whether the page prints ``name`` on two lines at least (outside the customer's block).

    The seller's name comes back (the letterhead, the payee of the bank
    block, the footer); a template's placeholder or a word OCR made of a
    logo is printed once.
    """
    pattern = re.compile(r"(?<![\w])" + re.escape(name) + r"(?![\w])")
    printed = 0
    for line in doc.lines:
        match = pattern.search(line.text)
        if match and not customer_lines.holds(line, match.start()):
            printed += 1
    return printed >= 2


# A role heading alone on its line heads a block: its name is the value of a "Name" row, else its first
# line that is not a "key: value" row (a customer number, a GLN) nor a salutation ("Herr", "Mme").
_BLOCK_ROWS = 6
_KEY_VALUE = re.compile(r"\s*([^\W\d](?:[^:\s]|\s(?!\s)){0,38}?)\s*:\s*(?=\S)")  # within its cell
_NAME_KEYS = {
    "name", "company", "company name", "firma", "firmenname", "nom", "raison sociale", "denomination", "naam",
    "bedrijfsnaam", "nombre", "razon social", "nome", "ragione sociale", "denominazione",
    "attn", "attention", "z hd", "zu handen", "a l attention de", "t a v", "ter attentie van", "a la atencion de",
    "alla cortese attenzione di",
}  # fmt: skip
_SALUTATIONS = {
    "herr", "herrn", "frau", "firma", "mr", "mrs", "ms", "miss", "m", "mme", "mlle", "monsieur", "madame",
    "messieurs", "dhr", "mevr", "heer", "sr", "sra", "senor", "senora", "sig", "sigra", "spett", "attn",
}  # fmt: skip


def _block_name(doc: Document, rows: list[Line]) -> str | None:
    """The name of the party whose block starts with ``rows`` (the cells under its heading, or the lines).

    Generated layouts print a block as rows of "key: value" ("Nummer: 549910",
    "Name: Lieferant GmbH"); letters put a salutation alone above the name.
    Another role heading ends the block.
    """
    for row in rows:
        full = doc.lines[row.index]
        start = max(full.text.find(row.text.strip()), 0)
        if _role_heading(full):
            return None
        key_value = _KEY_VALUE.match(full.text, start)
        if key_value and any(start < hit.start < key_value.end(1) for hit in full.hits):
            key_value = None  # "Contoso Retail plc Invoice Date: ...": a name, then the next column's key
        if key_value:
            if _letters(key_value.group(1)) in {k.replace(" ", "") for k in _NAME_KEYS}:
                return _clean_name(doc, full, key_value.end())
            continue
        if _letters(row.text) in _SALUTATIONS:
            continue
        # under its heading, a role word is part of the name ("LE FOURNISSEUR", "Kunden AG"), not a label
        plain = [h for h in row.hits if not (h.strength(SUPPLIER_ROLE) or h.strength(CUSTOMER_ROLE)) or h.start == 0]
        return _clean_name(doc, dataclasses.replace(row, hits=plain))
    return None


_JOINED_HEADING = re.compile(r"\s*(?:/\s*[^\W\d]+(?:[\s\-][^\W\d]+)?\s*:?|[^\W\d]+\s*:)\s*")


def _joined_heading(rest: str) -> bool:
    """Whether what follows a role heading is more heading: "Käufer/Leistungsempfänger", "Bill to Address:"."""
    return bool(_JOINED_HEADING.fullmatch(rest))


def _says_name(phrase: str) -> bool:
    """Whether a label says a name follows ("Customer name", "Nom du client", "Kundenname")."""
    return any(word in _NAME_KEYS or word.endswith("name") for word in phrase.split())


def _role_heading(line: Line) -> bool:
    """Whether ``line`` is a role heading alone ("Käufer:", "Bill to"): a new block begins."""
    for hit in line.hits:
        roles = hit.strength(SUPPLIER_ROLE) or hit.strength(CUSTOMER_ROLE) or hit.strength(DELIVERY_ROLE)
        if roles and not line.text[: hit.start].strip() and not line.text[hit.end :].strip(" :"):
            return True
    return False


# What only the seller prints about itself at the foot of a page: its registration, share capital,
# registered office, managers (en, de, fr, nl, es, it).
_LEGAL_DETAILS = re.compile(
    r"\b(?:au capital|capital social|share capital|stammkapital|grundkapital|rcs|r\.c\.s|siret|siren|"
    r"si[eè]ge social|registered office|registered in|company (?:registration|reg\.?|number|no)|"
    r"handelsregister|registergericht|amtsgericht|hrb|hra|sitz der gesellschaft|gesch[aä]ftsf[uü]hr\w*|vorstand|"
    r"kvk|kamer van koophandel|handelsregister|registro mercantil|r\.?e\.?a\.?|capitale sociale|"
    r"managing director|directors?)\b",
    re.IGNORECASE,
)
_FOOTER_NAME_LINES = 2  # the name is printed on the legal line itself or at most this many lines above it


def _legal_footer_names(doc: Document, customer_lines: CustomerBlock) -> list[tuple[str, int]]:
    """Names printed with legal details at the foot of a page: "Free SAS au capital de ...", or "NETPRESSE" above
    "Siège social ... RCS ...".  Only the seller prints its registration and capital; the customer's never are.
    """
    found = []
    for page_lines in _pages(doc):
        foot = page_lines[-_FOOTER_LINES:]
        for position, line in enumerate(foot):
            match = _LEGAL_DETAILS.search(line.text)
            if match is None:
                continue
            names = [name for start, name in _company_names(line.text[: match.start()])]
            lead = _SENDER_SEPARATORS.split(line.text[: match.start()].strip())[0].strip()
            if not names and lead and _short_name(lead):
                names = [lead]  # "BOUYGUES TELECOM - Société Anonyme au capital de ..."
            if names:
                found.append((names[0], line.index))
                continue
            for above in reversed(foot[max(0, position - _FOOTER_NAME_LINES) : position]):
                if _LEGAL_DETAILS.search(above.text) or customer_lines.holds(above):
                    continue
                cell = _CELL.match(above.text.strip())
                if cell and _short_name(cell.group(0)):  # a line of its own, not a sentence cut at a label
                    found.append((cell.group(0), above.index))
                    break
    return found


def _short_name(text: str) -> bool:
    """A name alone: at most five words, no digits, not prose ("Vous serez prélevé ...", "Dat betaal ik zelf wel.")."""
    words = text.split()
    if not 0 < len(words) <= 5 or any(ch.isdigit() for ch in text) or not _looks_like_name(text):
        return False
    last = words[-1]
    return not (len(words) > 1 and last[-1] in ".!?" and last[:-1].islower() and not _legal_form(last))


def _footer_sender_names(doc: Document, customer_lines: CustomerBlock) -> list[tuple[str, int]]:
    """The name of a footer line that spells the sender's address in one: "ACME · Hauptstr. 1 · 12345 Stadt"."""
    found = []
    for page_lines in _pages(doc):
        for line in page_lines[-_FOOTER_LINES:]:
            parts = [part.strip() for part in _SENDER_SEPARATORS.split(line.text) if part.strip()]
            if len(parts) < 3 or customer_lines.holds(line) or not _short_name(parts[0]):
                continue
            if address_from_lines(parts[:4], _ADDRESS_COUNTRIES):
                found.append((parts[0], line.index))
    return found


def _names_with_legal_form_below(doc: Document, customer_lines: CustomerBlock) -> list[tuple[str, str, int]]:
    """ "Bakkerij Jansen" over "B.V." in the letterhead or the footer: one name, its legal form on a line of its own."""
    found = []
    edges = doc.lines[:_HEADER_LINES] + doc.lines[-_FOOTER_LINES:]
    for line in edges:
        for cell in _CELL.finditer(line.text):
            text = cell.group(0).strip()
            if not _legal_form(text) or _bare_name(text) or line.index == 0:
                continue
            above = _cell_above(doc, line, cell.start(), cell.end())
            if above and _short_name(above) and not _legal_form(above) and not customer_lines.holds(line, cell.start()):
                found.append((f"{above} {text}", above, line.index))
    return found


def _cell_above(doc: Document, line: Line, start: int, end: int) -> str | None:
    """The text printed just above ``line.text[start:end]``: the overlapping cell of the line before."""
    previous = doc.lines[line.index - 1]
    if previous.page != line.page:
        return None
    if line.geometry is None or previous.geometry is None:
        cells = [m for m in _CELL.finditer(previous.text) if m.start() < end and start < m.end()]
        return cells[0].group(0).strip() if cells else None
    span = line.geometry.x_of(start, end)
    for cell in previous.geometry.cells:
        if span is not None and cell.x0 < span[1] and span[0] < cell.x1:
            return cell.text.strip()
    return None


def _pages(doc: Document) -> list[list[Line]]:
    pages: dict[int, list[Line]] = {}
    for line in doc.lines:
        pages.setdefault(line.page, []).append(line)
    return list(pages.values())


_ADDRESS_WINDOW_LINES = 25  # where the first page prints the addressee's block, above the line items
_ADDRESS_BLOCK_LINES = 6  # name, department or contact, PO box, street, city, postcode or country


def _add_address_blocks(doc: Document, customer: Evidence, supplier: Evidence) -> None:
    """The name heading a postal address block at the top of the first page is the addressee, heading or not.

    A letter names its addressee by the shape of its block (name, street,
    postcode and city) as much as by a "Bill to" over it.  The seller prints
    such a block too: a name the seller's evidence already holds, or a block
    with e-mail and web addresses, is the seller's.  Weak evidence: any
    heading outweighs it.
    """
    ranked = supplier.ranked()
    sellers = {_letters(ranked[0][0])} if ranked else set()  # the seller's own block has the same shape
    headed = {_letters(value) for value in customer.values()}  # the block under "Bill to": the same clue again
    for line, hit, _strength in doc.hits(DELIVERY_ROLE):  # the delivery address is a block of that shape too
        headed |= {_letters(cell.text) for cell in doc.under(line, hit, 2)}
    for name, index in _address_block_names(doc):
        if _letters(name) in headed or index <= 1:
            continue  # the top of the page is the sender's: a letter names its addressee below its letterhead
        if _letters(name) not in sellers and not any(_similar_letters(name, seller) for seller in sellers):
            customer.add(name, 0.4, "name above a postal address", index)


def _address_block_names(doc: Document) -> list[tuple[str, int]]:
    """(name, line) of each block whose first line reads as a name and whose next lines hold a postal address.

    Both parties' evidence asks for them: they are found once per document (``doc.memo``).
    """
    if "address_block_names" not in doc.memo:
        doc.memo["address_block_names"] = _find_address_block_names(doc)
    return doc.memo["address_block_names"]


def _find_address_block_names(doc: Document) -> list[tuple[str, int]]:
    found, inside = [], set()  # a contact person under the company's name heads no block of its own
    for line in doc.lines[:_ADDRESS_WINDOW_LINES]:
        if line.page != 0 or any(h.strength(TABLE_HEADER) for h in line.hits):
            break  # the line items have begun
        for cell in _CELL.finditer(line.text):
            text = cell.group(0).strip(_BORDERS)
            if any(cell.start() <= h.start < cell.end() for h in line.hits) or not _short_name(text):
                continue
            if cell.group(0).endswith(",") or not _bare_name(text):
                continue  # "SERDANG," is part of an address; "Sdn Bhd" alone names nobody
            if _KEY_VALUE.match(text) or _letters(text) in _SALUTATIONS or _letters(text) in inside:
                continue
            if _set_apart(doc, line, cell.start(), cell.end()):
                continue
            block = _block_under(doc, line, cell.start(), len(cell.group(0)), CustomerBlock())[:_ADDRESS_BLOCK_LINES]
            if any("@" in t or "www." in t.lower() or "http" in t.lower() for t in block):
                continue
            if block and _postal_block(text, block):
                found.append((text, line.index))
                inside |= {_letters(row) for row in block}
    return found


def _postal_block(name: str, block: list[str]) -> bool:
    """Whether the lines under ``name`` spell a postal address: a postcode and city, else a street and a country.

    Not every country's postcode has a shape known here (Hong Kong has none,
    a sample may print a short one): a street line followed by a country
    written out makes an address as well.
    """
    if address_from_lines([name, *block], _ADDRESS_COUNTRIES):
        return True
    streets = [index for index, text in enumerate(block[:3]) if is_street(text)]
    return bool(streets) and any(country_from_name(text) for text in block[streets[0] + 1 : streets[0] + 4])


def _set_apart(doc: Document, line: Line, start: int, end: int) -> bool:
    """Whether the text under ``line``'s cell is apart from it: after a blank line, or in smaller type.

    An address block is printed in one type, its lines close together; a
    slogan or a title in large type above it is no part of it.
    """
    span = line.geometry.x_of(start, end) if line.geometry is not None and doc.layout else None
    found = doc.layout.cell_below(line.index, *span) if span is not None else None
    if found is None or doc.lines[found[0]].geometry is None:
        return False
    cell = line.geometry.cell_at(start)
    below = found[1]
    if cell is None or not cell.words or not below.words:
        return False
    mine = max(word.bottom - word.top for word in cell.words)
    theirs = max(word.bottom - word.top for word in below.words)
    gap = min(word.top for word in below.words) - max(word.bottom for word in cell.words)
    return gap > min(mine, theirs) * 1.2 or mine > theirs * 1.4


def _letterhead_name(doc: Document, customer_lines: CustomerBlock, domains: set) -> tuple[str, int] | None:
    """The first cell at the top of the first page that reads as a name: a letterhead names its sender.

    Only with positions (a cell is known) and only outside the customer's
    block: a cell with a label in it, digits (an address, a date) or an
    e-mail is not a name, nor is a heading alone ("Seller", "Invoice"),
    unless the seller's web or e-mail domain spells it ("FOURNISSEUR F",
    martin@fournisseurf.fr): a name made of a label's word.
    """
    for line in doc.lines[:_LETTERHEAD_LINES]:
        if line.page != 0 or line.geometry is None:
            return None
        for position, cell in enumerate(line.geometry.cells):
            if customer_lines.holds(line, cell.start):
                continue
            # without OCR's doubtful scraps at its ends first ("bouygues LW"), else as read ("Acme lta.")
            for text in dict.fromkeys((_trusted_text(cell), cell.text)):
                found = _letterhead_cell(doc, line, position, text.strip().lstrip(_BORDERS), domains)
                if found is not None:
                    return found
    return None


def _letterhead_cell(doc: Document, line: Line, position: int, text: str, domains: set) -> tuple[str, int] | None:
    """The name ``text`` (a cell of a letterhead ``line``, a box's edge before it cut) reads as, if any."""
    cell = line.geometry.cells[position]
    hits = [h for h in line.hits if cell.start <= h.start < cell.end]
    if any(ch.isdigit() for ch in text):
        return None
    following = line.geometry.cells[position + 1 : position + 2]
    if text.endswith(":") or (following and following[0].text.startswith(":")) or _KEY_VALUE.match(text):
        return None  # a key of "key : value" (its colon kept), or the whole pair in one cell ("Guest Name: Sanjay")
    if len(_letters(text)) >= 5 and _letters(text) in domains and _looks_like_name(text):
        return text.strip(" ,;:-"), line.index
    labelled = sum(h.end - h.start for h in hits)
    leading = [h for h in hits if h.start == cell.start and not h.strength(SUPPLIER_ROLE)]
    if leading or (hits and labelled >= len(text) - 2) or len(text) < 5:
        return None  # a heading, a title ("Tax invoice"), an acronym
    if _looks_like_name(text) and len(text.split()) <= 6 and not _POSTCODE_CITY.search(text):
        return text.strip(" ,;:-"), line.index
    if text.isalpha() and text.islower():
        return _page_spelling(doc, text, line.index)  # a logo's word: the name as the page prints it
    return None


# Tesseract's confidence (0..1) under which a word is rather its reading of a graphic (a logo, a QR code, a
# stamp) than of print: print read cleanly scores 0.85 and more, a logo's "OE ODO ON OOAD" 0.08 to 0.5.
_SCRAP_CONFIDENCE = 0.5


def _ocr_scrap_values(doc: Document, evidence: Evidence) -> set:
    """The names read only where OCR doubted its own reading: the letters it made of a graphic, not a name.

    A value is judged on the words that print it on each line it was read
    from (a text layer's words are certain); a value read from some line
    where OCR was sure of it stays.
    """
    scraps = set()
    for value, _score, cands in evidence.ranked():
        readings = [_read_words(doc, c.line, str(value)) for c in cands if c.line is not None]
        readings = [words for words in readings if words]
        if readings and all(_doubtful(words) for words in readings):
            scraps.add(value)
    return scraps


def _misread_twins(evidence: Evidence) -> Evidence:
    """One name read twice, its legal form misread once ("Acme lta." / "Acme Ltd."): the clues of both go to the
    reading with a legal form, which is the shape a company's name has; OCR's slip is one letter."""
    values = [value for value in evidence.values() if isinstance(value, str)]
    twin_of = {}
    for value in values:
        if _legal_form(value):
            continue
        twins = [
            other for other in values if _legal_form(other) and _one_letter_apart(_letters(value), _letters(other))
        ]
        if len(twins) == 1:
            twin_of[value] = twins[0]
    if not twin_of:
        return evidence
    merged = Evidence()
    for value, _score, cands in evidence.ranked():
        for cand in cands:
            merged.add(twin_of.get(value, value), cand.score, cand.why, cand.line)
    return merged


def _one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) >= 5 and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _doubtful(words: list) -> bool:
    return sum(word.confidence for word in words) / len(words) < _SCRAP_CONFIDENCE


def _read_words(doc: Document, index: int, value: str) -> list:
    """The words ``value`` was read from at line ``index``: on that line, else on it and the line above
    (a name over its legal form, "Bakkerij Jansen" / "B.V.", is read from two lines)."""
    words = _printed_words(doc.lines[index], value)
    if words or index == 0 or doc.lines[index].geometry is None or doc.lines[index - 1].geometry is None:
        return words
    tokens = value.split()
    found = [w for i in (index - 1, index) for w in doc.lines[i].geometry.words if w.text in tokens]
    return found if {w.text for w in found} == set(tokens) else []


def _printed_words(line: Line, value: str) -> list:
    """The positioned words of ``line`` that print ``value``; [] without positions or when it is not there."""
    start = line.text.find(value) if line.geometry is not None else -1
    if start < 0:
        return []
    return line.geometry.words_between(start, start + len(value))


def _trusted_text(cell) -> str:
    """The cell's text without OCR's doubtful scraps at its ends: "bouygues LW" is a logo's word and a mark.

    A lone lower-case letter or symbol ending the cell ("bouygues è g") is a scrap too: a name may end
    with an initial ("Fournisseur F"), in capitals.
    """
    words = list(cell.words)
    while words and (words[-1].confidence < _SCRAP_CONFIDENCE or _stray_letter(words[-1].text)):
        words.pop()
    while words and words[0].confidence < _SCRAP_CONFIDENCE:
        words.pop(0)
    return " ".join(word.text for word in words)


def _stray_letter(text: str) -> bool:
    return len(text) == 1 and not text.isupper() and not text.isdigit()


def _page_spelling(doc: Document, word: str, skip: int) -> tuple[str, int] | None:
    """How the page's text prints a logo's word (``bouygues``): its most repeated capitalised run ("Bouygues Telecom").

    A logo spells the sender in its own type, often in lower case; the
    sender's name printed as words elsewhere (the footer, "Espace Client
    Bouygues Telecom") starts with that word.  Printed twice at least, so a
    word of one sentence is not taken for a name.
    """
    run = re.compile(r"(?<![\w])(" + re.escape(word) + r"(?:[ ](?:[A-ZÄÖÜÉÈ][\w&'’.\-]*|&)){0,3})(?![\w])", re.I)
    counts: dict[str, list[int]] = {}
    for line in doc.lines:
        if line.index == skip:
            continue
        for match in run.finditer(line.text):
            name = match.group(1).rstrip(".")
            if name[0].isupper() and _looks_like_name(name):
                counts.setdefault(name, []).append(line.index)
    ranked = sorted(counts.items(), key=lambda item: (-len(item[1]), -len(item[0])))
    if ranked and len(ranked[0][1]) >= 2:
        return ranked[0][0], ranked[0][1][0]
    return None


def _legal_form(name: str) -> str:
    match = re.search(r"(?:" + _LEGAL_FORMS + r")\W*$", name, re.IGNORECASE)
    return match.group(0) if match else ""


def _add_column_name(doc: Document, line: Line, hit, ordinal: int, evidence: Evidence, score: float) -> None:
    """The name under one of two role headings side by side ("Seller   Buyer"): the ordinal-th company name of
    the row below, else (with positions) the block under the heading's own column."""
    why = f"column under '{hit.phrase}'"
    for below in doc.below(line, 4):
        names = _company_names(below.text)
        if len(names) >= 2:
            if ordinal < len(names):
                evidence.add(names[ordinal][1], score, why, below.index)
            return
    if line.geometry is not None:
        name = _block_name(doc, doc.under(line, hit, _BLOCK_ROWS))
        if name:
            evidence.add(name, score, why, line.index + 1)


def _customer_name_evidence(doc: Document) -> Evidence:
    evidence = Evidence()
    for line, hit, strength in doc.hits(CUSTOMER_ROLE):
        if doc.in_sentence(line, hit):
            continue
        roles = [h for h in line.hits if h.strength(SUPPLIER_ROLE) or h.strength(CUSTOMER_ROLE)]
        if len(roles) > 1:
            _add_column_name(doc, line, hit, roles.index(hit), evidence, strength * 0.8)
            continue
        segment = doc.segment_after(line, hit)
        if segment.text.strip() and not _joined_heading(segment.text):
            explicit = ":" in line.text[hit.end : segment.start] or " " in hit.phrase
            name = _clean_name(doc, line, segment.start) if explicit else None
            if name:
                # "Customer name: X" says X is the name; after "Bill to: X" may come a department
                factor = 0.85 if _says_name(hit.phrase) else 0.7
                evidence.add(name, strength * factor, f"after '{hit.phrase}'", line.index)
            continue
        name = _block_name(doc, doc.under(line, hit, _BLOCK_ROWS))
        if name:
            evidence.add(name, strength * 0.8, f"under '{hit.phrase}'", line.index + 1)
    for line, hit, _strength in doc.hits(DELIVERY_ROLE):
        beside = [h for h in line.hits if h is not hit and (h.strength(CUSTOMER_ROLE) or h.strength(DELIVERY_ROLE))]
        for below in doc.under(line, hit, 1) if beside else doc.below(line, 1):  # "Bill to  Ship to": its own cell
            name = _clean_name(doc, below)
            if name:
                evidence.add(name, 0.35, f"under '{hit.phrase}'", below.index)
    sender = _sender_line(doc)
    if sender is not None:
        name = _block_name(doc, doc.below(sender, 2))
        if name:
            evidence.add(name, 0.6, "first line of the address window", sender.index + 1)
    return evidence


def _domains(doc: Document) -> list[str]:
    """Web domains printed by the supplier (letterhead, footer), as bare letters."""
    found = []
    for line in doc.lines[:_HEADER_LINES] + doc.lines[-_FOOTER_LINES:]:
        for match in _WEBSITE.finditer(line.text):
            host = match.group(1).lower().removeprefix("www.")
            found.append(_letters(host.rsplit(".", 1)[0]))
    return found


def _mail_domains(doc: Document, customer_lines: CustomerBlock) -> set[str]:
    """The labels of the e-mail domains printed outside the customer's block, as bare letters ("fournisseurf").

    Read from the "@" on: OCR often breaks the address after a dot ("martin@fournisseurf. fr").
    """
    found = set()
    for line in doc.lines:
        for match in re.finditer(r"@([\w\-]+(?:\.[\w\-]+)*)", line.text):
            if not customer_lines.holds(line, match.start()):
                found.update(_letters(label) for label in match.group(1).split("."))
    return found


def _email_evidence(doc: Document, customer_lines: CustomerBlock, domains: list[str], supplier_name) -> Evidence:
    evidence = Evidence()
    name_letters = _letters(supplier_name).removesuffix(_letters(_legal_form(supplier_name))) if supplier_name else ""
    for line in doc.lines:
        for match in _EMAIL.finditer(line.text):
            email = match.group(0).strip(".")
            domain = _letters(email.split("@", 1)[1].rsplit(".", 1)[0])
            score = 0.45
            if any(domain == d for d in domains):
                score += 0.4
            if name_letters and (name_letters in domain or domain in name_letters):
                score += 0.3
            if any(h.strength(EMAIL) for h in line.hits):
                score += 0.05
            if customer_lines.holds(line, match.start()):
                score -= 0.3
            evidence.add(email, max(score, 0.05), "e-mail address", line.index)
    return evidence


def _phone_evidence(doc: Document, customer_lines: CustomerBlock) -> Evidence:
    evidence = Evidence()
    for line in doc.lines:
        labelled = [h for h in line.hits if h.strength(PHONE)]
        edge = line.index < 3 or line.index >= len(doc.lines) - _FOOTER_LINES
        if not labelled and not edge:
            continue
        for match in _PHONE.finditer(line.text):
            number = match.group(1).strip()
            if sum(ch.isdigit() for ch in number) < 7 or find_vat_numbers(number) or _looks_like_date(number):
                continue
            before = line.text[: match.start()]
            near_label = any(h.end <= match.start() and not before[h.end :].strip(" :.") for h in labelled)
            score = 0.75 if near_label else 0.45 if edge and (number.startswith("+") or labelled) else 0.0
            if customer_lines.holds(line, match.start()):
                score -= 0.35
            evidence.add(number, score, "phone number", line.index)
    return evidence


def _looks_like_date(text: str) -> bool:
    return bool(re.fullmatch(r"\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}", text.strip()))


def _iban_evidence(doc: Document) -> Evidence:
    evidence = Evidence()
    for line in doc.lines:
        context = line.text
        if line.index + 1 < len(doc.lines):
            context += " " + doc.lines[line.index + 1].text
        for _start, _end, iban in find_ibans(line.text):
            if _CUSTOMER_ACCOUNT.search(context):
                continue  # the account a direct debit takes the money from is the customer's
            labelled = any(h.strength(IBAN) for h in line.hits)
            evidence.add(iban, 0.9 if labelled else 0.6, "IBAN with a valid check", line.index)
    return evidence


def _company_id_evidence(doc: Document, customer_lines: CustomerBlock | None = None) -> tuple[Evidence, list]:
    """The seller's company registration (SIRET, KvK, HRB, ABN...): labelled only, it has no universal shape.

    Returns ``(evidence, checked)``: the evidence for the seller's company
    id (label and number as printed), and ``(scheme, number, line index)``
    of each one whose check digits hold (python-stdnum) outside the
    customer's block.  A number whose check digits fail counts less; a
    scheme without check digits (KvK, Handelsregister) by its label alone.
    """
    evidence, checked = Evidence(), []
    for line, hit, strength in doc.hits(COMPANY_ID):
        text = doc.segment_after(line, hit).text
        match = re.match(r"(?:Nr\.?|No\.?|N°|:)?\s*([A-Z]{0,3}\s?\d[\d ./\-]{3,20}\d)", text)
        if not match:
            continue
        label = line.text[hit.start : hit.end].strip(" .:")
        found = company_id(label, text)
        verdict = found[2] if found else None
        score = strength * (0.6 if verdict is False else 1.0)
        evidence.add(f"{label} {match.group(1).strip()}", score, f"after '{hit.phrase}'", line.index)
        valid = verdict or (found is not None and vat_from_company_id(found[0], found[1]) is not None)  # its SIREN
        if valid and not (customer_lines is not None and customer_lines.holds(line, hit.start)):
            checked.append((found[0], found[1], line.index))
    return evidence, checked


def _corroborate_vat(supplier_vat: Evidence, checked: list) -> Evidence:
    """A seller VAT number built on a company number whose check digits hold (FR: the SIREN) is surer the seller's.

    The company number printed in the seller's details (not the
    customer's) and the VAT number confirm each other: two independent
    clues to the same party.
    """
    held = False
    for value in supplier_vat.values():
        for scheme, number, index in checked:
            if isinstance(value, str) and holds_company_id(value, scheme, number):
                supplier_vat.add(value, 0.5, f"holds the seller's {scheme} {number}, whose check digits hold", index)
                held = True
                break
    for scheme, number, index in [] if held else checked:  # OCR lost the VAT number, the SIREN survived
        supplier_vat.add(vat_from_company_id(scheme, number), _REBUILT_VAT, f"built from the {scheme} {number}", index)
    return supplier_vat
