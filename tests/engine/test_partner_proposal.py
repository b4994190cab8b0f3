"""The vendor proposed for a supplier the import did not recognise (engine/partners.py: propose)."""

from invoice_import.engine.partners import compact_vat, propose

CANDIDATES = [
    (1, "Bolt Supplies Ltd", "GB980780684"),
    (2, "Greenleaf Office Supplies (UK) Ltd", None),
    (3, "Müller Haustechnik GmbH", "DE811234567"),
    (4, "Müller Haustechnik Nord GmbH", None),
]


def test_vat_number_first_whatever_its_writing_and_prefix():
    assert propose("Someone Else", "GB 980 7806 84", CANDIDATES) == (1, "vat")
    assert propose(None, "811234567", CANDIDATES) == (3, "vat")
    assert compact_vat("de 811.234-567") == "DE811234567"


def test_then_the_name_equal_or_the_one_that_holds_its_words():
    assert propose("BOLT SUPPLIES LIMITED", None, CANDIDATES) == (1, "name")
    assert propose("Greenleaf Office Supplies", None, CANDIDATES) == (2, "name")
    # equal beats similar: "Müller Haustechnik Nord" also holds the words, but one partner is the name itself
    assert propose("Mueller", None, CANDIDATES) is None
    assert propose("Müller Haustechnik", "DE000", CANDIDATES) == (3, "name")


def test_never_a_guess_among_several_nor_a_generic_name():
    assert propose("Haustechnik", None, CANDIDATES) is None  # two partners hold it
    assert propose("Supplies Ltd", None, CANDIDATES) is None
    assert propose(None, None, CANDIDATES) is None
    assert propose("Unknown Trading Company", "FR12345678901", CANDIDATES) is None
