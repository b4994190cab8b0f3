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
