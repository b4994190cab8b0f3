"""The tax code proposed for each Odoo tax after *Refresh chart of accounts* (``account_sync.engine.taxes``):
only equal rates, then direction and name, and nothing when it would be a guess."""

from decimal import Decimal

from account_sync.engine.records import RemoteTaxRate
from account_sync.engine.taxes import ChildTax, LocalTax, direction, group_rate, propose, propose_all

# a German organisation in Xero: each rate once for sales and once for purchases, and the tax-free codes
GERMAN = [
    RemoteTaxRate("OUTPUT", "19% Umsatzsteuer (Income)", Decimal(19)),
    RemoteTaxRate("TAX001", "7% Umsatzsteuer (Income)", Decimal(7)),
    RemoteTaxRate("INPUT", "19% Vorsteuer (Expenses)", Decimal(19)),
    RemoteTaxRate("TAX002", "7% Vorsteuer (Expenses)", Decimal(7)),
    RemoteTaxRate("NONE", "No VAT", Decimal(0)),
    RemoteTaxRate("EXEMPTOUTPUT", "Exempt exports", Decimal(0)),
]
# QuickBooks UK: one code per rate for both directions, named by QuickBooks
QUICKBOOKS_UK = [
    RemoteTaxRate("2", "20.0% S", Decimal(20)),
    RemoteTaxRate("3", "0.0% Z", Decimal(0)),
    RemoteTaxRate("4", "5.0% R", Decimal(5)),
    RemoteTaxRate("5", "Exempt", Decimal(0)),
]


def test_19_and_7_percent_go_to_different_codes_by_rate_and_direction():
    odoo = [
        LocalTax(1, "19% USt", Decimal("19.0"), "sale"),
        LocalTax(2, "7% USt", Decimal("7.0"), "sale"),
        LocalTax(3, "19% Vorsteuer", Decimal("19.0"), "purchase"),
        LocalTax(4, "7% Vorsteuer", Decimal("7.0"), "purchase"),
    ]
    assert propose_all(odoo, GERMAN) == {1: "OUTPUT", 2: "TAX001", 3: "INPUT", 4: "TAX002"}


def test_a_rate_the_ledger_lacks_gets_no_proposal_and_falls_back_to_the_defaults():
    assert propose(LocalTax(1, "16% USt", Decimal(16), "sale"), GERMAN) is None
    assert propose_all([LocalTax(1, "16% USt", Decimal(16), "sale")], GERMAN) == {}


def test_a_float_rate_from_odoo_matches_the_ledgers_decimal():
    assert propose(LocalTax(1, "VAT 20%", Decimal(str(20.000000001)), "sale"), QUICKBOOKS_UK) == "2"


def test_equal_rates_without_a_telling_name_propose_nothing_rather_than_guess():
    assert propose(LocalTax(1, "0%", Decimal(0), "sale"), QUICKBOOKS_UK) is None


def test_the_name_decides_between_codes_of_one_rate():
    assert propose(LocalTax(1, "0% Exempt", Decimal(0), "sale"), QUICKBOOKS_UK) == "5"
    assert propose(LocalTax(1, "0% EU exports exempt", Decimal(0), "sale"), GERMAN) == "EXEMPTOUTPUT"


def test_a_tax_for_both_directions_takes_the_only_code_of_its_rate():
    assert propose(LocalTax(1, "Reduced rate", Decimal(5), "none"), QUICKBOOKS_UK) == "4"


def test_direction_reads_codes_and_names():
    assert [direction(text) for text in ("INPUT2", "15% GST on Income", "Sales and purchases", "")] == [
        "purchase",
        "sale",
        "",
        "",
    ]


# QuickBooks Canada: a Quebec code stacks GST 5 % and QST 9.975 % (the code's rate is their sum)
QUICKBOOKS_CA = [
    RemoteTaxRate("3", "GST", Decimal(5)),
    RemoteTaxRate("7", "QST QC", Decimal("9.975")),
    RemoteTaxRate("8", "GST/QST QC", Decimal("14.975")),
    RemoteTaxRate("9", "HST ON", Decimal(13)),
]


def test_a_group_tax_goes_to_the_stacked_code_of_its_childrens_total():
    gst, qst = ChildTax(Decimal("5.0")), ChildTax(Decimal("9.975"))
    group = LocalTax(10, "GST + QST", group_rate([gst, qst]), "sale")
    assert propose(group, QUICKBOOKS_CA) == "8"
    # its children alone would each meet their own code, which is not the group's
    assert propose(LocalTax(11, "GST", gst.rate, "sale"), QUICKBOOKS_CA) == "3"


def test_a_compounding_child_counts_on_the_base_the_earlier_one_raised():
    # 10 % then 5 % on price + the 10 %: 15.5 % in all, which Xero shows as the compound rate's effective rate
    chart = [RemoteTaxRate("TAX015", "Compound 15.5%", Decimal("15.5")), RemoteTaxRate("TAX016", "Flat", Decimal(15))]
    compound = group_rate([ChildTax(Decimal(10), compounds=True), ChildTax(Decimal(5))])
    flat = group_rate([ChildTax(Decimal(10)), ChildTax(Decimal(5))])
    assert (compound, flat) == (Decimal("15.5"), Decimal(15))
    assert propose(LocalTax(1, "State + county", compound, "sale"), chart) == "TAX015"
    assert propose(LocalTax(2, "State + county", flat, "sale"), chart) == "TAX016"


def test_a_group_with_a_fixed_amount_or_no_children_has_no_rate_and_no_proposal():
    assert group_rate([ChildTax(Decimal(5)), ChildTax(Decimal("0.50"), kind="fixed")]) is None
    assert group_rate([]) is None
    # a group whose total no code carries is left to the defaults, as any tax whose rate the chart lacks
    assert (
        propose(
            LocalTax(3, "GST + PST BC", group_rate([ChildTax(Decimal(5)), ChildTax(Decimal(7))]), "sale"), QUICKBOOKS_CA
        )
        is None
    )
