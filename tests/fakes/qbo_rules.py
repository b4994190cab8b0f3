"""Business rules of the QBO entities the connector uses: what QBO refuses and what it computes itself.

The XSD says which fields exist; these rules say what QBO does with them: names are unique across
customers, vendors and employees (6240); references must point at live rows (2500); totals, tax and
balances are computed server-side (client values are ignored); payments reduce the balance of the
invoices they link and the invoice gets a SyncToken bump for it, which is how a stale SyncToken arises
in real life.  Simplifications are named where they are made.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .qbo_faults import business, duplicate_doc_number, duplicate_name, required

CENT = Decimal("0.01")
NAME_LISTS = ("Customer", "Vendor", "Employee")
#: linked by a payment line, these give credit instead of receiving money (the payment's total nets them)
CREDIT_TYPES = ("CreditMemo",)


def money(value) -> Decimal:
    return Decimal(str(value if value not in (None, "") else 0)).quantize(CENT, ROUND_HALF_UP)


def number(value: Decimal) -> float:
    return float(value)


def ref_id(row: dict, field: str) -> str | None:
    ref = row.get(field)
    if isinstance(ref, dict) and ref.get("value") not in (None, ""):
        return str(ref["value"])
    return None


class Rules:
    """Default: store what the client sent; subclasses add validation and computed fields."""

    #: fields QBO computes; whatever the client sends for them is dropped
    read_only: frozenset[str] = frozenset()

    def __init__(self, entity: str = ""):
        self.entity = entity

    def prepare(self, company, row: dict, previous: dict | None) -> None:
        """Validate ``row`` and fill computed fields; ``previous`` is the stored version on update."""

    def apply(self, company, row: dict) -> None:
        """Side effects on other rows once ``row`` is stored (payments on invoice balances)."""

    def unapply(self, company, row: dict) -> None:
        """Undo ``apply`` before an update, a void or a delete."""

    def void(self, company, row: dict) -> None:
        raise business("This transaction type cannot be voided")


class NameListRules(Rules):
    read_only = frozenset({"Balance", "BalanceWithJobs", "FullyQualifiedName"})

    def prepare(self, company, row, previous):
        if not row.get("DisplayName"):
            parts = [row.get(key) for key in ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")]
            row["DisplayName"] = " ".join(p for p in parts if p) or row.get("CompanyName") or ""
        if not row["DisplayName"]:
            raise required("DisplayName")
        holder = company.name_holder(row["DisplayName"])
        if holder is not None and holder != (self.entity, row.get("Id")):
            raise duplicate_name()
        row["FullyQualifiedName"] = row["DisplayName"]
        row.setdefault("Active", True)
        if previous is None:
            row["Balance"] = 0.0
            if self.entity == "Customer":
                row["BalanceWithJobs"] = 0.0
        else:
            for key in ("Balance", "BalanceWithJobs"):
                if key in previous:
                    row[key] = previous[key]


class ItemRules(Rules):
    """Item names are unique among items (inactive ones too); sales items post to a live income account."""

    read_only = frozenset({"FullyQualifiedName"})

    def prepare(self, company, row, previous):
        name = str(row.get("Name") or "").strip()
        if not name:
            raise required("Name")
        for other in company.rows("Item"):
            if other["Id"] != row.get("Id") and str(other.get("Name", "")).strip().casefold() == name.casefold():
                raise duplicate_name("item")
        if row.get("Type", "Service") in ("Service", "NonInventory"):
            account = ref_id(row, "IncomeAccountRef")
            if account is None:
                raise required("IncomeAccountRef")
            company.require("Account", account, reference=True)
        row["FullyQualifiedName"] = name
        row.setdefault("Active", True)


class _LineTotals:
    """Subtotal and VAT of a document's lines, per tax rate, the way QBO fills TxnTaxDetail."""

    def __init__(self, company, purchase: bool):
        self.company = company
        self.purchase = purchase
        self.subtotal = Decimal(0)
        self.by_rate: dict[str, list[Decimal]] = {}  # rate id -> [net, tax]

    def add(self, amount: Decimal, tax_code_id: str | None) -> None:
        self.subtotal += amount
        if tax_code_id is None:
            return
        code = self.company.require("TaxCode", tax_code_id)
        rates = code.get("PurchaseTaxRateList" if self.purchase else "SalesTaxRateList", {}).get("TaxRateDetail", [])
        for detail in rates:
            rate_id = detail["TaxRateRef"]["value"]
            percent = Decimal(str(self.company.require("TaxRate", rate_id)["RateValue"]))
            bucket = self.by_rate.setdefault(rate_id, [Decimal(0), Decimal(0)])
            bucket[0] += amount
            bucket[1] += (amount * percent / 100).quantize(CENT, ROUND_HALF_UP)

    def tax_detail(self, mode: str) -> tuple[dict, Decimal]:
        if mode == "NotApplicable":
            return {"TotalTax": 0.0}, Decimal(0)
        lines, total = [], Decimal(0)
        for rate_id, (net, tax) in sorted(self.by_rate.items()):
            percent = self.company.require("TaxRate", rate_id)["RateValue"]
            total += tax
            lines.append(
                {
                    "Amount": number(tax),
                    "DetailType": "TaxLineDetail",
                    "TaxLineDetail": {
                        "TaxRateRef": {"value": rate_id},
                        "PercentBased": True,
                        "TaxPercent": percent,
                        "NetAmountTaxable": number(net),
                    },
                }
            )
        return {"TotalTax": number(total), "TaxLine": lines}, total


