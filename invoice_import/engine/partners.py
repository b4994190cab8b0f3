"""When a name read from a document may identify a partner: never a fragment, a legal form or a common word.

Odoo's own lookup (``res.partner._retrieve_partner``) matches a name with ``ilike``: a supplier name read
as "Ltd" found the one partner whose name contains "Ltd". A name identifies a partner here only when it is
specific (at least one distinctive word besides legal forms and words every supplier uses) and equal to
the partner's name once case, punctuation and legal forms are set aside.
"""

import re
import unicodedata

LEGAL_FORMS = frozenset(
    """ltd limited llc llp lp plc inc incorporated corp corporation co company cie pty pte gmbh mbh ag kg ohg ug
    ev eg kgaa se sa sas sasu sarl eurl sca snc scs sl slu srl spa sapa bv nv vof cv ab as oy aps kft sro zrt
    """.split()
)
GENERIC_WORDS = frozenset(
    """the and und et en of de der die das le la les van von du des a an
    group groupe gruppe holding holdings international intl trading services service solutions supplies supply
    supplier suppliers lieferant fournisseur leverancier industries industrial invoice invoices rechnung facture
    factuur bill bills customer client kunde klant sales partner partners shop store handel
    """.split()
)
MIN_DISTINCTIVE = 4  # letters in the distinctive words together


def _words(name):
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.findall(r"[^\W_]+", text)


def name_key(name):
    """The name as compared with partners' names, or None when it cannot identify anyone.

    >>> name_key("Bolt Supplies Ltd."), name_key("BOLT SUPPLIES LIMITED")
    ('bolt supplies', 'bolt supplies')
    >>> name_key("Ltd"), name_key("GmbH & Co. KG"), name_key("Invoice"), name_key("ABC"), name_key("  ")
    (None, None, None, None, None)
    >>> name_key("Müller Haustechnik GmbH")
    'muller haustechnik'
    """
    words = [w for w in _words(name) if w not in LEGAL_FORMS]
    distinctive = [w for w in words if w not in GENERIC_WORDS and not w.isdigit()]
    if sum(len(w) for w in distinctive) < MIN_DISTINCTIVE:
        return None
    return " ".join(words)


def search_word(name):
    """The longest distinctive word of ``name`` as written (accents kept): what narrows a database search.

    >>> search_word("Bolt Supplies Ltd"), search_word("Müller GmbH"), search_word("Ltd")
    ('bolt', 'müller', None)
    """
    if not name_key(name):
        return None
    written = [w for w in re.findall(r"[^\W_]+", (name or "").casefold()) if not w.isdigit()]
    distinctive = [w for w in written if _words(w) and _words(w)[0] not in LEGAL_FORMS | GENERIC_WORDS]
    return max(distinctive, key=len) if distinctive else None


def compact_vat(vat):
    """A VAT number as compared: letters and digits only, upper case ('DE 811.234.567' -> 'DE811234567').

    >>> compact_vat(" de 811.234-567 "), compact_vat(None)
    ('DE811234567', '')
    """
    return re.sub(r"[^0-9A-Za-z]", "", vat or "").upper()


def _same_vat(read, known):
    """Equal once compacted, or equal but for the two-letter country prefix only one of them writes."""
    read, known = compact_vat(read), compact_vat(known)
    if not read or not known or len(read) < 5:
        return False
    if read == known:
        return True
    shorter, longer = sorted((read, known), key=len)
    return longer[:2].isalpha() and longer[2:] == shorter


def _distinctive(name):
    return {w for w in _words(name) if w not in LEGAL_FORMS and w not in GENERIC_WORDS and not w.isdigit()}


def propose(name, vat, candidates):
    """The partner to propose for a supplier (or customer) the import did not recognise, and why; or None.

    ``candidates``: ``(id, name, vat)`` of the company's partners found by a broad search. By VAT number
    first (equal once spaces and punctuation are set aside, with or without its country prefix), then by
    name: equal once case, punctuation and legal forms are set aside, else the one partner whose
    distinctive words hold all of the name's (or the reverse: "Greenleaf" for "Greenleaf Office UK").
    A person confirms the proposal, so it may be looser than the import's own recognition; it is never a
    guess among several. Returns ``(id, "vat" | "name")`` or None.

    >>> propose("Bolt Supplies", "GB 980 7806 84", [(1, "Bolt Ltd", "GB980780684"), (2, "Bolt Supplies", None)])
    (1, 'vat')
    >>> propose("Greenleaf Office Supplies", None, [(3, "Greenleaf Office Supplies (UK) Ltd", None)])
    (3, 'name')
    >>> propose("Ltd", None, [(4, "Bolt Ltd", None)]) is None
    True
    """
    by_vat = {cid for cid, _name, known in candidates if _same_vat(vat, known)}
    if len(by_vat) == 1:
        return by_vat.pop(), "vat"
    key = name_key(name)
    if not key:
        return None
    equal = {cid for cid, known, _vat in candidates if name_key(known) == key}
    if len(equal) == 1:
        return equal.pop(), "name"
    if equal:
        return None
    words = _distinctive(name)
    similar = {
        cid
        for cid, known, _vat in candidates
        if (known_words := _distinctive(known)) and (words <= known_words or known_words <= words)
    }
    return (similar.pop(), "name") if len(similar) == 1 else None
