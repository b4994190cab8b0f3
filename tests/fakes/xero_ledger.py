"""One Xero organisation's books as the fake keeps them: contacts, invoices, bills, credit notes, payments.

Business rules follow Xero's documented behaviour closely enough that a client which gets them wrong
fails here too: unknown account or tax codes, payments above the amount due, voiding a paid invoice,
allocating more credit than remains.  Each ``create_*`` returns the stored record or the validation
messages Xero would attach to that item; the server decides between per-item errors and a 400.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .xero_seed import seed_accounts, seed_tax_rates
from .xero_wire import NIL_UUID, date_to_epoch, money, ms_date, new_id, number, parse_date

Messages = list[str]
EDITABLE = ("DRAFT", "SUBMITTED", "AUTHORISED")
PAYMENT_TYPES = {
    "ACCREC": "ACCRECPAYMENT",
    "ACCPAY": "ACCPAYPAYMENT",
    "ACCRECCREDIT": "ARCREDITPAYMENT",
    "ACCPAYCREDIT": "APCREDITPAYMENT",
}


class Ledger:
    def __init__(self, tenant_id: str, name: str, now: Callable[[], float]):
        self.tenant_id = tenant_id
        self.name = name
        self.now = now
        self.lock = threading.RLock()
        self.contacts: dict[str, dict] = {}
        self.invoices: dict[str, dict] = {}
        self.credit_notes: dict[str, dict] = {}
        self.payments: dict[str, dict] = {}
        self.items: dict[str, dict] = {}  # by ItemID; codes are unique (case aside)
        self.accounts = seed_accounts(self.stamp())
        self.tax_rates = seed_tax_rates()
        self.sequences = {"INV": 0, "CN": 0}
        self.sales_numbers: set[str] = set()  # ACCREC numbers are unique at Xero; an index keeps checks O(1)

    # --- helpers --------------------------------------------------------------------------------------

    def stamp(self) -> str:
        return ms_date(self.now())

    def _touch(self, record: dict) -> None:
        record["_updated"] = self.now()
        record["UpdatedDateUTC"] = ms_date(record["_updated"])

    def snapshot(self) -> tuple:
        return copy.deepcopy(
            (
                self.contacts,
                self.invoices,
                self.credit_notes,
                self.payments,
                self.sequences,
                self.sales_numbers,
                self.items,
            )
        )

    def restore(self, snapshot: tuple) -> None:
        (
            self.contacts,
            self.invoices,
            self.credit_notes,
            self.payments,
            self.sequences,
            self.sales_numbers,
            self.items,
        ) = snapshot

    def _next_number(self, prefix: str) -> str:
        self.sequences[prefix] += 1
        return f"{prefix}-{self.sequences[prefix]:04d}"

    def account_by_code(self, code: str) -> dict | None:
        return next((a for a in self.accounts.values() if a["Code"] == code), None)

    @staticmethod
    def contact_summary(contact: dict) -> dict:
        summary = {"ContactID": contact["ContactID"], "Name": contact["Name"], "HasValidationErrors": False}
        if contact.get("ContactNumber"):
            summary["ContactNumber"] = contact["ContactNumber"]
        return summary

    # --- contacts -------------------------------------------------------------------------------------

    def _name_taken(self, name: str, except_id: str | None = None) -> bool:
        wanted = name.strip().lower()
        return any(
            c["Name"].strip().lower() == wanted and c["ContactID"] != except_id and c["ContactStatus"] == "ACTIVE"
            for c in self.contacts.values()
        )

    def create_contact(self, item: dict) -> tuple[dict | None, Messages]:
        name = (item.get("Name") or "").strip()
        if not name:
            return None, ["The contact name must be specified."]
        if self._name_taken(name):
            return None, [
                f"The contact name {name} is already assigned to another contact. "
                "The contact name must be unique across all active contacts."
            ]
        contact = {
            "ContactID": new_id(),
            "ContactStatus": "ACTIVE",
            "IsSupplier": False,
            "IsCustomer": False,
            "HasAttachments": False,
            "HasValidationErrors": False,
            "ContactGroups": [],
            "ContactPersons": [],
            "Addresses": [],
            "Phones": [],
        }
        self._apply_contact_fields(contact, item)
        self._touch(contact)
        self.contacts[contact["ContactID"]] = contact
        return contact, []

    def update_contact(self, contact_id: str, item: dict) -> tuple[dict | None, Messages]:
        contact = self.contacts.get(contact_id)
        if contact is None:
            return None, [f"The contact with ContactID {contact_id} could not be found."]
        name = (item.get("Name") or contact["Name"]).strip()
        if self._name_taken(name, except_id=contact_id):
            return None, [f"The contact name {name} is already assigned to another contact."]
        self._apply_contact_fields(contact, item)
        self._touch(contact)
        return contact, []

    def create_or_update_contact(self, item: dict) -> tuple[dict | None, Messages]:
        if item.get("ContactID") and item["ContactID"] != NIL_UUID:
            return self.update_contact(item["ContactID"], item)
        number_ = item.get("ContactNumber")
        match = next((c for c in self.contacts.values() if number_ and c.get("ContactNumber") == number_), None)
        if match is not None:
            return self.update_contact(match["ContactID"], item)
        return self.create_contact(item)

    @staticmethod
    def _apply_contact_fields(contact: dict, item: dict) -> None:
        for key in ("Name", "ContactNumber", "EmailAddress", "TaxNumber", "DefaultCurrency", "FirstName", "LastName"):
            if item.get(key) is not None:
                contact[key] = item[key].strip() if key == "Name" else item[key]
        for key in ("Phones", "Addresses"):
            if item.get(key) is not None:
                contact[key] = item[key]

    def _resolve_contact(self, ref: dict | None) -> tuple[dict | None, Messages]:
        """By ContactID, else by Name (Xero creates a contact for an unknown name)."""
        ref = ref or {}
        if ref.get("ContactID"):
            contact = self.contacts.get(ref["ContactID"])
            if contact is None:
                return None, [f"The contact with ContactID {ref['ContactID']} could not be found."]
            if contact["ContactStatus"] != "ACTIVE":
                return None, ["The contact is archived and cannot be used."]
            return contact, []
        if ref.get("Name"):
            wanted = ref["Name"].strip().lower()
            match = next((c for c in self.contacts.values() if c["Name"].lower() == wanted), None)
            return (match, []) if match else self.create_contact({"Name": ref["Name"]})
        return None, ["A Contact must be specified for this type of transaction"]

    # --- items ----------------------------------------------------------------------------------------

    def item_by_code(self, code: str) -> dict | None:
        wanted = code.strip().lower()
        return next((i for i in self.items.values() if i["Code"].lower() == wanted), None)

    def create_item(self, item: dict) -> tuple[dict | None, Messages]:
        """Xero's items: a unique code (30 characters), a name (50); lines may then name the code."""
        code = (item.get("Code") or "").strip()
        if not code:
            return None, ["Item code is required."]
        if self.item_by_code(code) is not None:
            return None, [f"Item code '{code}' already exists. Item codes must be unique."]
        record = {
            "ItemID": new_id(),
            "Code": code,
            "Name": item.get("Name") or code,
            "IsSold": item.get("IsSold", True),
            "IsPurchased": item.get("IsPurchased", True),
            "IsTrackedAsInventory": False,
        }
        if item.get("Description"):
            record["Description"] = item["Description"]
        self._touch(record)
        self.items[record["ItemID"]] = record
        return record, []

    # --- lines and totals -----------------------------------------------------------------------------

    def _lines(self, items: list[dict], amount_types: str, sale: bool = True) -> tuple[list[dict], Decimal, Messages]:
        lines, messages, total_tax = [], [], Decimal(0)
        for item in items:
            if not sale and item.get("DiscountRate") is not None:
                # Xero: discounts are a sales feature; a bill's line carries its price after discount
                messages.append("Discounts are not supported on bills or supplier credit notes (ACCPAY).")
            if item.get("ItemCode") and self.item_by_code(item["ItemCode"]) is None:
                messages.append(f"Item code '{item['ItemCode']}' is not valid")
            description = item.get("Description") or ""
            if not description and not item.get("ItemCode"):
                messages.append("Description cannot be empty")
            tax_type = item.get("TaxType")
            code = item.get("AccountCode")
            if code:
                account = self.account_by_code(code)
                if account is None or account["Status"] != "ACTIVE":
                    messages.append(f"Account code '{code}' is not a valid code for this document.")
                elif not tax_type:
                    tax_type = account["TaxType"]
            rate = Decimal(0)
            if tax_type:
                tax = self.tax_rates.get(tax_type)
                if tax is None or tax["Status"] != "ACTIVE":
                    messages.append(
                        f"The TaxType code '{tax_type}' does not exist or cannot be used for this type of transaction."
                    )
                else:
                    rate = tax["EffectiveRate"] / 100
            quantity = number(item.get("Quantity"), "1")
            unit = number(item.get("UnitAmount"))
            discount = number(item.get("DiscountRate"))
            amount = money(quantity * unit * (1 - discount / 100))
            if amount_types == "Exclusive":
                tax_amount = money(amount * rate)
            elif amount_types == "Inclusive":
                tax_amount = money(amount - amount / (1 + rate))
            else:
                tax_amount = Decimal(0)
            total_tax += tax_amount
            line = {
                "LineItemID": new_id(),
                "Description": description,
                "Quantity": quantity,
                "UnitAmount": unit,
                "AccountCode": code,
                "TaxType": tax_type,
                "TaxAmount": tax_amount,
                "LineAmount": amount,
            }
            if item.get("ItemCode"):
                line["ItemCode"] = item["ItemCode"]
            if item.get("DiscountRate") is not None:
                line["DiscountRate"] = discount
            lines.append({k: v for k, v in line.items() if v is not None})
        return lines, total_tax, messages

    @staticmethod
    def _totals(record: dict, lines: list[dict], total_tax: Decimal) -> None:
        line_sum = sum((line["LineAmount"] for line in lines), Decimal(0))
        sub_total = line_sum - total_tax if record["LineAmountTypes"] == "Inclusive" else line_sum
        record.update(SubTotal=sub_total, TotalTax=total_tax, Total=sub_total + total_tax, LineItems=lines)

    def _document(self, item: dict, kind: str) -> tuple[dict | None, Messages]:
        """Shared by invoices/bills and credit notes: contact, lines, dates, totals, status."""
        messages: Messages = []
        contact, problems = self._resolve_contact(item.get("Contact"))
        messages += problems
        status = item.get("Status") or "DRAFT"
        if status not in EDITABLE:
            messages.append(f"A {kind} cannot be created with status {status}.")
        amount_types = item.get("LineAmountTypes") or "Exclusive"
        sale = item.get("Type") in ("ACCREC", "ACCRECCREDIT")
        if not sale and item.get("Reference"):
            # Xero documents Reference as "ACCREC only": a bill's own number is its InvoiceNumber.  Xero
            # drops it silently; the fake refuses it, so a client relying on it is caught.
            messages.append("Reference is for sales documents only (ACCREC, ACCRECCREDIT).")
        lines, total_tax, problems = self._lines(item.get("LineItems") or [], amount_types, sale)
        messages += problems
        if status == "AUTHORISED" and not lines:
            messages.append(f"A {kind} must have at least one line item to be approved.")
        if messages:
            return None, messages
        day = parse_date(item.get("Date")) or parse_date(ms_date(self.now()))
        due = parse_date(item.get("DueDate"))
        record = {
            "Type": item["Type"],
            "Contact": self.contact_summary(contact),
            "Date": ms_date(date_to_epoch(day)),
            "Status": status,
            "LineAmountTypes": amount_types,
            "CurrencyCode": item.get("CurrencyCode") or "NZD",
            "CurrencyRate": Decimal(1),
            "Reference": item.get("Reference") or "",
            "HasAttachments": False,
            "HasErrors": False,
        }
        if due:
            record["DueDate"] = ms_date(date_to_epoch(due))
        self._totals(record, lines, total_tax)
        contact["IsCustomer" if sale else "IsSupplier"] = True
        return record, []

    # --- invoices and bills ---------------------------------------------------------------------------

    def create_invoice(self, item: dict) -> tuple[dict | None, Messages]:
        if item.get("Type") not in ("ACCREC", "ACCPAY"):
            return None, ["Invoice Type must be ACCREC or ACCPAY."]
        number_ = (item.get("InvoiceNumber") or "").strip()
        if number_ and item["Type"] == "ACCREC" and self._invoice_number_taken(number_):
            return None, ["Invoice # must be unique."]
        record, messages = self._document(item, "invoice")
        if messages:
            return None, messages
        if not number_ and item["Type"] == "ACCREC":
            number_ = self._next_number("INV")
        total = record["Total"]
        record.update(
            InvoiceID=new_id(),
            InvoiceNumber=number_,
            AmountDue=total,
            AmountPaid=Decimal(0),
            AmountCredited=Decimal(0),
            IsDiscounted=False,
            SentToContact=False,
            Payments=[],
            CreditNotes=[],
            Prepayments=[],
            Overpayments=[],
        )
        self._touch(record)
        self.invoices[record["InvoiceID"]] = record
        if record["Type"] == "ACCREC":
            self.sales_numbers.add(number_)
        return record, []

    def create_or_update_invoice(self, item: dict) -> tuple[dict | None, Messages]:
        if item.get("InvoiceID") and item["InvoiceID"] != NIL_UUID:
            return self.update_invoice(item["InvoiceID"], item)
        return self.create_invoice(item)

    def _invoice_number_taken(self, number_: str) -> bool:
        return number_ in self.sales_numbers

    def update_invoice(self, invoice_id: str, item: dict) -> tuple[dict | None, Messages]:
        invoice = self.invoices.get(invoice_id)
        if invoice is None:
            return None, [f"Invoice {invoice_id} could not be found."]
        status = item.get("Status")
        if status == "VOIDED":
            return self._void(invoice)
        if status == "DELETED":
            if invoice["Status"] not in ("DRAFT", "SUBMITTED"):
                return None, ["Only DRAFT or SUBMITTED invoices can be deleted; void it instead."]
            invoice["Status"] = "DELETED"
            self._touch(invoice)
            return invoice, []
        if invoice["Status"] not in EDITABLE or invoice["AmountPaid"] or invoice["AmountCredited"]:
            return None, ["This document cannot be edited as it has a payment or credit note allocated to it."]
        if status and status not in EDITABLE:
            return None, [f"Invoice status cannot be changed to {status}."]
        if item.get("Reference") and invoice["Type"] != "ACCREC":
            return None, ["Reference is for sales documents only (ACCREC, ACCRECCREDIT)."]
        if item.get("LineItems") is not None:
            amount_types = item.get("LineAmountTypes") or invoice["LineAmountTypes"]
            lines, total_tax, messages = self._lines(item["LineItems"], amount_types, invoice["Type"] == "ACCREC")
            if messages:
                return None, messages
            invoice["LineAmountTypes"] = amount_types
            self._totals(invoice, lines, total_tax)
            invoice["AmountDue"] = invoice["Total"]
        renumber = item.get("InvoiceNumber")
        if renumber is not None and renumber != invoice["InvoiceNumber"] and invoice["Type"] == "ACCREC":
            if self._invoice_number_taken(renumber):
                return None, ["Invoice # must be unique."]
            self.sales_numbers.discard(invoice["InvoiceNumber"])
            self.sales_numbers.add(renumber)
        for key in ("Reference", "InvoiceNumber"):
            if item.get(key) is not None:
                invoice[key] = item[key]
        if item.get("DueDate"):
            invoice["DueDate"] = ms_date(date_to_epoch(parse_date(item["DueDate"])))
        if status:
            invoice["Status"] = status
        self._touch(invoice)
        return invoice, []

    def _void(self, invoice: dict) -> tuple[dict | None, Messages]:
        if invoice["Status"] not in ("AUTHORISED", "SUBMITTED"):
            return None, [f"Only AUTHORISED or SUBMITTED invoices can be voided (this one is {invoice['Status']})."]
        if invoice["AmountPaid"] or invoice["AmountCredited"]:
            return None, ["Invoice cannot be voided while payments or credit notes are allocated to it."]
        invoice["Status"] = "VOIDED"
        invoice["AmountDue"] = Decimal(0)
        self._touch(invoice)
        return invoice, []

    # --- credit notes and allocations -----------------------------------------------------------------

    def create_credit_note(self, item: dict) -> tuple[dict | None, Messages]:
        if item.get("Type") not in ("ACCRECCREDIT", "ACCPAYCREDIT"):
            return None, ["Credit note Type must be ACCRECCREDIT or ACCPAYCREDIT."]
        record, messages = self._document(item, "credit note")
        if messages:
            return None, messages
        number_ = (item.get("CreditNoteNumber") or "").strip() or self._next_number("CN")
        record.update(
            CreditNoteID=new_id(),
            CreditNoteNumber=number_,
            RemainingCredit=record["Total"],
            AppliedAmount=Decimal(0),
            Allocations=[],
            Payments=[],
            SentToContact=False,
        )
        self._touch(record)
        self.credit_notes[record["CreditNoteID"]] = record
        return record, []

    def create_or_update_credit_note(self, item: dict) -> tuple[dict | None, Messages]:
        """POST /CreditNotes: only the reference and the approval of a draft are changed here."""
        if not item.get("CreditNoteID") or item["CreditNoteID"] == NIL_UUID:
            return self.create_credit_note(item)
        note = self.credit_notes.get(item["CreditNoteID"])
        if note is None:
            return None, [f"Credit note {item['CreditNoteID']} could not be found."]
        status = item.get("Status")
        if status and status != note["Status"]:
            if note["Status"] not in ("DRAFT", "SUBMITTED") or status not in EDITABLE:
                return None, [f"Credit note status cannot be changed from {note['Status']} to {status}."]
            note["Status"] = status
        if item.get("Reference") and note["Type"] != "ACCRECCREDIT":
            return None, ["Reference is for sales documents only (ACCREC, ACCRECCREDIT)."]
        if item.get("Reference") is not None:
            note["Reference"] = item["Reference"]
        self._touch(note)
        return note, []

    def allocate(self, credit_note_id: str, item: dict) -> tuple[dict | None, Messages]:
        note = self.credit_notes.get(credit_note_id)
        if note is None:
            return None, [f"Credit note {credit_note_id} could not be found."]
        invoice = self.invoices.get((item.get("Invoice") or {}).get("InvoiceID") or "")
        amount = money(item.get("Amount") or 0)
        messages = []
        if note["Status"] != "AUTHORISED":
            messages.append("Only AUTHORISED credit notes can be allocated.")
        if invoice is None:
            messages.append("The invoice to allocate to could not be found.")
        else:
            if invoice["Status"] != "AUTHORISED":
                messages.append("Credit can only be allocated to an AUTHORISED invoice.")
            if {"ACCRECCREDIT": "ACCREC", "ACCPAYCREDIT": "ACCPAY"}[note["Type"]] != invoice["Type"]:
                messages.append("A sales credit note can only be allocated to a sales invoice (and bills likewise).")
            if invoice["Contact"]["ContactID"] != note["Contact"]["ContactID"]:
                messages.append("The credit note and the invoice must belong to the same contact.")
            if amount > invoice["AmountDue"]:
                messages.append("The amount allocated exceeds the amount due on the invoice.")
        if amount <= 0:
            messages.append("The allocation amount must be greater than zero.")
        if amount > note["RemainingCredit"]:
            messages.append("The amount allocated exceeds the remaining credit on the credit note.")
        if messages:
            return None, messages
        day = parse_date(item.get("Date")) or parse_date(ms_date(self.now()))
        allocation = {
            "AllocationID": new_id(),
            "Amount": amount,
            "Date": ms_date(date_to_epoch(day)),
            "IsDeleted": False,
            "Invoice": {"InvoiceID": invoice["InvoiceID"], "InvoiceNumber": invoice["InvoiceNumber"]},
            "CreditNote": {"CreditNoteID": note["CreditNoteID"], "CreditNoteNumber": note["CreditNoteNumber"]},
        }
        note["RemainingCredit"] -= amount
        note["AppliedAmount"] += amount
        note["Allocations"].append(allocation)
        if note["RemainingCredit"] == 0:
            note["Status"] = "PAID"
        invoice["AmountCredited"] += amount
        self._reduce_due(invoice, amount)
        applied = {"CreditNoteID": note["CreditNoteID"], "CreditNoteNumber": note["CreditNoteNumber"]}
        invoice["CreditNotes"].append({**applied, "AppliedAmount": amount})
        self._touch(note)
        return allocation, []

    def delete_allocation(self, credit_note_id: str, allocation_id: str) -> tuple[dict | None, Messages]:
        """Take the credit back off the invoice: both documents reopen for that amount."""
        note = self.credit_notes.get(credit_note_id)
        allocation = next((a for a in (note or {}).get("Allocations", []) if a["AllocationID"] == allocation_id), None)
        if allocation is None or allocation["IsDeleted"]:
            return None, [f"Allocation {allocation_id} could not be found on this credit note."]
        if note["Status"] not in ("AUTHORISED", "PAID"):
            return None, [f"Allocations of a {note['Status']} credit note cannot be deleted."]
        invoice = self.invoices[allocation["Invoice"]["InvoiceID"]]
        if invoice["Status"] not in ("AUTHORISED", "PAID"):
            return None, [f"The invoice is {invoice['Status']}; its allocations cannot be changed."]
        amount = allocation["Amount"]
        allocation["IsDeleted"] = True
        note["RemainingCredit"] += amount
        note["AppliedAmount"] -= amount
        note["Status"] = "AUTHORISED"
        invoice["AmountCredited"] -= amount
        invoice["AmountDue"] += amount
        invoice["Status"] = "AUTHORISED"
        invoice.pop("FullyPaidOnDate", None)
        invoice["CreditNotes"] = [c for c in invoice["CreditNotes"] if c["CreditNoteID"] != credit_note_id]
        self._touch(note)
        self._touch(invoice)
        return allocation, []

    def update_credit_note(self, credit_note_id: str, item: dict) -> tuple[dict | None, Messages]:
        """POST /CreditNotes/{id}: voiding is what the sync does with it; the rest as the batch upsert."""
        note = self.credit_notes.get(credit_note_id)
        if note is None:
            return None, [f"Credit note {credit_note_id} could not be found."]
        if item.get("Status") != "VOIDED":
            return self.create_or_update_credit_note({**item, "CreditNoteID": credit_note_id})
        if note["Status"] not in ("AUTHORISED", "SUBMITTED"):
            return None, [f"Only AUTHORISED or SUBMITTED credit notes can be voided (this one is {note['Status']})."]
        if any(not a["IsDeleted"] for a in note["Allocations"]) or note["Payments"]:
            return None, ["A credit note with allocations or payments cannot be voided; remove them first."]
        note["Status"] = "VOIDED"
        note["RemainingCredit"] = Decimal(0)
        self._touch(note)
        return note, []

    def _reduce_due(self, document: dict, amount: Decimal) -> None:
        key = "AmountDue" if "AmountDue" in document else "RemainingCredit"
        document[key] -= amount
        if document[key] == 0:
            document["Status"] = "PAID"
            document["FullyPaidOnDate"] = ms_date(self.now())
        self._touch(document)

    # --- payments -------------------------------------------------------------------------------------

    def create_payment(self, item: dict) -> tuple[dict | None, Messages]:
        messages = []
        invoice_ref, note_ref = item.get("Invoice") or {}, item.get("CreditNote") or {}
        if invoice_ref.get("InvoiceID"):
            document = self.invoices.get(invoice_ref["InvoiceID"])
        elif note_ref.get("CreditNoteID"):
            document = self.credit_notes.get(note_ref["CreditNoteID"])
        else:
            document = None
        account_ref = item.get("Account") or {}
        account = self.accounts.get(account_ref.get("AccountID") or "") or self.account_by_code(
            account_ref.get("Code") or ""
        )
        amount = money(item.get("Amount") or 0)
        if document is None:
            messages.append("The document to pay could not be found.")
        elif document["Status"] != "AUTHORISED":
            messages.append(f"Payment cannot be applied to a document with status {document['Status']}.")
        elif amount > document.get("AmountDue", document.get("RemainingCredit")):
            messages.append("Payment amount exceeds the amount outstanding on this document")
        if amount <= 0:
            messages.append("Payment amount must be greater than zero.")
        if account is None or account["Status"] != "ACTIVE":
            messages.append(f"Account code '{account_ref.get('Code')}' is not a valid code for this document.")
        elif account["Type"] != "BANK" and not account["EnablePaymentsToAccount"]:
            messages.append("Payments can only be made to BANK accounts or accounts with payments enabled.")
        if messages:
            return None, messages
        day = parse_date(item.get("Date")) or parse_date(ms_date(self.now()))
        payment = {
            "PaymentID": new_id(),
            "Date": ms_date(date_to_epoch(day)),
            "Amount": amount,
            "BankAmount": amount,
            "CurrencyRate": number(item.get("CurrencyRate"), "1"),
            "Reference": item.get("Reference") or "",
            "Status": "AUTHORISED",
            "PaymentType": PAYMENT_TYPES[document["Type"]],
            "IsReconciled": False,
            "HasAccount": True,
            "HasValidationErrors": False,
            "Account": {"AccountID": account["AccountID"], "Code": account["Code"]},
        }
        if "InvoiceID" in document:
            payment["Invoice"] = {
                "InvoiceID": document["InvoiceID"],
                "InvoiceNumber": document["InvoiceNumber"],
                "Type": document["Type"],
                "Contact": document["Contact"],
            }
            document["AmountPaid"] += amount
        else:
            payment["CreditNote"] = {
                "CreditNoteID": document["CreditNoteID"],
                "CreditNoteNumber": document["CreditNoteNumber"],
                "Type": document["Type"],
                "Contact": document["Contact"],
            }
        document["Payments"].append({k: payment[k] for k in ("PaymentID", "Date", "Amount", "Reference")})
        self._reduce_due(document, amount)
        self._touch(payment)
        self.payments[payment["PaymentID"]] = payment
        return payment, []

    def delete_payment(self, payment_id: str, item: dict) -> tuple[dict | None, Messages]:
        """POST /Payments/{id} with Status DELETED: the document it paid is open again for that amount.

        Xero refuses to delete a payment reconciled with a bank statement line (unreconcile it first).
        """
        payment = self.payments.get(payment_id)
        if payment is None:
            return None, [f"Payment {payment_id} could not be found."]
        if item.get("Status") != "DELETED":
            return None, ["A payment can only be deleted (Status DELETED); it cannot be edited."]
        if payment["Status"] != "AUTHORISED":
            return None, [f"The payment is {payment['Status']} already."]
        if payment["IsReconciled"]:
            return None, ["This payment has been reconciled and cannot be deleted."]
        ref = payment.get("Invoice") or payment["CreditNote"]
        document = self.invoices.get(ref.get("InvoiceID") or "") or self.credit_notes[ref["CreditNoteID"]]
        amount = payment["Amount"]
        if "AmountDue" in document:
            document["AmountDue"] += amount
            document["AmountPaid"] -= amount
        else:
            document["RemainingCredit"] += amount
        document["Status"] = "AUTHORISED"
        document.pop("FullyPaidOnDate", None)
        document["Payments"] = [p for p in document["Payments"] if p["PaymentID"] != payment_id]
        payment["Status"] = "DELETED"
        self._touch(document)
        self._touch(payment)
        return payment, []

    def reconcile_payment(self, payment_id: str) -> None:
        """What matching a bank statement line does (no API for it: tests call this)."""
        self.payments[payment_id]["IsReconciled"] = True
        self._touch(self.payments[payment_id])

    # --- reads ----------------------------------------------------------------------------------------

    @staticmethod
    def modified_since(records: list[dict], since: float | None) -> list[dict]:
        """If-Modified-Since: records created or changed at or after the instant (no update is missed)."""
        if since is None:
            return records
        return [r for r in records if r.get("_updated", 0) >= since - 1e-3]

    def find(self, collection: str, record_id: str) -> Any:
        return getattr(self, collection).get(record_id)