class _DocumentRules(Rules):
    """Invoices, credit memos and bills: lines, VAT and totals computed like QBO (amounts are net of tax)."""

    party_field = "CustomerRef"
    party_entity = "Customer"
    line_kinds: tuple[str, ...] = ()
    purchase = False
    read_only = frozenset({"TotalAmt", "Balance", "HomeBalance", "HomeTotalAmt", "TxnTaxDetail", "RemainingCredit"})

    def prepare(self, company, row, previous):
        party = ref_id(row, self.party_field)
        if party is None:
            raise required(self.party_field)
        company.require(self.party_entity, party, reference=True)
        lines = [line for line in row.get("Line") or [] if line.get("DetailType") != "SubTotalLineDetail"]
        if not lines:
            raise required("Line")
        totals = _LineTotals(company, self.purchase)
        for index, line in enumerate(lines, start=1):
            line["Id"] = str(index)
            line["LineNum"] = index
            totals.add(self._line_amount(company, line), self._line_tax_code(line))
        row["Line"] = lines + self._extra_lines(totals)
        mode = row.setdefault("GlobalTaxCalculation", "TaxExcluded")
        row["TxnTaxDetail"], tax = totals.tax_detail(mode)
        total = totals.subtotal + tax
        row["TotalAmt"] = number(total)
        row.setdefault("TxnDate", company.today())
        if not row.get("DocNumber") and not self.purchase:
            row["DocNumber"] = previous.get("DocNumber") if previous else company.next_doc_number()
        elif row.get("DocNumber"):
            self._unique_number(company, row)
        rate = self._exchange_rate(company, row)
        self._balances(company, row, previous, total)
        self._home_amounts(row, rate)

    def _unique_number(self, company, row) -> None:
        """QBO's duplicate-number check (on by default): sales forms per type, bills per vendor (6140)."""
        number_, party = row["DocNumber"], ref_id(row, self.party_field)
        for other in company.stored(self.entity):
            if other["Id"] == row.get("Id") or other.get("DocNumber") != number_:
                continue
            if not self.purchase or ref_id(other, self.party_field) == party:
                raise duplicate_doc_number(number_, self.entity, other["Id"])

    @staticmethod
    def _exchange_rate(company, row) -> Decimal:
        """Multi-currency: home currency units per foreign unit, required on a foreign document.

        QBO falls back to its own daily rate when none is sent; the SDK always sends one (1 on invoices,
        0 on bills), so a client that forgets the document's rate books it at 1.  The fake refuses a
        missing or zero rate and books home amounts with the rate it is given.
        """
        currency = ref_id(row, "CurrencyRef") or company.home_currency
        if currency == company.home_currency:
            row["ExchangeRate"] = 1.0
            return Decimal(1)
        rate = Decimal(str(row.get("ExchangeRate") or 0))
        if rate <= 0:
            raise business(
                f"The exchange rate is required for a transaction in {currency} (home currency "
                f"{company.home_currency}): home currency units per one {currency}"
            )
        row["ExchangeRate"] = float(rate)
        return rate

    def _home_amounts(self, row, rate: Decimal) -> None:
        """What the transaction is worth in the home currency, where the schema has the fields."""
        if self.entity in ("Invoice", "CreditMemo"):
            row["HomeTotalAmt"] = number(money(Decimal(str(row["TotalAmt"])) * rate))
            row["HomeBalance"] = number(money(Decimal(str(row["Balance"])) * rate))
        elif self.entity == "Bill":
            row["HomeBalance"] = number(money(Decimal(str(row["Balance"])) * rate))

    def _line_amount(self, company, line: dict) -> Decimal:
        kind = line.get("DetailType")
        if kind not in self.line_kinds:
            raise business(f"Line detail type {kind!r} is not allowed here")
        if kind == "DescriptionOnly":
            return Decimal(0)
        if line.get("Amount") in (None, ""):
            raise required("Line.Amount")
        amount = money(line["Amount"])
        detail = line.get(kind) or {}
        if kind in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail"):
            item = ref_id(detail, "ItemRef") or "1"  # QBO falls back to the default item
            detail["ItemRef"] = {"value": item, "name": company.require("Item", item, reference=True)["Name"]}
            qty, price = detail.get("Qty"), detail.get("UnitPrice")
            if qty not in (None, "", 0) and price not in (None, ""):
                if abs(money(Decimal(str(qty)) * Decimal(str(price))) - amount) > CENT:
                    raise business(f"Amount is not equal to UnitPrice * Qty. Supplied value:{amount}")
        if kind == "AccountBasedExpenseLineDetail":
            account = ref_id(detail, "AccountRef")
            if account is None:
                raise required("AccountRef")
            company.require("Account", account, reference=True)
        line[kind] = detail
        line["Amount"] = number(amount)
        return amount

    def _line_tax_code(self, line: dict) -> str | None:
        detail = line.get(line.get("DetailType")) or {}
        return ref_id(detail, "TaxCodeRef")

    def _extra_lines(self, totals: _LineTotals) -> list[dict]:
        return []

    def _balances(self, company, row, previous, total: Decimal) -> None:
        paid = money(previous["TotalAmt"]) - money(previous.get("Balance", 0)) if previous else Decimal(0)
        if total < paid:
            raise business("The transaction total is less than the payments already applied to it")
        row["Balance"] = number(total - paid)
        if previous and previous.get("LinkedTxn"):
            row["LinkedTxn"] = previous["LinkedTxn"]  # payment links are QBO's, not the client's


