"""A small New Zealand demo organisation: the chart and tax rates a new Xero tenant starts with."""

from __future__ import annotations

from decimal import Decimal

from .xero_wire import new_id

# code, name, type, class, tax type, extra
ACCOUNTS = [
    ("090", "Business Bank Account", "BANK", "ASSET", "NONE", {"BankAccountType": "BANK", "CurrencyCode": "NZD"}),
    ("200", "Sales", "REVENUE", "REVENUE", "OUTPUT2", {}),
    ("260", "Other Revenue", "REVENUE", "REVENUE", "OUTPUT2", {}),
    ("310", "Cost of Goods Sold", "DIRECTCOSTS", "EXPENSE", "INPUT2", {}),
    ("400", "Advertising", "OVERHEADS", "EXPENSE", "INPUT2", {}),
    ("429", "General Expenses", "OVERHEADS", "EXPENSE", "INPUT2", {}),
    ("477", "Salaries", "OVERHEADS", "EXPENSE", "NONE", {"Status": "ARCHIVED"}),
    ("610", "Accounts Receivable", "CURRENT", "ASSET", "NONE", {"SystemAccount": "DEBTORS"}),
    ("800", "Accounts Payable", "CURRLIAB", "LIABILITY", "NONE", {"SystemAccount": "CREDITORS"}),
    ("820", "GST", "CURRLIAB", "LIABILITY", "NONE", {"SystemAccount": "GST"}),
    ("880", "Owner A Drawings", "EQUITY", "EQUITY", "NONE", {"EnablePaymentsToAccount": True}),
]

# tax type, name, rate, report tax type
TAX_RATES = [
    ("OUTPUT2", "15% GST on Income", Decimal("15"), "OUTPUT"),
    ("INPUT2", "15% GST on Expenses", Decimal("15"), "INPUT"),
    ("NONE", "No GST", Decimal("0"), "NONE"),
    ("ZERORATED", "Zero Rated", Decimal("0"), "OUTPUT"),
    ("EXEMPTOUTPUT", "Zero Rated Exports", Decimal("0"), "EXEMPTOUTPUT"),
]


def seed_accounts(updated: str) -> dict[str, dict]:
    accounts = {}
    for code, name, account_type, account_class, tax_type, extra in ACCOUNTS:
        record = {
            "AccountID": new_id(),
            "Code": code,
            "Name": name,
            "Type": account_type,
            "Class": account_class,
            "TaxType": tax_type,
            "Status": "ACTIVE",
            "EnablePaymentsToAccount": False,
            "ShowInExpenseClaims": False,
            "BankAccountType": "",
            "ReportingCode": "",
            "HasAttachments": False,
            "AddToWatchlist": False,
            "UpdatedDateUTC": updated,
        }
        record.update(extra)
        accounts[record["AccountID"]] = record
    return accounts


def seed_tax_rates() -> dict[str, dict]:
    rates = {}
    for tax_type, name, rate, report in TAX_RATES:
        rates[tax_type] = {
            "Name": name,
            "TaxType": tax_type,
            "ReportTaxType": report,
            "Status": "ACTIVE",
            "TaxComponents": [{"Name": "GST", "Rate": rate, "IsCompound": False, "IsNonRecoverable": False}],
            "CanApplyToAssets": True,
            "CanApplyToEquity": True,
            "CanApplyToExpenses": True,
            "CanApplyToLiabilities": True,
            "CanApplyToRevenue": True,
            "DisplayTaxRate": rate,
            "EffectiveRate": rate,
        }
    return rates
