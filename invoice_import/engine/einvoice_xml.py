"""What the CII and UBL readers share: safe parsing, navigation, numbers, type codes.

Safety: a supplier's XML is hostile until proven otherwise, so any DTD,
entity declaration or external reference is refused before it can be
expanded or fetched (XXE, billion laughs, remote DTDs).  Valid e-invoices
never need one.

Navigation goes by local element names, because the same business term sits
under several namespaces (CII D16B, ZUGFeRD 1.0, and the ZUGFeRD release
candidate that put its elements in no namespace at all); a path step may list
the alternative names the syntaxes use, so one path reads them all.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as defused_fromstring

from .errors import ExtractionError
from .values import clean_text

Step = str | tuple[str, ...]

# Amounts on invoices never need more digits than this; a value such as
# ``1E999999999`` is refused rather than expanded by ``format(value, "f")``.
_MAX_ADJUSTED_EXPONENT = 18
_MIN_EXPONENT = -12


def parse_xml(data: bytes) -> Element:
    """Parse with DTDs, entities and external references forbidden."""
    try:
        return defused_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden as exc:
        external = f" referring to {exc.sysid[:80]!r}" if exc.sysid else ""
        raise ExtractionError(
            "unsafe_xml",
            f"the XML has a document type declaration <!DOCTYPE {exc.name}>{external}, which is refused: "
            "e-invoices never need one and it is how entity-expansion and external-entity attacks work",
        ) from None
    except (EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise ExtractionError("unsafe_xml", f"the XML declares entities or external references ({exc})") from None
    except (ParseError, ValueError, LookupError) as exc:
        raise ExtractionError("invalid_xml", f"the XML is not well-formed: {exc}") from None


# UNTDID 1001 codes of credit notes; any other code (380, 384 corrected,
# 389 self-billed, 386 prepayment...) is an invoice.  A ZUGFeRD 1
# "Rechnungskorrektur" is 380 with negative amounts: it stays an invoice.
CREDIT_NOTE_TYPE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"})


def document_type_for(type_code: str | None) -> str:
    return "credit_note" if type_code in CREDIT_NOTE_TYPE_CODES else "invoice"


def compact(value: str | None) -> str | None:
    """VAT numbers and IBANs without the spaces suppliers print for readability."""
    if value is None:
        return None
    return "".join(value.split()) or None


def namespace(element: Element) -> str:
    tag = element.tag
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def local_name(element: Element) -> str:
    return element.tag.rpartition("}")[2]


def children(element: Element | None, step: Step) -> list[Element]:
    if element is None:
        return []
    names = (step,) if isinstance(step, str) else step
    return [child for child in element if isinstance(child.tag, str) and local_name(child) in names]


def find_all(element: Element | None, *path: Step) -> list[Element]:
    found = [element] if element is not None else []
    for step in path:
        found = [child for parent in found for child in children(parent, step)]
    return found


def find(element: Element | None, *path: Step) -> Element | None:
    found = find_all(element, *path)
    return found[0] if found else None


def own_text(element: Element | None) -> str | None:
    """The element's text with whitespace collapsed; names may span lines in the XML."""
    return None if element is None else clean_text(element.text)


def text_at(element: Element | None, *path: Step) -> str | None:
    """First non-empty text along ``path``: empty placeholders (``<ID schemeID="VA"/>``) are skipped."""
    for candidate in find_all(element, *path):
        value = own_text(candidate)
        if value:
            return value
    return None


def to_decimal(text: str | None) -> Decimal | None:
    """An XML decimal (always ``.`` as the mark, never grouped), or None when it is not a sane one.

    ``values.parse_amount`` is not used on purpose: it reads ``1.234`` as a
    thousands grouping, which is wrong for XML.
    """
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if value and (value.adjusted() > _MAX_ADJUSTED_EXPONENT or value.as_tuple().exponent < _MIN_EXPONENT):
        return None
    return value


def percent_of(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to the hundredth, as Odoo stores a line discount."""
    if part is None or not whole:
        return None
    return (part / whole * 100).quantize(Decimal("0.01"))


def decimal_of(element: Element | None, warnings: list[str]) -> Decimal | None:
    """The element's number; a value that is present but unreadable is reported, not guessed."""
    text = own_text(element)
    if text is None:
        return None
    value = to_decimal(text)
    if value is None:
        warnings.append(f"{local_name(element)} {text[:40]!r} is not a number and was ignored")
    return value


def decimal_at(element: Element | None, *path: Step, warnings: list[str]) -> Decimal | None:
    return decimal_of(find(element, *path), warnings)