class InvoiceRules(_DocumentRules):
    line_kinds = ("SalesItemLineDetail", "DescriptionOnly")

    def _extra_lines(self, totals):
        return [{"Amount": number(totals.subtotal), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}}]

    def void(self, company, row):
        """QBO keeps a voided invoice with zero amounts.  Simplification: refuses if payments are applied."""
        if money(row.get("Balance")) != money(row.get("TotalAmt")):
            raise business("An invoice with payments applied cannot be voided; void or delete the payment first")
        for line in row.get("Line", []):
            line["Amount"] = 0.0
            detail = line.get("SalesItemLineDetail")
            if detail and "Qty" in detail:
                detail["Qty"] = 0
        row["TxnTaxDetail"] = {"TotalTax": 0.0}
        row["TotalAmt"] = row["Balance"] = 0.0
        row["HomeTotalAmt"] = row["HomeBalance"] = 0.0
        row["PrivateNote"] = "Voided"


class CreditMemoRules(InvoiceRules):
    def _balances(self, company, row, previous, total):
        """What payments applied stays applied across an update; the rest is credit left."""
        super()._balances(company, row, previous, total)
        row["RemainingCredit"] = row["Balance"]


class BillRules(_DocumentRules):
    party_field = "VendorRef"
    party_entity = "Vendor"
    line_kinds = ("AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail")
    purchase = True

    def prepare(self, company, row, previous):
        super().prepare(company, row, previous)
        row.setdefault("DueDate", row["TxnDate"])
        if "APAccountRef" not in row:
            row["APAccountRef"] = {"value": "4", "name": company.require("Account", "4")["Name"]}


