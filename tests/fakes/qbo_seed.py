"""The lists a fresh QBO company already has: chart of accounts, VAT codes and rates, items, payment methods.

A UK-style (VAT) company, because that is where QBO's TaxCode entities carry real rates; US companies use
the pseudo codes TAX/NON with automated sales tax, which an Odoo tax mapping cannot target.
"""

from __future__ import annotations

ACCOUNTS = [
    # Id, Name, AcctNum, AccountType, AccountSubType, Classification
    ("1", "Sales", "4000", "Income", "SalesOfProductIncome", "Revenue"),
    ("2", "Services", "4100", "Income", "ServiceFeeIncome", "Revenue"),
    ("3", "Trade Debtors", "1100", "Accounts Receivable", "AccountsReceivable", "Asset"),
    ("4", "Trade Creditors", "2100", "Accounts Payable", "AccountsPayable", "Liability"),
    ("5", "Current Account", "1200", "Bank", "Checking", "Asset"),
    ("6", "Office Expenses", "7500", "Expense", "OfficeGeneralAdministrativeExpenses", "Expense"),
    ("7", "Cost of Sales", "5000", "Cost of Goods Sold", "SuppliesMaterialsCogs", "Expense"),
    ("8", "VAT Control", "2200", "Other Current Liability", "GlobalTaxPayable", "Liability"),
    ("9", "Undeposited Funds", "1210", "Other Current Asset", "UndepositedFunds", "Asset"),
    ("10", "Company Credit Card", "1250", "Credit Card", "CreditCard", "Liability"),
    ("11", "Savings Account", "1300", "Bank", "Savings", "Asset"),
]

TAX_RATES = [
    # Id, Name, RateValue
    ("1", "20.0% S", "20"),
    ("2", "0.0% Z", "0"),
    ("3", "5.0% R", "5"),
    ("4", "20.0% S (Purchases)", "20"),
]

TAX_CODES = [
    # Id, Name, sales rate id, purchase rate id
    ("2", "20.0% S", "1", "4"),
    ("3", "0.0% Z", "2", "2"),
    ("4", "5.0% R", "3", "3"),
    ("5", "Exempt", None, None),
]

ITEMS = [
    # Id, Name, Type, income account, expense account
    ("1", "Services", "Service", "2", "6"),
    ("2", "Goods", "NonInventory", "1", "7"),
]

PAYMENT_METHODS = [
    # Id, Name, Type (QBO's own defaults in a new company include these)
    ("1", "Cash", "NON_CREDIT_CARD"),
    ("2", "Cheque", "NON_CREDIT_CARD"),
    ("3", "Visa", "CREDIT_CARD"),
    ("4", "MasterCard", "CREDIT_CARD"),
]


def _ref(value: str, name: str) -> dict:
    return {"value": value, "name": name}


def _rate_list(rate_id: str | None) -> dict:
    if rate_id is None:
        return {"TaxRateDetail": []}
    name = next(name for rid, name, _ in TAX_RATES if rid == rate_id)
    return {"TaxRateDetail": [{"TaxRateRef": _ref(rate_id, name), "TaxTypeApplicable": "TaxOnAmount", "TaxOrder": 0}]}


def seed_rows() -> dict[str, list[dict]]:
    """Entity name -> rows (without SyncToken/MetaData: the store stamps those)."""
    accounts = {aid: name for aid, name, *_ in ACCOUNTS}
    return {
        "Account": [
            {
                "Id": aid,
                "Name": name,
                "FullyQualifiedName": name,
                "AcctNum": num,
                "AccountType": kind,
                "AccountSubType": sub,
                "Classification": classification,
                "Active": True,
                "SubAccount": False,
                "CurrentBalance": 0,
                "CurrencyRef": _ref("GBP", "British Pound Sterling"),
            }
            for aid, name, num, kind, sub, classification in ACCOUNTS
        ],
        "TaxRate": [
            {"Id": rid, "Name": name, "Description": name, "Active": True, "RateValue": float(value)}
            for rid, name, value in TAX_RATES
        ],
        "TaxCode": [
            {
                "Id": cid,
                "Name": name,
                "Description": name,
                "Active": True,
                "Hidden": False,
                "Taxable": sales is not None,
                "TaxGroup": False,
                "SalesTaxRateList": _rate_list(sales),
                "PurchaseTaxRateList": _rate_list(purchase),
            }
            for cid, name, sales, purchase in TAX_CODES
        ],
        "Item": [
            {
                "Id": iid,
                "Name": name,
                "FullyQualifiedName": name,
                "Type": kind,
                "Active": True,
                "IncomeAccountRef": _ref(income, accounts[income]),
                "ExpenseAccountRef": _ref(expense, accounts[expense]),
            }
            for iid, name, kind, income, expense in ITEMS
        ],
        "PaymentMethod": [
            {"Id": pid, "Name": name, "Type": kind, "Active": True} for pid, name, kind in PAYMENT_METHODS
        ],
    }