class VendorCreditRules(BillRules):
    def prepare(self, company, row, previous):
        _DocumentRules.prepare(self, company, row, previous)

    def _balances(self, company, row, previous, total):
        row["Balance"] = number(total)


def _rebalance_home(document: dict) -> None:
    """A payment moved a foreign document's balance: its home-currency balance follows at the document's rate."""
    if "HomeBalance" in document:
        rate = Decimal(str(document.get("ExchangeRate") or 1))
        document["HomeBalance"] = number(money(money(document["Balance"]) * rate))


class _PaymentRules(Rules):
    """Payments and bill payments: lines link open documents and reduce their balance.

    A customer payment may link credit memos too: each such line spends that much of the memo's credit,
    so ``TotalAmt`` is what the invoice lines take minus what the credit memo lines give (a payment of 0
    linking an invoice and a credit memo for the same amount is how QBO applies a credit to an invoice).
    """

    party_field = "CustomerRef"
    party_entity = "Customer"
    target_types = ("Invoice", "CreditMemo")
    read_only = frozenset({"UnappliedAmt"})

    def prepare(self, company, row, previous):
        party = ref_id(row, self.party_field)
        if party is None:
            raise required(self.party_field)
        company.require(self.party_entity, party, reference=True)
        if row.get("TotalAmt") in (None, ""):
            raise required("TotalAmt")
        total = money(row["TotalAmt"])
        if total < 0:
            raise business("The payment total cannot be negative")
        applied = Decimal(0)
        for line in row.get("Line") or []:
            amount = money(line.get("Amount"))
            for link in line.get("LinkedTxn") or []:
                target = self._target(company, link, party)
                available = money(target.get("Balance"))
                if previous is not None:
                    available += self._applied_to(previous, link)
                if amount > available:
                    raise business(f"The payment amount {amount} exceeds the open balance {available}")
                # a credit memo line is credit used, not money received: it pays the invoices with the cash
                applied += -amount if link.get("TxnType") in CREDIT_TYPES else amount
            line["Amount"] = number(amount)
        if applied > total:
            raise business("The amount applied to transactions exceeds the payment total")
        if applied < 0:
            raise business("The credit applied exceeds the amount of the invoices it is applied to")
        row["TotalAmt"] = number(total)
        row.setdefault("TxnDate", company.today())
        self._computed(row, total - applied)
        self._payment_currency(company, row)

    def _payment_currency(self, company, row) -> None:
        """Multi-currency: a payment is in its documents' currency, and a foreign one needs its own rate.

        QBO books the payment's home amount at the rate it is sent (the difference to the documents' rate
        is an exchange gain or loss); the SDK sends none, so a client that forgets it books home amounts at
        QBO's guess. The fake refuses a foreign payment without a rate and keeps the home amount it books in
        ``company.home_totals`` (the schema gives payments no home total field).
        """
        currencies = {
            ref_id(target, "CurrencyRef") or company.home_currency
            for line in row.get("Line") or []
            for link in line.get("LinkedTxn") or []
            if (target := company.find(link.get("TxnType"), str(link.get("TxnId")))) is not None
        }
        currency = ref_id(row, "CurrencyRef") or (currencies.pop() if len(currencies) == 1 else None)
        if currencies - {currency}:
            raise business("A payment can only link transactions in its own currency")
        if currency and currency != company.home_currency:
            row["CurrencyRef"] = {"value": currency}
        rate = _DocumentRules._exchange_rate(company, row)
        company.home_totals[(self.entity, row["Id"])] = money(money(row["TotalAmt"]) * rate)

    def _computed(self, row, unapplied: Decimal) -> None:
        row["UnappliedAmt"] = number(unapplied)

    def _target(self, company, link: dict, party: str) -> dict:
        kind = link.get("TxnType")
        if kind not in self.target_types:
            raise business(f"A payment line cannot link a {kind!r}")
        target = company.require(kind, str(link.get("TxnId")), reference=True)
        if ref_id(target, self.party_field) != party:
            raise business(f"{kind} {link.get('TxnId')} belongs to another {self.party_entity.lower()}")
        return target

    @staticmethod
    def _applied_to(row: dict, link: dict) -> Decimal:
        return sum(
            (
                money(line.get("Amount"))
                for line in row.get("Line") or []
                for other in line.get("LinkedTxn") or []
                if (other.get("TxnType"), str(other.get("TxnId"))) == (link.get("TxnType"), str(link.get("TxnId")))
            ),
            Decimal(0),
        )

    def _each_link(self, company, row):
        for line in row.get("Line") or []:
            for link in line.get("LinkedTxn") or []:
                target = company.find(link["TxnType"], str(link["TxnId"]))
                if target is not None:
                    yield money(line.get("Amount")), target

    def apply(self, company, row):
        for amount, target in self._each_link(company, row):
            target["Balance"] = number(money(target["Balance"]) - amount)
            if "RemainingCredit" in target:
                target["RemainingCredit"] = target["Balance"]
            _rebalance_home(target)
            links = target.setdefault("LinkedTxn", [])
            link = {"TxnId": row["Id"], "TxnType": self.entity}
            if link not in links:
                links.append(link)
            company.touch(target)

    def unapply(self, company, row):
        for amount, target in self._each_link(company, row):
            target["Balance"] = number(money(target["Balance"]) + amount)
            if "RemainingCredit" in target:
                target["RemainingCredit"] = target["Balance"]
            _rebalance_home(target)
            target["LinkedTxn"] = [
                link
                for link in target.get("LinkedTxn", [])
                if (link.get("TxnId"), link.get("TxnType")) != (row["Id"], self.entity)
            ]
            company.touch(target)

    def void(self, company, row):
        """Voided payments stay with zero amounts and stop reducing the documents they paid."""
        for line in row.get("Line") or []:
            line["Amount"] = 0.0
        row["TotalAmt"] = 0.0
        self._computed(row, Decimal(0))
        row["PrivateNote"] = "Voided"


class PaymentRules(_PaymentRules):
    def prepare(self, company, row, previous):
        super().prepare(company, row, previous)
        if "DepositToAccountRef" not in row:
            row["DepositToAccountRef"] = {"value": "9"}  # Undeposited Funds, like QBO's default


class BillPaymentRules(_PaymentRules):
    party_field = "VendorRef"
    party_entity = "Vendor"
    target_types = ("Bill",)
    read_only = frozenset()

    def prepare(self, company, row, previous):
        pay_type = row.get("PayType")
        if pay_type == "Check":
            account = ref_id(row.get("CheckPayment") or {}, "BankAccountRef")
            if account is None:
                raise required("CheckPayment.BankAccountRef")
        elif pay_type == "CreditCard":
            account = ref_id(row.get("CreditCardPayment") or {}, "CCAccountRef")
            if account is None:
                raise required("CreditCardPayment.CCAccountRef")
        else:
            raise required("PayType")
        company.require("Account", account, reference=True)
        super().prepare(company, row, previous)

    def _computed(self, row, unapplied):
        """BillPayment has no UnappliedAmt in the schema; QBO keeps the overpayment as vendor credit."""


_RULE_CLASSES: dict[str, type[Rules]] = {
    "Customer": NameListRules,
    "Vendor": NameListRules,
    "Employee": NameListRules,
    "Item": ItemRules,
    "Invoice": InvoiceRules,
    "CreditMemo": CreditMemoRules,
    "Bill": BillRules,
    "VendorCredit": VendorCreditRules,
    "Payment": PaymentRules,
    "BillPayment": BillPaymentRules,
}
RULES: dict[str, Rules] = {entity: cls(entity) for entity, cls in _RULE_CLASSES.items()}
#: lists QBO's API reads but never writes (the fake refuses writes instead of inventing behaviour)
READ_ONLY_ENTITIES = frozenset({"TaxCode", "TaxRate"})  # created through TaxService only


def rules_for(entity: str) -> Rules:
    return RULES.get(entity) or Rules(entity)
