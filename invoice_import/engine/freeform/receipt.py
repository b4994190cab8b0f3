"""Shop receipts: a till roll's seller, date, total, tax and currency.

A tradesperson's hardware-store receipt for a job is a supplier document
too, but it is not laid out like an invoice: one narrow column, the shop's
registered name in the first lines (often with its company number under
it), no invoice number label, a date with the time, and a cascade of
amounts at the bottom (subtotal, tax, rounding, the total payable, cash
tendered, change) of which only one is what was paid.

``looks_like_receipt(pages)`` decides from the document itself (a till-roll
page as measured before OCR, short lines, the words of a till, no invoice
vocabulary); ``read_receipt(pages)`` reads it.  The rules are generic: label
vocabularies of several languages, the order a till prints its amounts in,
and arithmetic (cash - change = total; total before rounding + rounding =
total) as evidence.  Nothing here knows a shop.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..checks import cross_check
from ..pivot import Invoice
from ..values import MONTHS, find_dates, infer_dayfirst
from .labels import within_edits

__all__ = ["looks_like_receipt", "read_receipt", "receipt_evidence"]

# ----------------------------------------------------------------------------- vocabularies (folded, lower case)

# Labels of the amount the customer pays, after tax and rounding.  (GST as OCR often reads it: "6ST", "&ST".)
_PAYABLE = (
    r"grand\s*total|net+\s*(?:total|amt|amount)|total\s*(?:amount|amt)|(?:amount|amt)\s*(?:due|payable)|total\s*(?:due|payable)"
    r"|balance\s*due|^\W*due\b|total\s*incl|incl(?:usive|\.)?\s*(?:of\s*)?(?:[g6&]st|vat|tax|sst)|rounded\s*total"
    r"|total\s*(?:after\s*)?round|total\s*to\s*pay|to\s*pay|total\s*sales?\s*\(?incl|total\s*\(?(?:rm|myr|\$)"
    r"|gesamtbetrag|zu\s*zahlen|endbetrag|net\s*a\s*payer|total\s*ttc|te\s*betalen|totaal\s*bedrag"
    r"|importe\s*total|total\s*a\s*pagar|totale\s*(?:da\s*pagare|euro|complessivo)|jumlah\s*(?:besar|bersih)"
    r"|jumlah\s*(?:perlu\s*)?(?:dibayar|bayaran)"
)
_TOTAL = r"\btotal\b|\btotaal\b|\bsumme\b|\bsumma\b|\btotale\b|\bjumlah\b|\bbetrag\b|\bmontant\b|\bimporte\b"
# An amount before tax.
_BEFORE_TAX = r"excl|before\s*(?:gst|tax)|w/o|netto|hors\s*tax|\bht\b"
# Totals that are not what was paid: before tax, counts, discounts, the tax itself.  A subtotal never is.
_SUBTOTAL = r"sub\s*-?\s*tota|zwischensumme|sous[\s-]*total|subtotaal|jumlah\s*kecil"
_NOT_PAYABLE = (
    r"total\s*(?:qty|quantity|item|items|pcs|units?|disc|discount|saving|savings|gst|vat|tax|sst)"
    r"|(?:tax|gst|vat|sst)\s*total"
    r"|" + _BEFORE_TAX + r"|zwischensumme|sous[\s-]*total|subtotaal"
    r"|tax\s*summary|gst\s*summary|summary"
)
_TENDERED = (
    r"^\W*pay\b|\bcash\b|tender|\bpaid\b|payment|received|\bvisa\b|master\s*card|\bcard\b|debit|credit|e-?wallet|\bbar\b|espèces"
    r"|contant|\bbargeld\b|\bgegeben\b|\befectivo\b|\bentregado\b|\bcontanti\b|\btunai\b"
)
_PAID = r"\bpaid\b|tender"
_CHANGE = (
    r"\bchange\b|\bchg\b|kembali|r[uü]ckgeld|\bzur[uü]ck\b|rendu|wisselgeld|\bcambio\b|\bvuelto\b|\bresto\b|\bbaki\b"
    r"|\bbalance\b(?!\s*due)"
)
_ROUNDING = r"\bround|adj\b|adjustment|pembundaran|rundung|arrondi|afronding|redondeo|arrotondamento"
_TAX = r"\bgst\b|\bsst\b|\bvat\b|\btax\b|service\s*tax|mwst|\bust\b|\btva\b|\bbtw\b|\biva\b|cukai"
# A tax line's amount that is not the tax: a tax number, a summary table's header, the amount before tax.
# A tax line saying the prices include it: the subtotal is then the total already.
_TAX_INCLUDED = (
    r"(?:\bgst\b|\bsst\b|\bvat\b|\btax\b|mwst|\bust\b|\btva\b|\bbtw\b|\biva\b).*"
    r"(?:incl|inkl|enthalten|compris|inclus|incluid|inclus[ao]|inbegrepen|termasuk)"
)
_NOT_TAX_AMOUNT = r"\bid\b|reg|\bno\b|number|invoice|code|summary|excl|before|\bw/o\b"
_DATE_LABEL = r"\bdate\b|\bdated\b|\btarikh\b|\bdatum\b|\bfecha\b|\bdata\b|\btime\b"
_NOT_ISSUE_DATE = r"expir|valid|\bexp\b|due|birth|until|return\s*by|best\s*before"
_NUMBER_LABEL = (
    r"(?:receipt|rcpt|bill|doc(?:ument)?|invoice|inv|trans(?:action)?|slip|ticket|check|chk|order|bon|beleg|"
    r"ref(?:erence)?)\s*(?:no|nr|number|num|#)\b\.?|(?:receipt|invoice|bill)\s*#"
)
# What a till prints and an invoice does not.
_TILL_WORDS = (
    r"\bcash\b|\bchange\b|tender|\breceipt\b|round|\bcashier\b|\bqty\b|\bthank\s*you|\bcounter\b|\bpos\b"
    r"|\btable\b|\bpax\b|\bmember\b|\bterminal\b|\bsubtotal\b|\bitem|\bvisa\b|\bchg\b|kassenbon|\bbon\b|ticket"
    r"|r[uü]ckgeld|\bbargeld\b|espèces|\brendu\b|kassabon|wisselgeld|\befectivo\b|scontrino|\bcontanti\b"
    r"|\bresit\b|\btunai\b"
    r"|\bquittung\b|\bkasse\b|\bfiliale\b|\buhrzeit\b|girocard|\bec-?karte\b|kartenzahlung|\bleergut\b|\bpfand\b"
    r"|ihren\s*einkauf|\bcaisse\b|\bkassa\b"
)
# What an invoice prints and a till does not.
_INVOICE_WORDS = (
    r"due\s*date|payment\s*terms|bill\s*to|ship\s*to|\biban\b|\bbic\b|swift|invoice\s*(?:number|date)"
    r"|customer\s*(?:number|no)|purchase\s*order|zahlungsziel|rechnungsnummer|f[äa]llig|échéance|vervaldatum"
    r"|net\s*\d+\s*days|within\s*\d+\s*days"
)
# "Sdn Bhd" (Malaysia's private limited) as OCR misreads it: SON BHD, SDN BHO, SDN 3HD, SDN BILD, SDN BED, SON, BHD.
# The vowel-less "SDN" keeps its S through OCR, its N too or as two narrow letters ("SDti"); its D and the B of
# "BHD" do not ("SÉN", "SON DHD"); the H may be read as two letters ("BELD").
_SDN_BHD_MISREAD = r"\bs[^\W\d_]?(?:n|ti|ri)[.,]?\s*[b38d](?:h|il|ie|i|e|el|li)[do0]\b"
# Seller lines: a legal form, a kind of business, the company-number line a registered name is printed over.
_LEGAL_FORM = (
    _SDN_BHD_MISREAD
    + r"|\bbh[do0]\b|(?<!\w)[s5$]/[b8]\b|\bltd\b|\blimited\b|\bllc\b|\binc\b|\bcorp\b|\bco\.|\bcompany\b|\bgmbh\b"
    r"|\bag\b|\bkg\b|\bsarl\b|\bsas\b|\bs\.?a\.?\b|\bb\.?v\.?\b|\bn\.?v\.?\b|\bpty\b|\bplc\b|\bpte\b|\bs\.?r\.?l\.?\b"
    r"|\benterprises?\b|\btrading\b|\bholdings?\b|\bgroup\b"
)
_BUSINESS = (
    r"\bstores?\b|\bshop\b|\bmart\b|\bmarket\b|\bsupermarket\b|\bhardware\b|\bsupplies\b|\bsupply\b|\bpharmacy\b"
    r"|\brestaurant\b|\brestoran\b|\bcafe\b|\bbakery\b|\bstation(?:er|ery|ers)\b|\bbook\w*\b|\belectrical\b"
    r"|\bhouse\b|\bkitchen\b|\bcentre\b|\bcenter\b|\boutlet\b|\bmotors?\b|\bservices?\b|\bmarketing\b"
)
_REGISTRATION = (
    r"^\(?[a-z]{0,4}\s?\d[\d\-\s]{4,}[a-z]?\)?\.?$|co\.?\s*(?:reg|no)|company\s*(?:reg|no)|\broc\b|\bssm\b"
    r"|reg(?:istration)?\.?\s*no|\babn\b|\bacn\b|\bgst\s*(?:id|reg|no)|\bvat\s*(?:no|reg)|\bsst\s*(?:id|reg|no)"
    r"|\(\s*\d{4,}[\-\s]?[a-z]\s*\)|\(\s*[a-z]{1,3}\d{5,}[\-\s]?[a-z]?\s*\)|\bno\s*[:.]\s*[a-z]{0,3}\d{5,}"
)
# A line's text before a number that labels it: "... No:", "Reg.", "ID :", and German compounds ending in "Nr"
# ("USt-IdNr.", "Steuernr"): no word ends in "nr" but an abbreviated "Nummer".
_NUMBER_LABEL_END = r"(?:\b(?:no|reg|number|id)|nr)\b\s*\.?\s*[:#]?\s*$"
_TITLE = (
    r"^(?:simplified\s+)?(?:tax\s+)?(?:invoice|receipt)|^(?:official\s+)?receipt|^cash\s*(?:sale|bill|receipt)"
    r"|^welcome|^copy|^reprint|^duplicate|^bill$|^order$|^kassenbon|^quittung|^ticket|^facture|^rechnung"
    r"|\binvoice\b"  # anywhere on the line: the title with its first words misread ("TAK INVOICE", "SIAPLIFIED ...")
)
_STREET = (
    r"\bjalan\b|\bjln\b|\blorong\b|\btaman\b|\bstreet\b|\bst\b\.?|\broad\b|\brd\b\.?|\bavenue\b|\bave\b|\blane\b"
    r"|\bblvd\b|\bfloor\b|\bsuite\b|\bunit\b|\blot\b|\bno\.?\s*\d|stra(?:ss|ß|b)e\b|\bstr\.|\brue\b|\bweg\b|\bplein\b"
    r"|\bkm\b|\bbatu\b|\bpersiaran\b|\bkampung\b|\bbandar\b|\bindustrial\b|\bpark\b|\bplaza\b|\bmall\b"
)
# A line that is only a country's name closes an address block.
_COUNTRY = (
    r"^(?:malaysia|singapore|indonesia|thailand|philippines|australia|new\s+zealand|united\s+kingdom|england"
    r"|deutschland|germany|[öo]sterreich|austria|schweiz|france|nederland|belgi[eëq]ue?|espa[ñn]a|spain|italia|italy)$"
)
# Unmistakably not a name: phone, fax, mail, web, a five-digit postcode.
_CONTACT = r"\btel\b|\bfax\b|\bphone\b|@|www\.|\.com\b|http|(?<!\d)\d{5}(?!\d)"
# (OCR may split a word in two: "Dimi liki")
_OWNED_BY = r"^(?:dimi\s?liki(?:\s*oleh)?|owned\s+by|operated\s+by|a\s+division\s+of)\s*:?\s*"
# A company number printed after the name on its line: "(254864-P)", "1110644-4", "(JM0517726)", its bracket
# read as "<" or "{" ("<$19S37-X)"), a digit of the number as a letter ("{519S37-X)").
_TRAILING_REGISTRATION = (
    r"\s*(?:[(<{\[][^()]*\d[\dSOIl]{3,}[^()]*\)?|[a-z]{1,3}\d{5,}(?:-?[a-z])?|\d{4,}-\s?[^\s])\s*\.?$"
)
# "Bhd" alone ("AEON CO. (M) BHO") and "S/B" (Sdn Bhd shortened) as OCR misreads them: "5/B", "$/B", "S/8", "S/D".
_BHD_MISREAD = re.compile(r"\bBH[O0]\b|\bbh[o0]\b")
# A capital B read as D or S: only where the name ends, at the line's end or before its company number in brackets.
_SB_MISREAD = re.compile(r"(?<!\w)[5$S]/([bB8]\b|[DS](?=\s*(?:$|[(<{\[]\s*\d)))")

# Amounts as tills print them: two decimals, an optional currency before, a minus for rounding down.
_AMOUNT = re.compile(
    r"(?<![\d.,])(?:(?:RM|MYR|A[US]?\$|S\$|NZ\$|C\$|US\$|\$|€|£|EUR|USD|GBP|AUD|SGD)\s?)?"
    r"(-\s?)?(\d{1,3}(?:[,.\s]\d{3})*|\d+)[.,] ?(\d{2})(?![\d.,]*\d)"
)
# A time's label right before a figure: without a four-digit year what follows is the time ("Time: 11.14.00").
_TIME_LABEL_BEFORE = re.compile(r"\b(?:time|zeit|uhrzeit|hora|heure|masa)\W{0,3}$", re.IGNORECASE)
_TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:.][0-5]\d(?:[:.][0-5]\d)?(?:\s?[ap]\.?m\.?)?(?!\d)", re.IGNORECASE)
_CURRENCIES = (
    (re.compile(r"\bA[US]?\$|\bAUD\b"), "AUD", 0.9),  # A$, AU$ (and A$ misread AS$)
    (re.compile(r"S\$|\bSGD\b"), "SGD", 0.9),
    (re.compile(r"NZ\$|\bNZD\b"), "NZD", 0.9),
    (re.compile(r"C\$|\bCAD\b"), "CAD", 0.9),
    (re.compile(r"US\$|\bUSD\b"), "USD", 0.9),
    (re.compile(r"(?<![A-Za-z])RM(?=[\s\d.:)(]|$)|\bMYR\b"), "MYR", 0.9),
    (re.compile(r"€|\bEUR\b|\bEuro\b", re.IGNORECASE), "EUR", 0.9),
    (re.compile(r"£|\bGBP\b"), "GBP", 0.9),
    (re.compile(r"(?<![A-Z])\$"), "USD", 0.5),
)
_MAX_SELLER_LINES = 10
# Cash rounding moves a total by less than this, to a multiple of the smallest coin (5 cents where coins are rounded)
_LARGEST_ADJUSTMENT = Decimal("0.10")
_ROUNDING_STEP = Decimal("0.05")
_RECEIPT_SCORE = 3.0
# What each clue adds to the score: a till-roll page, short lines, the till's words (0.5 a word, up to 2), a total
_TILL_ROLL_POINTS, _SHORT_LINES_POINTS, _MOST_TILL_WORD_POINTS, _TOTAL_POINTS = 2.0, 1.0, 2.0, 0.5
_MOST_WORD_POINTS = _MOST_TILL_WORD_POINTS + _TOTAL_POINTS  # the most the words can add (invoice words take away)
_MIN_RECEIPT_LINES = 5
_TILL_LINE_CHARACTERS = 48  # a till prints 32 to 48 characters a line; invoice pages run to 100 and more


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_PAYABLE_RX, _TOTAL_RX, _NOT_PAYABLE_RX, _SUBTOTAL_RX = _rx(_PAYABLE), _rx(_TOTAL), _rx(_NOT_PAYABLE), _rx(_SUBTOTAL)
_BEFORE_TAX_RX = _rx(_BEFORE_TAX)
_TENDERED_RX, _CHANGE_RX, _ROUNDING_RX, _PAID_RX = _rx(_TENDERED), _rx(_CHANGE), _rx(_ROUNDING), _rx(_PAID)
_TAX_RX, _NOT_TAX_AMOUNT_RX, _TAX_INCLUDED_RX = _rx(_TAX), _rx(_NOT_TAX_AMOUNT), _rx(_TAX_INCLUDED)
_DATE_LABEL_RX, _NOT_ISSUE_DATE_RX, _NUMBER_LABEL_RX = _rx(_DATE_LABEL), _rx(_NOT_ISSUE_DATE), _rx(_NUMBER_LABEL)
_TILL_WORDS_RX, _INVOICE_WORDS_RX = _rx(_TILL_WORDS), _rx(_INVOICE_WORDS)
_LEGAL_FORM_RX, _BUSINESS_RX, _REGISTRATION_RX = _rx(_LEGAL_FORM), _rx(_BUSINESS), _rx(_REGISTRATION)
_TITLE_RX, _STREET_RX, _CONTACT_RX, _OWNED_BY_RX = _rx(_TITLE), _rx(_STREET), _rx(_CONTACT), _rx(_OWNED_BY)
_TRAILING_REGISTRATION_RX, _SDN_BHD_MISREAD_RX = _rx(_TRAILING_REGISTRATION), _rx(_SDN_BHD_MISREAD)
_NUMBER_LABEL_END_RX, _COUNTRY_RX = _rx(_NUMBER_LABEL_END), _rx(_COUNTRY)
_WORD_RX = re.compile(r"[^\W\d_]{3,}")
# "28 Mar 18": a day, a month's name and a two-digit year, as tills print them (values.find_dates wants 4 digits)
_SHORT_YEAR_DATE = re.compile(
    r"(?<!\d)(\d{1,2})[\s\-/]+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[\s\-/,]+(\d{2})(?![\d:])",
    re.IGNORECASE,
)


# A numeric date OCR put spaces or a stray quote into ("13- 09-2017", "25 /12/ 2018", "23- “06- 2018"): the same
# separator twice, a four-digit year; or a two-digit one when a time follows, as tills stamp it ("08- 03-17 13:42").
_QUOTE = "[“”\"'‘’]?"
_SPLIT_DATE = re.compile(
    rf"(?<![\d.,])(\d{{1,2}}) ?([-/.]) ?{_QUOTE}(\d{{1,2}}) ?\2 ?{_QUOTE}"
    r"((?:19|20)\d{2}(?!\d)|\d{2}(?=\s+\d{1,2}: ?\d{2}(?!\d)))"
)
# A till's stamp whose separators OCR read as two different ones ("25. 03-18 18:47"): day, month, year, a time after.
_MIXED_SEPARATOR_STAMP = re.compile(
    r"(?<![\d.,])(\d{1,2}) ?([-/.]) ?(\d{1,2}) ?(?!\2)[-/.] ?(\d{2}|(?:19|20)\d{2})(?=\s+\d{1,2}: ?\d{2}(?!\d))"
)
# A capital or small O a till's stamp prints for a zero, next to its separator ("27- O4- 18 16: 40").
_O_FOR_ZERO = re.compile(r"(?:(?<=[-/.])|(?<=[-/.] ))[Oo](?=\d)|(?<![^\W\d_])[Oo](?=\d ?[-/.] ?\d)")
# A date whose separators OCR lost or read as a digit ("1001/2018", "171012018", "0370572018" for 03/05/2018),
# right after a date label (its first letter lost or misread: "ate", "Cate", "aate"): two digits of day, two of
# month, a four-digit year, with up to two characters between.
_DATE_LABEL_THEN_DIGITS = re.compile(
    r"(?:\bdates?\b|\bdated\b|\btarikh\b|\bdatum\b|\bfecha\b|\bdata\b|\b[a-z]?ate\b)\W{0,4}([\d/\-.]{8,10})(?![\d/\-.])",
    re.IGNORECASE,
)
# The same, stamped right before its time instead of after a label ("1109/2017 11:48").
_DIGITS_THEN_TIME = re.compile(r"(?<![\d/\-.])([\d/\-.]{8,10})\s+(?=(?:[01]?\d|2[0-3]):[0-5]\d(?!\d))")
# The same, alone: eight digits standing apart ("27032018 CS-20243"), the slashes of 27/03/2018 lost.
_BARE_DATE = re.compile(r"(?<![\d/\-.,:])(\d{8})(?![\d/\-.,:])")
# What a slash becomes on a dot-matrix till print.
_SEPARATOR_LOOKALIKES = "/-.71"


@dataclass
class ReceiptEvidence:
    """Why a document was or was not taken for a receipt: ``score`` against ``_RECEIPT_SCORE``, and the clues."""

    score: float = 0.0
    clues: list[str] = field(default_factory=list)

    @property
    def is_receipt(self) -> bool:
        """Enough clues, and a total to read: a total label, or on a till roll the payment lines (cash, change)
        when OCR mangled the total's own label ("TTotatRM", "ITER")."""
        payment = "a till-roll page" in self.clues and "payment lines" in self.clues
        return self.score >= _RECEIPT_SCORE and ("a total" in self.clues or payment)


def _lines(pages: list[str]) -> list[str]:
    return [line.strip() for page in pages for line in (page or "").splitlines() if line.strip()]


def receipt_evidence(pages: list[str]) -> ReceiptEvidence:
    """The clues that a document is a till receipt rather than an invoice (see ``ReceiptEvidence``).

    A page measured as a till roll before OCR (``till_roll`` on OCR text)
    counts most; short lines, the words tills print, a total label count
    for; the words only invoices print (due date, bill to, IBAN) against.
    """
    lines = _lines(pages)
    return _word_clues(_shape_clues(pages, lines), lines)


def looks_like_receipt(pages: list[str]) -> bool:
    """True when the document is a shop receipt, decided from the document alone (``receipt_evidence``).

    The page's shape is measured first: without a till-roll page or short
    lines, the words can add at most ``_MOST_WORD_POINTS``, short of
    ``_RECEIPT_SCORE``, so an invoice page (long lines) is no receipt
    whatever its words.  Searching the till and invoice vocabularies over
    every line was a tenth of a text PDF's reading time.  The shape is
    measured once; the words are added to it.
    """
    lines = _lines(pages)
    evidence = _shape_clues(pages, lines)
    if evidence.score + _MOST_WORD_POINTS < _RECEIPT_SCORE:
        return False
    return _word_clues(evidence, lines).is_receipt


def _clue(evidence: ReceiptEvidence, points: float, why: str) -> None:
    evidence.score += points
    evidence.clues.append(why)


def _shape_clues(pages: list[str], lines: list[str]) -> ReceiptEvidence:
    """The clues of the page's shape alone (a till-roll page, short lines); none for a page of a few lines."""
    evidence = ReceiptEvidence()
    if len(lines) < _MIN_RECEIPT_LINES:
        return evidence
    if any(getattr(page, "till_roll", False) for page in pages):
        _clue(evidence, _TILL_ROLL_POINTS, "a till-roll page")
    lengths = sorted(len(line) for line in lines)
    if lengths[int(len(lengths) * 0.9)] <= _TILL_LINE_CHARACTERS:
        _clue(evidence, _SHORT_LINES_POINTS, "short lines")
    return evidence


def _word_clues(evidence: ReceiptEvidence, lines: list[str]) -> ReceiptEvidence:
    """``evidence`` (the page's shape) with the clues of the words added: a till's, a total, an invoice's."""
    if len(lines) < _MIN_RECEIPT_LINES:
        return evidence
    text = "\n".join(lines)
    till_words = {m.group(0).lower() for m in _TILL_WORDS_RX.finditer(text)}
    if till_words:
        _clue(
            evidence, min(_MOST_TILL_WORD_POINTS, 0.5 * len(till_words)), "till words: " + ", ".join(sorted(till_words))
        )
    if any(_PAYABLE_RX.search(line) or _TOTAL_RX.search(line) for line in lines):
        _clue(evidence, _TOTAL_POINTS, "a total")
    if any((_TENDERED_RX.search(line) or _CHANGE_RX.search(line)) and _amounts(line, 0) for line in lines):
        _clue(evidence, 0.0, "payment lines")
    invoice_words = {m.group(0).lower() for m in _INVOICE_WORDS_RX.finditer(text)}
    if invoice_words:
        _clue(evidence, -1.5 * len(invoice_words), "invoice words: " + ", ".join(sorted(invoice_words)))
    return evidence


# ----------------------------------------------------------------------------- reading


@dataclass
class _Amount:
    value: Decimal
    line: int
    start: int


def _amounts(line: str, index: int) -> list[_Amount]:
    found = []
    repaired = repair_amount_glyphs(line)
    for match in _AMOUNT.finditer(repaired):
        if repaired[match.end() : match.end() + 2].strip().startswith("%"):
            continue  # a rate, "6.25%"
        whole = re.sub(r"[,.\s]", "", match.group(2))
        value = Decimal(f"{whole}.{match.group(3)}")
        if match.group(1) and not _LEADER.search(repaired[: match.start(1)]):
            value = -value  # a minus, not the last dash of a leader ("TOTAL: ==——-23.25")
        found.append(_Amount(value, index, match.start()))
    return found


_LEADER = re.compile(r"[-=_~—–.«»·•…]$")  # leader dots OCR reads as guillemets or bullets too
# What a payable label's amount may have become when OCR split it: digits, spaces, stray points and quotes, and a
# currency sign ("Grand Total M1 5 . 40" for RM15.40, "Grand totalRM2 1 "85" for RM21.85).
_SPLIT_AMOUNT = re.compile(r"^[\s:=\-]*(?:RM|R|M|\$|€|£)?((?:[\s.,'\"]*\d){3,7})[\s.,'\"]*$", re.IGNORECASE)


def split_amount(rest: str) -> Decimal | None:
    """The amount after a payable label that OCR broke into pieces, two decimals as tills print: or None.

    Only when nothing but digits, spaces, stray points and quotes and a
    currency sign follows the label; the caller takes it as a doubtful
    candidate that arithmetic (rounding, cash minus change) must confirm.
    """
    match = _SPLIT_AMOUNT.match(rest)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return Decimal(f"{digits[:-2]}.{digits[-2:]}")


_LOOKALIKE_DIGITS = str.maketrans("SOoIlZ", "500112")
_GLYPH_AMOUNT = re.compile(r"(?<![A-Za-z0-9])((?:RM|\$|€|£)?)([0-9SOoIlZ]{1,7})([.,] ?[0-9Oo]{2})(?![0-9A-Za-z])")
# after a currency sign, a decimal point OCR read as a space, a dash or a space and a point, or set apart by a space
# on each side: "£44 -45", "RM28 05", "RM40 . 00"
_SPACED_AMOUNT = re.compile(
    r"(?<![A-Za-z0-9])(RM|\$|€|£) ?([0-9SOoIlZ]{1,6})(?: [.,] | [.\-·]?|[\-·] ?)([0-9]{2})(?![\d.,])"
)


def repair_amount_glyphs(line: str) -> str:
    """Amounts as OCR misreads till print, repaired: "RMO.02" is RM0.02, "S2.00" 52.00, "£44 -45" £44.45,
    "RM40 . 00" RM40.00.

    Only a token shaped like an amount (digits with two decimals, or a
    lone O) has its letters read as the digits they resemble.
    """

    def digits(match: re.Match) -> str:
        whole = match.group(2)
        if not any(ch.isdigit() for ch in whole) and whole not in ("O", "o"):
            return match.group(0)
        return match.group(1) + (whole + match.group(3)).translate(_LOOKALIKE_DIGITS)

    line = _SPACED_AMOUNT.sub(lambda m: f"{m.group(1)}{m.group(2).translate(_LOOKALIKE_DIGITS)}.{m.group(3)}", line)
    return _GLYPH_AMOUNT.sub(digits, line)


def _label_part(line: str, amounts: list[_Amount]) -> str:
    return line[: amounts[0].start] if amounts else line


def read_receipt(pages: list[str], base: Invoice | None = None) -> Invoice:
    """A receipt as a pivot invoice: seller, date, total, tax, currency, receipt number.

    ``base`` is what the invoice reader made of the same text: its supplier
    VAT, e-mail, phone and lines are kept, the fields read here replace its
    own.  Confidence per field as the invoice reader's; a warning says the
    document was read as a receipt and names every field not found.
    """
    lines = _lines(pages)
    invoice = base or Invoice()
    invoice.due_date = None  # a receipt is paid at the till
    warnings = [f"read as a shop receipt ({', '.join(receipt_evidence(pages).clues)})"]
    confidence = dict(invoice.confidence or {})

    def record(name: str, value, score: float) -> None:
        if value is None:
            warnings.append(f"{name}: not found on the receipt")
            confidence[name] = 0.0
        else:
            confidence[name] = round(score, 3)

    name, score = seller_name(lines)
    invoice.supplier.name = name
    record("supplier.name", name, score)
    date, score = issue_date(lines)
    invoice.issue_date = date
    record("issue_date", date, score)
    total, score, why = total_paid(lines)
    invoice.amount_total = total
    record("amount_total", total, score)
    if why:
        warnings.append(f"amount_total: {why}")
    tax, score = tax_amount(lines, total)
    invoice.amount_tax = tax
    confidence["amount_tax"] = round(score, 3)
    invoice.amount_untaxed = total - tax if total is not None and tax is not None else None
    confidence["amount_untaxed"] = round(min(score, confidence.get("amount_total", 0)), 3) if tax is not None else 0
    currency, score = currency_of(lines)
    invoice.currency = currency
    record("currency", currency, score)
    if currency and score < 0.6:
        warnings.append(f"currency: '$' alone read as {currency}; check it")
    number = receipt_number(lines)
    if number:
        invoice.invoice_number = number
        confidence["invoice_number"] = 0.7
    confidence.pop("due_date", None)
    invoice.confidence = confidence
    invoice.document_type = "invoice"
    invoice.warnings = warnings + [w for w in cross_check(invoice) if w not in warnings]
    return invoice


def seller_name(lines: list[str]) -> tuple[str | None, float]:
    """The shop's name among the first lines: (name, confidence).

    Letters, not an address, a phone, a title or a registration number; a
    legal form ("Sdn Bhd", "Ltd", "GmbH") or a company-number line under it
    makes a line the registered name, capitals and an early place help.
    """
    best, best_score, best_index = None, 0.0, 0
    head = _brackets_rejoined(lines[:_MAX_SELLER_LINES])
    rank = 0
    for index, line in enumerate(head):
        text = _OWNED_BY_RX.sub("", line).strip(" .:;,-|_'\"*~=")
        text = _SB_MISREAD.sub(lambda match: "s/b" if match.group(1) == "b" else "S/B", text)  # letters, not digits
        if _stops_the_header(text):
            break
        forms = list(_LEGAL_FORM_RX.finditer(text))
        registered = bool(forms) and forms[-1].start() > 0 and bool(re.search(r"\d", text[forms[-1].end() :]))
        if registered or forms and forms[-1].start() > 0 and not _WORD_RX.search(text[forms[-1].end() :]):
            # the name ends at its legal form: after it, a (garbled) company number, or OCR's reading of a
            # stamp, a fold or the photo's edge ("Sdn Bhd we, § é- OF"): no word of three letters
            text = text[: forms[-1].end()].strip(" .:-|_")
        trailing = _TRAILING_REGISTRATION_RX.search(text)
        if trailing and trailing.start() > 0:
            if _NUMBER_LABEL_END_RX.search(text[: trailing.start()]):
                continue  # "Company No: JH0632980-V" as OCR misread it: the label of the number, not a name
            text = text[: trailing.start()].strip(" .:-|_")
        registered = registered or bool(trailing)
        if _only_a_legal_form(text) or not _could_be_a_name(text):
            continue  # a legal form alone on its line belongs to the name above it
        if text.endswith(("#", ":")):
            continue  # the label of a number OCR read apart from it ("Company Reo #1101083-7"), not a name
        score = 0.5 - 0.06 * rank
        rank += 1
        following = head[index + 1] if index + 1 < len(head) else ""
        if following and _only_a_legal_form(following):
            text = f"{text} {following.strip()}"
            following = head[index + 2] if index + 2 < len(head) else ""
        if _LEGAL_FORM_RX.search(text):
            score += 0.35
        elif _BUSINESS_RX.search(text):
            score += 0.2
        if registered or following and _REGISTRATION_RX.search(following.lower()):
            score += 0.3
        letters = [ch for ch in text if ch.isalpha()]
        if letters and sum(ch.isupper() for ch in letters) / len(letters) > 0.8:
            score += 0.1
        elif letters and not any(ch.isupper() for ch in letters):
            score -= 0.2  # a customer's name written on the receipt, a greeting
        if score > best_score:
            best, best_score, best_index = re.sub(r"\s+", " ", text), score, index
    block = _address_block_head(lines)
    if block and not (best and _ends_in_a_legal_form(best)):
        # no registered name printed: the name over the shop's address, not a slogan or a logo's letters above it
        best, best_score, best_index = block, max(best_score, 0.5), -1
    if best:
        best = _without_trailing_noise(best)
    if best and best_index >= 0 and not _LEGAL_FORM_RX.search(best):
        best = _name_over_two_lines(head, best_index, best)
    elif best and best_index >= 0 and _LEGAL_FORM_RX.match(best):
        best = _name_over_two_lines(head[: best_index + 1], best_index, best)  # "ENTERPRISE ...": its start above
    if best:
        best = _OPENING_BRACKET_MISREAD.sub(r"(\1)", best) if best.count("(") < best.count(")") else best
        best = _SDN_BHD_MISREAD_RX.sub(lambda match: _sdn_bhd(best, match.group(0)), best)
        best = _BHD_MISREAD.sub(lambda match: "BHD" if match.group(0).isupper() else "bhd", best)
        best = _initials_repaired(best)
        best = _business_words_repaired(best)
    return (best, min(0.95, best_score + 0.1)) if best else (None, 0.0)


def _sdn_bhd(name: str, form: str) -> str:
    """ "Sdn Bhd" as the name prints it: in capitals when the name is, or most of the form OCR read is ("SDti BHD")."""
    letters = [ch for ch in form if ch.isalpha()]
    return "SDN BHD" if name.isupper() or sum(ch.isupper() for ch in letters) * 2 > len(letters) else "Sdn Bhd"


# A street line that is only words and a house number ("Kamp 30-32", "Pohlweg 110"), and a postcode line after it.
_HOUSE_NUMBER_LINE = re.compile(r"^[^\W\d_][^\d]*\s\d{1,4}[a-z]?(?:\s*[-/]\s*\d{1,4}[a-z]?)?$", re.IGNORECASE)
_POSTCODE_LINE = re.compile(r"^\d{4,5}\s+[^\W\d_]{3,}")
_ADDRESS_BLOCK_LINES = 15


def _ends_in_a_legal_form(name: str) -> bool:
    """True when the name ends at a legal form ("... SDN BHD", "nordwerk GmbH"), not holds one among OCR's noise
    ("Inn Ms la ag Z ele": "ag")."""
    forms = list(_LEGAL_FORM_RX.finditer(name))
    return bool(forms) and not name[forms[-1].end() :].strip(" .,()'\"")


def _address_block_head(lines: list[str]) -> str | None:
    """The line over the receipt's first address block (a street, then a postcode line), when it could be a name.

    A shop whose name is a logo (an image OCR reads as stray letters, or a
    slogan above it) prints its name in type once, over its address: "Marktkauf
    Lahr" / "Detmolder Str. 4" / "33102 Paderborn".  A line ending in a comma
    continues an address above the street ("Aeon Tebrau City,"): no name.
    The caller takes it when no registered name (ending in its legal form)
    was found.
    """
    top = lines[:_ADDRESS_BLOCK_LINES]
    for index in range(1, len(top) - 1):
        street = top[index].strip(" .,")
        is_street = _HOUSE_NUMBER_LINE.match(street) or _STREET_RX.search(street.lower()) and re.search(r"\d", street)
        if is_street and _POSTCODE_LINE.match(top[index + 1]):
            above = top[index - 1].strip()
            text = above.strip(" .:;,-|_'\"*~=")
            return text if _could_be_a_name(text) and not above.endswith(",") else None
    return None


def _brackets_rejoined(head: list[str]) -> list[str]:
    """The lines with a bracket opened at the end of one and closed on the next joined into one line.

    A name in large print breaks where the line is full, inside its branch
    in brackets as anywhere ("ENTERPRISE (SETIA" / "ALAM) SDN BHD"); the two
    halves are one line of the name, so that it is read and scored whole.
    """
    joined: list[str] = []
    for line in head:
        previous = joined[-1] if joined else ""
        if previous.count("(") > previous.count(")") and line.count(")") > line.count("("):
            joined[-1] = f"{previous} {line}"
        else:
            joined.append(line)
    return joined


# A branch code whose opening bracket OCR read as a C ("CO. CM) SDN BHD" for "CO. (M) SDN BHD").
_OPENING_BRACKET_MISREAD = re.compile(r"(?<![^\W\d_])C([A-Z]{1,2})\)")


# Initials in a name ("MR. D.I.Y.", "S.H.H."): single characters each followed by a point, digits or a yen sign
# among them being OCR's reading of letters.
_INITIALS = re.compile(r"(?<![^\W_])(?=[^.]*[A-Z¥])(?:[A-Z0-9¥]\.){2,}[A-Z0-9¥]?(?![^\W_])")
_LETTER_LOOKALIKES = str.maketrans("1058¥", "IOSBY")


def _initials_repaired(name: str) -> str:
    """A name in capitals with the letters of its initials that OCR read as digits or signs put back.

    "MR. D.1.¥. (M) SDN BHD" is "MR. D.I.Y. (M) SDN BHD": a run of single
    characters each followed by a point is initials, letters, in a name
    printed in capitals; a yen sign is never part of a shop's name.
    """
    if not _shouts(name):
        return name
    name = _INITIALS.sub(lambda match: match.group(0).translate(_LETTER_LOOKALIKES), name)
    return name.replace("¥", "Y")


# Words that say what kind of business a shop is (English, Malay), as a name in capitals prints them.
_BUSINESS_WORDS = frozenset(
    "STORE STORES SHOP MART MARKET SUPERMARKET HYPERMARKET MINIMARKET HARDWARE SUPPLIES SUPPLY PHARMACY RESTAURANT"
    " RESTAURANTS RESTORAN CAFE HOUSE BAKERY BAKERIES STATIONERY BOOKSTORE BOOKSHOP ELECTRICAL KITCHEN CENTRE CENTER"
    " OUTLET MOTOR MOTORS SERVICE SERVICES MARKETING TRADING ENTERPRISE ENTERPRISES HOLDINGS DISTRIBUTION"
    " DISTRIBUTOR DISTRIBUTORS INTERNATIONAL MACHINERY INDUSTRIES CORPORATION COMPANY SEAFOOD FOODS BEAUTY HEALTH"
    " PERNIAGAAN SYARIKAT KEDAI PASARAYA RUNCIT STATIONER STATIONERS TRADERS SUPPLIER SUPPLIERS".split()
)
# Capitals OCR reads one for the other on a till's print: "HART" or "WART" for MART, "MOUSE" for HOUSE.
_CAPITAL_LOOKALIKES = {
    "H": "MN",
    "M": "HNW",
    "W": "M",
    "N": "MH",
    "D": "O",
    "O": "D",
    "F": "E",
    "E": "F",
    "L": "I",
    "I": "L",
}
_CAPITAL_WORD = re.compile(r"(?<![^\W\d_])[A-Z]{4,}(?![^\W\d_])")


def _business_words_repaired(name: str) -> str:
    """A name in capitals with its kind-of-business words as OCR misread them put right ("77 QUICK HART S/B",
    "KL DISTRIBUTOR & MARFETING SDN BHD", "SUNRISE CAKE MOUSE SDN BHD").

    A word of six letters or more one edit from exactly one word of
    ``_BUSINESS_WORDS``, its last letter kept (an ending is another word as
    often as a misreading: "STATIONERS" is no "STATIONERY"); a shorter one
    when a single capital differs and is one OCR reads for the printed one
    (``_CAPITAL_LOOKALIKES``): other short words are names as often as
    misreadings ("SMART" is no "MART").
    """
    if not _shouts(name):
        return name

    def repair(match: re.Match) -> str:
        word = match.group(0)
        if word in _BUSINESS_WORDS:
            return word
        if len(word) >= 6:
            near = [
                known
                for known in _BUSINESS_WORDS
                if abs(len(known) - len(word)) <= 1 and known[-1] == word[-1] and within_edits(word, known, 1)
            ]
        else:
            near = [
                known
                for known in _BUSINESS_WORDS
                if len(known) == len(word)
                and sum(a != b for a, b in zip(word, known, strict=True)) == 1
                and all(b in _CAPITAL_LOOKALIKES.get(a, "") for a, b in zip(word, known, strict=True) if a != b)
            ]
        return near[0] if len(near) == 1 else word

    return _CAPITAL_WORD.sub(repair, name)


def _name_over_two_lines(head: list[str], index: int, name: str) -> str:
    """``name`` (line ``index``, no legal form to end it) joined to the line above or below that continues it.

    A shop's name in large print often takes two lines ("THE GOLDEN SPOON" /
    "CHERAS", a name and its branch).  A neighbour continues it when it is
    printed the same way (capitals when the name is in capitals) and is
    nothing else: no digit, no address, contact, title, tax or company-number
    word, no "owned by" (the owner is another party), and not a whole name
    of its own (a brand over the registered name: both say what business it
    is, "FACE TO FACE NOODLE HOUSE" / "FTOF NOODLE HOUSE").  The line above
    is tried first, then the line below; one line at most.
    """
    for neighbour in (index - 1, index + 1):
        if not 0 <= neighbour < len(head) or _OWNED_BY_RX.search(head[neighbour]):
            continue
        text = head[neighbour].strip(" .,:-|_'\"*~=")
        lowered = text.lower()
        if (
            re.search(r"\d", text)
            or not _could_be_a_name(text)
            or _STREET_RX.search(lowered)
            or _LEGAL_FORM_RX.search(lowered)
            or _TILL_WORDS_RX.search(lowered)
            or _shouts(name) != _shouts(text)
            or any(len(word) < 2 for word in text.split())
            or (_BUSINESS_RX.search(lowered) and _BUSINESS_RX.search(name))
        ):
            continue
        return f"{text} {name}" if neighbour < index else f"{name} {text}"
    return name


def _without_trailing_noise(name: str) -> str:
    """A name printed in capitals without the lower-case words OCR made of a smudge after it ("SNACKS oh lam").

    A till prints a name in one case: lower-case words after two or more
    words in capitals are not print, unless they are a legal form ("sdn bhd").
    """
    words = name.split()
    capitals = [i for i, word in enumerate(words) if any(ch.isalpha() for ch in word) and word.upper() == word]
    if len(capitals) < 2 or capitals[-1] == len(words) - 1 or capitals != list(range(len(capitals))):
        return name
    tail = " ".join(words[len(capitals) :])
    if not all(word.isalpha() and word.islower() for word in tail.split()) or _LEGAL_FORM_RX.search(tail):
        return name
    return " ".join(words[: len(capitals)])


def _shouts(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def _stops_the_header(text: str) -> bool:
    """The seller block is over: the document's date, or a total or payment line with its amount ("zu zahlen
    7,16", "Bar 10,00": on a receipt whose name is a logo OCR could not read, a tax table follows them)."""
    if find_dates(text):
        return True
    labels = (_TOTAL_RX, _PAYABLE_RX, _TENDERED_RX, _CHANGE_RX)
    return any(label.search(text) for label in labels) and bool(_amounts(text, 0))


# A branch or country code in brackets after a legal form: "CO. (M) SDN BHD", "(KL) SDN BHD", "PTE (S) LTD"; its
# opening bracket read as a C ("CM)").
_BRANCH_CODE = re.compile(r"(?:\(|(?<![^\W\d_])C(?=[A-Z]{1,2}\)))\s*[^\W\d_]{1,3}\s*\)")


def _only_a_legal_form(text: str) -> bool:
    """True for a line that is nothing but a legal form ("SDN BHD", "CO. (M) SDN BHD"): the end of the name above.

    A large-print name often breaks before its legal form; the form line may
    carry a branch code in brackets ("(M)" for Malaysia).
    """
    rest = _BRANCH_CODE.sub(" ", _LEGAL_FORM_RX.sub(" ", text))
    return bool(_LEGAL_FORM_RX.search(text)) and not any(ch.isalnum() for ch in rest)


# Punctuation that belongs in shop names ("MR. D.I.Y. (M)", "B & BEST", "KING'S"), not counted as noise.
_NAME_PUNCTUATION = set(".,()&'-/")


def _could_be_a_name(text: str) -> bool:
    letters = sum(ch.isalpha() for ch in text)
    visible = sum(not ch.isspace() and ch not in _NAME_PUNCTUATION for ch in text)
    if letters < 4 or letters / max(visible, 1) < 0.7:
        return False
    if not any(len(word) >= 3 and word.isalpha() for word in re.split(r"[\s.,&'()/-]+", text)):
        return False
    if _amounts(text, 0):
        return False  # an item and its price ("Emmentaler Stück 2,59x 2 5,18 A")
    lowered = text.lower()
    return not (
        _TITLE_RX.search(lowered)
        or _COUNTRY_RX.search(lowered.strip(" .,"))
        or _CONTACT_RX.search(lowered)
        or _STREET_RX.search(lowered)
        and re.search(r"\d", lowered)
        or _REGISTRATION_RX.search(lowered)
        or _TAX_RX.search(lowered)
        and re.search(r"\d", lowered)
    )


def issue_date(lines: list[str], today: dt.date | None = None) -> tuple[object, float]:
    """The receipt's date: (date, confidence); a label or a time beside it, an early place, make it surer.

    A receipt is never from the future: a year after this one had a digit
    misread ("31/03/2078" for 2018, a one read as a seven) and is put right
    when exactly one lookalike digit gives a year up to this one
    (``_possible_years``), less surely; else the date is no issue date.  A
    date chosen from a two-digit year gives way to the same day and month
    printed elsewhere with a four-digit year: a two-digit year is as often a
    four-digit one OCR cut short ("Date: 08/10/20..").
    """
    today = today or dt.date.today()
    lines = [_O_FOR_ZERO.sub("0", line) for line in lines]
    lines = [_MIXED_SEPARATOR_STAMP.sub(r"\1\2\3\2\4", _SPLIT_DATE.sub(r"\1\2\3\2\4", line)) for line in lines]
    text = "\n".join(lines)
    dayfirst = infer_dayfirst(text)
    best, best_score, seen, in_full, best_in_full = None, 0.0, set(), set(), False
    for index, line in enumerate(lines):
        for start, _end, date in _dates(line, dayfirst if dayfirst is not None else True):
            if not 1990 <= date.year <= 2100 or _NOT_ISSUE_DATE_RX.search(line[:start]):
                continue
            if _TIME_LABEL_BEFORE.search(line[:start]) and not re.search(r"\d{4}", line[start:_end]):
                continue  # "Time. 11.14.00": a time printed with points, not 14 November 2000
            if _YEAR_CUT_SHORT.match(line, _end) and not re.search(r"\d{4}", line[start:_end]):
                continue  # "28/03/20i": a four-digit year OCR cut short, its third digit read as a letter
            repaired = date.year > today.year
            if repaired and (date := _year_put_right(date, today)) is None:
                continue
            score = 0.5 - 0.1 * repaired
            if _DATE_LABEL_RX.search(line):
                score += 0.2
            if _TIME.search(line[:start] + " " + line[_end:]):
                score += 0.2
            score -= 0.01 * min(index, 30) / 3
            seen.add(date)
            full_year = bool(re.search(r"\d{4}", line[start:_end]))
            in_full |= {date} if full_year else set()
            if score > best_score:
                best, best_score, best_in_full = date, score, full_year
    fuller = {date for date in seen if best is not None and _faded_from(best, date)}
    if len(fuller) == 1:
        best = fuller.pop()  # the same date printed twice, one faded: the reading with the digit's strokes whole
    uncut = {
        date
        for date in in_full
        if best is not None and not best_in_full and date.timetuple()[1:3] == best.timetuple()[1:3]
    }
    if len(uncut) == 1:
        best = uncut.pop()  # the same day printed twice, its year cut to two digits once ("08/10/20..", "08/10/2017")
    if best is None:
        best, best_score = _date_without_separators(lines)
        if best is None:
            best, best_score = _repaired_timestamp(lines)
        return (best, best_score) if best else _bare_date(lines)
    return best, min(0.95, best_score + (0.05 if dayfirst is not None else 0.0))


# A letter OCR reads for a digit, glued to a two-digit year: the year went on ("28/03/20i" for 28/03/2017).
_YEAR_CUT_SHORT = re.compile(r"[iIl|oOSZ]")
_FADED_DIGITS = {"8": "0369"}  # faded thermal print loses strokes: an 8 reads as 0, 3, 6 or 9, never the reverse


def _faded_from(read: dt.date, other: dt.date) -> bool:
    """True when ``read`` is ``other`` with one digit faded into a digit of fewer strokes (2013 for 2018, the
    16th for the 18th): a receipt printing its date twice (the sale and the printing) where one was misread.
    """
    pairs = [(a, b) for a, b in zip(read.isoformat(), other.isoformat(), strict=True) if a != b]
    return len(pairs) == 1 and pairs[0][0] in _FADED_DIGITS.get(pairs[0][1], "")


def _date_without_separators(lines: list[str], today: dt.date | None = None) -> tuple[object, float]:
    """A labelled date whose separators OCR lost or misread ("Date: 1001/2018", "Cate: 177042078"): (date, 0.4).

    Only right after a date label or right before a time ("1109/2017 11:48",
    a till's stamp), only when no date on the receipt reads as
    one, and only when exactly one reading exists: day and month of two
    digits, a four-digit year, each separator kept, lost or read as a digit
    that looks like it ("7", "1").  A year no receipt can have had a digit
    misread ("2078" for 2018) and is put right as every reader here puts a
    year right (``_possible_years``).  Low confidence: a repair.
    """
    today = today or dt.date.today()
    for line in lines:
        for match in [*_DATE_LABEL_THEN_DIGITS.finditer(line), *_DIGITS_THEN_TIME.finditer(line)]:
            readings = _separator_readings(match.group(1), today)
            if len(readings) == 1:
                return readings.pop(), 0.4
    return None, 0.0


def _bare_date(lines: list[str], today: dt.date | None = None) -> tuple[object, float]:
    """Eight digits standing alone that make a date with their separators lost ("27032018 CS-20243"): (date, 0.3).

    The last resort of ``issue_date``: only when nothing else on the
    receipt reads as a date, and only when every such token on it makes the
    same one date (read as ``_separator_readings`` reads a labelled one).
    Lower than a repaired labelled date: no label or time says it is one.
    """
    today = today or dt.date.today()
    readings = {
        date
        for line in lines
        for match in _BARE_DATE.finditer(line)
        for date in _separator_readings(match.group(1), today)
    }
    return (readings.pop(), 0.3) if len(readings) == 1 else (None, 0.0)


def _separator_readings(token: str, today: dt.date) -> set[dt.date]:
    """Every date ``token`` reads as with its separators kept, lost or misread (see ``_date_without_separators``)."""
    readings = set()
    for first in (2, 3):
        if first == 3 and token[2] not in _SEPARATOR_LOOKALIKES:
            continue
        for second in (first + 2, first + 3):
            if second == first + 3 and token[first + 2 : first + 3] not in tuple(_SEPARATOR_LOOKALIKES):
                continue
            day, month, year = token[:2], token[first : first + 2], token[second:]
            if not (day + month + year).isdigit() or len(year) != 4:
                continue
            readings |= {
                dt.date(y, int(month), int(day)) for y in _possible_years(year, today) if _is_date(y, month, day)
            }
    return readings


# Digits OCR confuses on till print (round shapes; a one and a seven), for the day and month of a time stamp.
_DIGIT_LOOKALIKES = {"0": "689", "6": "05", "8": "03", "9": "0", "5": "6", "3": "8", "1": "7", "7": "1"}
_NUMERIC_TIMESTAMP = re.compile(r"(?<![\d.,])(\d{2})([-/.])(\d{2})\2(\d{4})(?!\d)")


def _repaired_timestamp(lines: list[str], today: dt.date | None = None) -> tuple[object, float]:
    """A till's date-and-time stamp whose day or month OCR misread ("12-62-2018 11:34", "Date: 77/03/2018"):
    (date, confidence).

    Only when no date on the receipt reads as one, only beside a time or after a date label, and
    only when a single lookalike digit ("6" for "0") makes it a date and no
    other repair does; the order of day and month comes from the receipt's
    other dates, day first when none tells.  A year no receipt can have (in
    the future, or before 2000: "2817") has one lookalike digit of its own
    put right when exactly one repair gives a year up to this one.  Low
    confidence: it is a repair.
    """
    today = today or dt.date.today()
    for index, line in enumerate(lines):
        for match in _NUMERIC_TIMESTAMP.finditer(line):
            if not _TIME.search(line[match.end() :]) and not _DATE_LABEL_RX.search(line[: match.start()]):
                continue
            others = "\n".join(lines[:index] + [line[: match.start()] + line[match.end() :]] + lines[index + 1 :])
            dayfirst = infer_dayfirst(others)
            first, second = match.group(1), match.group(3)
            day, month = (first, second) if dayfirst is not False else (second, first)
            years = _possible_years(match.group(4), today)
            if len(years) != 1:
                continue
            year = years.pop()
            if _is_date(year, month, day):
                if year == int(match.group(4)):
                    continue  # a date already, set aside by the reader for a reason (an expiry, a year out of range)
                return dt.date(year, int(month), int(day)), 0.4
            readings = set()
            for which, digits in ((0, day), (1, month)):
                for position, digit in enumerate(digits):
                    for lookalike in _DIGIT_LOOKALIKES.get(digit, ""):
                        repaired = digits[:position] + lookalike + digits[position + 1 :]
                        parts = (repaired, month) if which == 0 else (day, repaired)
                        if _is_date(year, parts[1], parts[0]):
                            readings.add(dt.date(year, int(parts[1]), int(parts[0])))
            if len(readings) == 1:
                return readings.pop(), 0.4
    return None, 0.0


def _year_put_right(date: dt.date, today: dt.date) -> dt.date | None:
    """``date`` with its year from the future put right by one lookalike digit (``_possible_years``), or None
    when no single repair makes it a date up to ``today``."""
    years = _possible_years(str(date.year), today)
    if len(years) != 1:
        return None
    try:
        repaired = date.replace(year=years.pop())
    except ValueError:  # 29 February in a year without it
        return None
    return repaired if repaired <= today else None


def _possible_years(year: str, today: dt.date) -> set[int]:
    """The year a stamp printed: itself when a receipt can have it (2000 to this year), else its readings with
    one lookalike digit put right ("2817" is 2017) that can.  A receipt's year has a zero for its hundreds,
    so any digit OCR read there ("2518") is a misread zero too."""
    if 2000 <= int(year) <= today.year:
        return {int(year)}
    readings = set()
    for position, digit in enumerate(year):
        lookalikes = _DIGIT_LOOKALIKES.get(digit, "") + ("0" if position == 1 and year[0] == "2" else "")
        for lookalike in lookalikes:
            repaired = int(year[:position] + lookalike + year[position + 1 :])
            if 2000 <= repaired <= today.year:
                readings.add(repaired)
    return readings


def _is_date(year: int, month: str, day: str) -> bool:
    try:
        dt.date(year, int(month), int(day))
    except ValueError:
        return False
    return True


def _dates(line: str, dayfirst: bool) -> list[tuple[int, int, object]]:
    found = find_dates(line, dayfirst=dayfirst)
    for match in _SHORT_YEAR_DATE.finditer(line):
        if any(start <= match.start() < end for start, end, _d in found):
            continue
        try:
            month = MONTHS[match.group(2).lower()[:3] if match.group(2).lower() != "sept" else "sep"]
            found.append((match.start(), match.end(), dt.date(2000 + int(match.group(3)), month, int(match.group(1)))))
        except (KeyError, ValueError):
            continue
    return found


# Words of the total and payable labels that OCR misreads ("TOTA1", "T0TAL", "Inciueive", "Arnaunt"), matched
# within an edit distance scaled to the word's length.  Short words and look-alike words ("change"/"charge",
# "grand"/"brand") stay out: a near miss of those is another word as often as a misreading.
_LABEL_WORDS = ("total", "payable", "inclusive", "amount", "rounding", "jumlah", "summe", "betrag")
_LABEL_GLYPHS = str.maketrans("015!|", "olsll")
_LABEL_TOKEN = re.compile(r"[\w!|]+")


def repaired_label(label: str) -> str:
    """The label with its total-vocabulary words as OCR misread them put right ("Tota1 Inciueive" ->
    "total inclusive"); other words are kept as they are.  Lower case in, lower case out.

    A token is put right when, with digits read for letters folded back
    ("0" for "o", "1" for "l"), it is within one edit per four letters of
    a label word and is not a word of the label vocabulary already.
    """

    def repair(match: re.Match) -> str:
        token = match.group(0)
        folded = token.translate(_LABEL_GLYPHS)
        if folded in _LABEL_WORDS or len(folded) < 4 or sum(ch.isalpha() for ch in token) < 3:
            return folded if folded in _LABEL_WORDS else token
        for word in _LABEL_WORDS:
            if abs(len(word) - len(folded)) <= 2 and within_edits(folded, word, max(1, len(word) // 4)):
                return word
        return token

    return _LABEL_TOKEN.sub(repair, label)


def total_paid(lines: list[str]) -> tuple[Decimal | None, float, str]:
    """The amount paid: (total, confidence, a note when it was computed rather than printed).

    Candidates are the amounts on total lines (on the label's line, or the
    next line when OCR split them); a payable label ("Grand total", "Nett
    total", "Total incl. GST") beats a plain "Total", subtotals and counts
    are not totals.  Arithmetic is evidence: cash tendered minus change, and
    the amount before rounding plus the rounding, each give the total; the
    amounts printed before the payment lines are the till's totals, those
    after (a tax summary) are not.  "Total paid" is what was handed over.  A
    payable label's amount that OCR broke into pieces ("M1 5 . 40") is a
    doubtful candidate until the rounding or the change confirms it.
    """
    tendered, change, rounding, subtotals, rounded_totals = [], [], [], [], []
    candidates: dict[Decimal, float] = {}
    first_seen: dict[Decimal, int] = {}  # the line each candidate was first printed on
    first_payment_line = None
    rounded = False  # a rounding line was printed: the plain total after it is the rounded total
    lines = [pair for line in lines for pair in _pairs_apart(line)]
    for index, line in enumerate(lines):
        amounts = _amounts(line, index)
        printed = _label_part(line, amounts).lower()
        label = repaired_label(printed) if amounts or index + 1 < len(lines) else printed
        misread = label != printed  # a label read through OCR's misreadings: a weaker candidate
        if _ROUNDING_RX.search(label) and not _PAYABLE_RX.search(label):
            rounded = True
        payable = _PAYABLE_RX.search(label)
        split = None if not payable else split_amount(line[payable.end() :])
        if amounts and split is not None and split == amounts[-1].value:
            split = None  # the amount as printed: nothing was split
        if split is not None and not _NOT_PAYABLE_RX.search(label):
            # A doubtful reading: less than a printed payable amount until arithmetic confirms it.  When the
            # amount pattern also read something ("RM2 1.85": 1.85, or a count before the amount), that is as
            # doubtful, and the likelier of the two when nothing confirms either.
            doubtful = 0.5 + (0.15 if rounded else 0.0)
            readings = [(split, doubtful - 0.05 * bool(amounts))] + [(a.value, doubtful) for a in amounts[-1:]]
            for value, score in readings:
                if value > 0:
                    candidates[value] = max(candidates.get(value, 0.0), score)
                    first_seen.setdefault(value, index)
            continue
        if not amounts and index + 1 < len(lines) and _is_bare_amount(lines[index + 1]):
            amounts = _amounts(lines[index + 1], index + 1)
        if not amounts:
            if _amount_unread(label) and not payable:
                rounding.append((None, index))  # a rounding line whose amount OCR could not read
            continue
        value = amounts[-1].value
        if _SUBTOTAL_RX.search(label) and first_payment_line is None:
            subtotals.append(value)
        if _SUBTOTAL_RX.search(label) or _NOT_PAYABLE_RX.search(label) and not payable:
            continue
        if _ROUNDING_RX.search(label) and not payable:
            if abs(value) < _LARGEST_ADJUSTMENT:
                rounding.append((value, index))
            else:
                rounded_totals.append(value)  # "Rounding  RM 22.90": the total after rounding, under its label
            continue
        if _CHANGE_RX.search(label):
            change.append(value)
            first_payment_line = index if first_payment_line is None else first_payment_line
            continue
        if not payable and _TENDERED_RX.search(label) and (not _TOTAL_RX.search(label) or _PAID_RX.search(label)):
            # "Total paid", "Total tendered": what was handed over, change included ("Cash -40.10": some tills
            # print it as a credit, with a minus)
            tendered.append(abs(value))
            first_payment_line = index if first_payment_line is None else first_payment_line
            continue
        if value <= 0:
            continue
        if payable:
            score = 0.8
        elif _TOTAL_RX.search(label):
            score = 0.55
        else:
            continue
        score -= 0.1 * misread
        if first_payment_line is not None:
            score -= 0.15  # after the payment lines: a summary, a loyalty statement
        elif rounded:
            score += 0.15  # after the rounding line and before the payment: the rounded total
        candidates[value] = max(candidates.get(value, 0.0), score) + 0.05 * (value in candidates)
        first_seen.setdefault(value, index)
    for cash in tendered:
        for given_back in change or [Decimal(0)]:
            paid = cash - given_back
            if paid > 0 and paid in candidates:
                candidates[paid] += 0.3 if change else 0.1
            elif paid > 0 and change and not candidates:
                candidates[paid] = 0.5
    for value in rounded_totals:
        if any(0 < abs(value - other) < _LARGEST_ADJUSTMENT for other in candidates):
            candidates[value] = max(candidates.values()) + 0.15
    for adjustment, where in rounding:
        for value in _rounded_totals(candidates, first_seen, adjustment, where) or _rounding_applied(
            candidates, first_seen, adjustment, where
        ):
            candidates[value] += 0.2  # the rounded total is what was paid
    rounding = [(adjustment, where) for adjustment, where in rounding if adjustment is not None]
    if rounded:
        _paid_rounded(candidates, tendered, change)
    _settle_misread_total(candidates, tendered, change, lines, subtotals)
    _settle_exact_payment(candidates, tendered, change, lines)
    _settle_witnessed_payment(candidates, tendered, change, lines, subtotals, rounding)
    if rounding and subtotals and not _settles(tendered, change, candidates):
        _round_misread_total(candidates, lines, subtotals[-1], rounding)
    _confirm_by_tax(candidates, lines)
    if not _settles(tendered, change, candidates):
        _confirm_by_checked_sum(candidates, lines)
        _confirm_by_parts(candidates, first_seen, lines, first_payment_line)
    if tendered and not _settles(tendered, change, candidates):
        # Nobody pays less than the total: a plain "total" that nothing confirms (no payable label, printed
        # once) above everything handed over is another figure or a misreading.  A payable one is surer than
        # the payment lines, which OCR misreads as often.
        handed_over = sum(tendered)
        candidates = {value: score for value, score in candidates.items() if value <= handed_over or score >= 0.6}
    if tendered and not change and sum(tendered) in candidates:
        # Paid exactly, no change: a total printed with what was handed over outweighs one above it, which
        # nobody could have paid; two lines agree against one OCR misread ("36.00" for 35.00).
        candidates = {value: score for value, score in candidates.items() if value <= sum(tendered)}
    if not candidates and change == [] and tendered:
        candidates = {value: 0.45 for value in tendered}  # paid by card: what was paid is the total
    summary = tax_summary_total(lines)
    if not candidates and summary is not None:
        return summary[0], 0.45, "the tax summary's bases plus their taxes (the total printed could not be read)"
    if not candidates and subtotals:
        total = _subtotal_plus_tax(lines, subtotals[-1], rounding)
        if total is not None:
            return total, 0.4, "the subtotal plus the tax and the rounding (the total printed could not be read)"
    if not candidates:
        return None, 0.0, ""
    ranked = sorted(candidates.items(), key=lambda item: (-item[1], -item[0]))
    total, score = ranked[0]
    if len(ranked) > 1 and ranked[1][1] >= score - 0.05:
        score *= 0.8
    note = "" if any(_TOTAL_RX.search(line) or _PAYABLE_RX.search(line) for line in lines) else "cash minus change"
    return total, min(0.95, score), note


def _pairs_apart(line: str) -> list[str]:
    """A line holding two labels each with its amount ("TOTAL SAVING: 0.00   TOTAL 6.85", "CASH 20.00 CHANGE
    13.15") cut into one line per label and amount; any other line as it is.

    A till printing two columns puts two totals side by side: the amount at
    the line's end is the second label's, not the first's.  A cut is made
    after an amount only when a word follows it and another amount after
    that word, and the text before the amount has a word too: an item's
    price columns ("2 @ 6.50  13.00") and a tax summary's row ("SR 106.10
    6.37") stay whole.
    """
    repaired = repair_amount_glyphs(line)
    ends = [m.end() for m in _AMOUNT.finditer(repaired) if not repaired[m.end() : m.end() + 2].strip().startswith("%")]
    pieces, start = [], 0
    for end, following in zip(ends, ends[1:], strict=False):
        between = repaired[end:following]
        if _WORD_RX.search(repaired[start:end]) and _WORD_RX.search(between):
            pieces.append(repaired[start:end].strip())
            start = end
    return [*pieces, repaired[start:].strip()] if pieces else [line]


def _confirm_by_parts(candidates: dict, first_seen: dict, lines: list[str], payment_line: int | None) -> None:
    """Let the part totals printed above the last total confirm it, or put back the leading digits OCR lost.

    A delivery note or a till that totals each kind of supply ("Total 0%
    supplies", "Total 6% supplies (Inc. GST)") prints the amount payable
    last, the sum of two of the totals or taxes above it.  The last total
    printed before the payment lines gains when it is such a sum; when it
    is not, and exactly one such sum ends with its digits ("3.14" read for
    53.14, the leading digit lost or read as a currency sign), that sum
    replaces it.  Changes ``candidates`` in place.
    """
    printed = [value for value in candidates if value in first_seen]  # not a total the reader computed
    before_payment = [value for value in printed if payment_line is None or first_seen[value] < payment_line]
    if not before_payment:
        return
    last = max(before_payment, key=lambda value: (first_seen[value], value))
    parts = []
    for index, line in enumerate(lines[: first_seen[last]]):
        amounts = _amounts(line, index)
        label = repaired_label(_label_part(line, amounts).lower())
        if amounts and (_TOTAL_RX.search(label) or _TAX_RX.search(label)):
            parts.append((index, amounts[-1].value))
    sums = {a + b for i, (line_a, a) in enumerate(parts) for line_b, b in parts[i + 1 :] if line_a != line_b}
    if last in sums:
        candidates[last] += 0.1
        return
    digits = f"{last:.2f}"
    whole = {total for total in sums if total > last and f"{total:.2f}".endswith(digits)}
    if len(whole) == 1:
        candidates[whole.pop()] = candidates.pop(last)


def _leading(candidates: dict) -> Decimal | None:
    """The total the evidence favours (``candidates``: amount -> weight), the larger amount on a tie; None for none."""
    return max(candidates, key=lambda value: (candidates[value], value), default=None)


def _settles(tendered: list[Decimal], change: list[Decimal], candidates: dict) -> bool:
    """True when some cash minus change is one of the totals read: the payment lines then agree with them."""
    return any(cash - given_back in candidates for cash in tendered for given_back in change or [Decimal(0)])


def _subtotal_plus_tax(lines: list[str], subtotal: Decimal, rounding: list) -> Decimal | None:
    """The total as the till computed it, when its own figure is unreadable: subtotal + tax + rounding, or None.

    Only with a tax line printed (a till that prints a subtotal and then
    the tax added to it), and not when a line says the tax is included in
    the prices ("VAT 20% included"); or, without a tax line, subtotal plus
    rounding when the rounding does what rounding does (to a multiple of 5
    cents).  A subtotal that carries the tax printed with its rate (subtotal
    x rate / (100 + rate) = tax, ``carries_tax``) has the tax in it already,
    whatever words the till used to say so: it is the total, with the
    rounding.  The caller gives it a low confidence and says so.
    """
    tax, _score = tax_amount(lines, None)
    adjusted = subtotal + sum((adjustment for adjustment, _where in rounding), Decimal(0))
    rated = printed_tax(lines)
    if rated is not None and carries_tax(subtotal, *rated) and adjusted > 0:
        return adjusted  # the subtotal carries the tax printed with its rate ("INC 6% GST 1.62"): it is included
    if tax is None and rounding and subtotal % _ROUNDING_STEP and not adjusted % _ROUNDING_STEP and adjusted > 0:
        return adjusted  # no tax added on top: the rounding alone takes the subtotal to the amount paid
    if tax is None or any(_TAX_INCLUDED_RX.search(line) and not _TOTAL_RX.search(line) for line in lines):
        return None
    total = subtotal + tax + sum((adjustment for adjustment, _where in rounding), Decimal(0))
    return total if total > 0 else None


def _rounding_applied(candidates: dict, first_seen: dict, adjustment: Decimal | None, where: int) -> set[Decimal]:
    """The rounded total when the till printed only the total before rounding and the adjustment under it.

    Only when no total is printed after the rounding line (the rounded one
    was not read), and only when the adjustment does what rounding does:
    the total before it is not a multiple of 5 cents, the result is.  An
    adjustment OCR could not read (None) is the one to the nearest 5 cents,
    as tills round cash.  The new candidate starts with the score of the
    total it comes from.
    """
    before = [value for value in candidates if first_seen.get(value, where) < where]
    if not before or any(first_seen.get(value, where) > where for value in candidates):
        return set()
    total = max(before, key=lambda value: candidates[value])
    if adjustment is None:
        adjustment = (total / _ROUNDING_STEP).quantize(Decimal(1), ROUND_HALF_UP) * _ROUNDING_STEP - total
    rounded = total + adjustment
    if rounded <= 0 or total % _ROUNDING_STEP == 0 or rounded % _ROUNDING_STEP != 0:
        return set()
    candidates.setdefault(rounded, candidates[total])
    return {rounded}


_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s?%")
_MOST_TAX_ROUNDING = Decimal("0.01")  # the tax printed and the tax the total carries, each rounded to the cent


def printed_tax(lines: list[str]) -> tuple[Decimal, Decimal] | None:
    """The tax rate and the tax a till prints on one line ("GST 6%  0.42", "MwSt 19% 3,19"): (rate, tax), or None.

    Only a line that names the tax, prints its rate and one amount (a tax
    summary row prints the base and the tax: left out), and not a total's
    line ("Total incl. GST 6%").  None when the lines print two different
    rates: the total then carries both, and no one rate checks it.
    """
    found = set()
    for index, line in enumerate(lines):
        amounts = _amounts(line, index)
        label = _label_part(line, amounts).lower()
        rate = _RATE.search(label)
        if len(amounts) != 1 or not rate or not _TAX_RX.search(label) or amounts[0].value <= 0:
            continue
        if _NOT_TAX_AMOUNT_RX.search(label) or _TOTAL_RX.search(label) or _PAYABLE_RX.search(label):
            continue
        percent = Decimal(rate.group(1).replace(",", "."))
        if 0 < percent < 30:
            found.add((percent, amounts[0].value))
    return found.pop() if len({percent for percent, _tax in found}) == 1 and len(found) == 1 else None


def carries_tax(total: Decimal, rate: Decimal, tax: Decimal) -> bool:
    """True when a total with the tax included at ``rate`` percent carries ``tax`` (to the cent, both rounded).

    The same whether the till added the tax to a subtotal or the prices
    include it: either way the tax is total * rate / (100 + rate).
    """
    return abs(total * rate / (100 + rate) - tax) <= _MOST_TAX_ROUNDING


def _confirm_by_tax(candidates: dict, lines: list[str]) -> None:
    """Let the tax printed with its rate choose between the totals read, or put right a total OCR misread.

    The candidates whose tax at the printed rate is the tax printed gain
    when some others do not.  When none does, and one digit of the best
    candidate, changed in its units or above, gives the only total that
    carries the tax ("NET TOTAL 1.40" after "GST 6% 0.42": 7.40), that
    total replaces it.  Changes ``candidates`` in place.
    """
    tax = printed_tax(lines)
    if tax is None or not candidates:
        return
    rate, amount = tax
    agreeing = [value for value in candidates if carries_tax(value, rate, amount)]
    if agreeing and len(agreeing) < len(candidates):
        for value in agreeing:
            candidates[value] += 0.1
    if agreeing:
        return
    best = _leading(candidates)
    repaired = [value for value in _one_digit_changed(best) if abs(value - best) >= 1]
    repaired = [value for value in repaired if carries_tax(value, rate, amount)]
    if len(repaired) == 1:
        candidates[repaired[0]] = candidates.pop(best)


def _printed_amounts(lines: list[str]) -> list[set[Decimal]]:
    """The amounts printed on each line, line by line: to count the lines an amount is printed on."""
    return [{amount.value for amount in _amounts(line, index)} for index, line in enumerate(lines)]


def tax_summary_total(lines: list[str]) -> tuple[Decimal, set[int]] | None:
    """What a till's tax summary adds up to, each row checked by its rate: (total, the rows' lines), or None.

    A summary row prints a rate, the base and the tax on it ("SR @ 6%
    8.77 0.53", "ZR 0% 5.00 0.00"); the row counts when base x rate = tax
    to the cent, and the total is every row's base plus its tax.  None when
    no row is printed, or when a row with a rate and amounts does not check
    out (misread: the sum would not either).
    """
    total, rows = Decimal(0), set()
    for index, line in enumerate(lines):
        amounts = _amounts(line, index)
        rate = _RATE.search(_label_part(line, amounts))
        if not rate or len(amounts) < 2:
            continue
        percent = Decimal(rate.group(1).replace(",", "."))
        values = [abs(amount.value) for amount in amounts]  # a dash between the columns is no minus
        pairs = [(base, tax) for base, tax in zip(values, values[1:], strict=False) if 0 <= tax < base]
        checked = [(base, tax) for base, tax in pairs if abs(base * percent / 100 - tax) <= _MOST_TAX_ROUNDING]
        if not checked:
            return None
        total += sum(checked[0])
        rows.add(index)
    return (total, rows) if rows and total > 0 else None


def _checked_sums(lines: list[str]) -> set[Decimal]:
    """Totals two things printed agree on: the tax summary's total (``tax_summary_total``), or a subtotal or an
    amount before tax plus the tax, printed again as an amount on a line of its own.

    Each is arithmetic on amounts read apart from the total's own line, so
    a total OCR misread there ("Net Total 25.29" for 25.00) or lost
    ("Total SV 10.56" read, "PAID BY 111.90" after "excl. GST 105.57" and
    "GST AMT 6.33") is still found.
    """
    printed = _printed_amounts(lines)
    sums = set()
    summary = tax_summary_total(lines)
    if summary is not None:
        total, rows = summary
        if any(total in values for index, values in enumerate(printed) if index not in rows):
            sums.add(total)
    tax, _score = tax_amount(lines, None)
    if not tax:
        return sums
    for index, line in enumerate(lines):
        amounts = _amounts(line, index)
        label = _label_part(line, amounts).lower()
        if len(amounts) != 1 or not (_SUBTOTAL_RX.search(label) or _BEFORE_TAX_RX.search(label)):
            continue
        untaxed = amounts[0].value
        if 0 < tax < untaxed and any(untaxed + tax in values for other, values in enumerate(printed) if other != index):
            sums.add(untaxed + tax)
    return sums


def _confirm_by_checked_sum(candidates: dict, lines: list[str]) -> None:
    """Let a total two printed things agree on (``_checked_sums``) confirm the total read, or stand for it.

    When exactly one such sum exists: a candidate equal to it gains; when
    none is, and the best total read is not within a rounding of it (a till
    rounds the summary's total to 5 cents), the sum becomes the best total.
    Only called when the payment lines settle nothing.  Changes
    ``candidates`` in place.
    """
    sums = _checked_sums(lines)
    if len(sums) != 1:
        return
    checked = sums.pop()
    if checked in candidates:
        candidates[checked] += 0.1
        return
    best = _leading(candidates)
    if best is None or abs(best - checked) >= _LARGEST_ADJUSTMENT:
        candidates[checked] = max(0.6, candidates.get(best, 0.0)) + 0.1


def _one_digit_changed(value: Decimal) -> set[Decimal]:
    """The amounts whose text differs from ``value``'s by one digit replaced ("1.40" -> "7.40", "1.50", ...)."""
    text = f"{value:.2f}"
    variants = set()
    for position, char in enumerate(text):
        if char.isdigit():
            variants |= {Decimal(text[:position] + digit + text[position + 1 :]) for digit in "0123456789"}
    variants.discard(value)
    return {variant for variant in variants if variant > 0}


def _settle_misread_total(
    candidates: dict, tendered: list[Decimal], change: list[Decimal], lines: list[str], subtotals: list[Decimal]
) -> None:
    """Cash minus change in place of a total OCR misread by one digit ("464.70" for 64.70 paid with 100.00).

    Only when the change is printed (so the cash was more than the total),
    nothing read settles with the payment lines, no line confirms the
    total read (a tax summary's base and tax adding up to it, or a subtotal
    printed as the same amount: then OCR misread the cash instead,
    "RMS5O.00" for RM50.00), and either the total read is more than the
    cash handed over (impossible) and the two differ by one digit added,
    lost or changed, or the only total read is cash minus change with its
    leading digit lost (the digit OCR takes for a currency sign: "$0.10"
    for 30.10 paid with 40.10, change 10.00); a total that a rounding line
    confirms is a second candidate, and then OCR more likely misread the
    cash ("400,00" for 100.00).  Changes ``candidates`` in place.
    """
    if not change or _settles(tendered, change, candidates):
        return
    for cash in tendered:
        for given_back in change:
            paid = cash - given_back
            for value in [value for value in candidates if cash > paid > 0]:
                misread = value > cash and _one_digit_apart(f"{value:.2f}", f"{paid:.2f}")
                lost = len(candidates) == 1 and value < paid and _leading_digit_lost(f"{paid:.2f}", f"{value:.2f}")
                if (misread or lost) and not _printed_as_a_sum(lines, value) and value not in subtotals:
                    candidates[paid] = candidates.pop(value) + 0.1


def _settle_exact_payment(candidates: dict, tendered: list[Decimal], change: list[Decimal], lines: list[str]) -> None:
    """The amount paid exactly (no change given) in place of a total OCR misread by one digit, when the page prints
    the amount paid on another line too ("Total 82.86", "CREDIT 82.80", a tax summary's "82.80").

    Either figure may be the misread one; the one printed twice is the one
    two readings agree on.  Only when one payment was made, no change (or
    a change of nothing) is printed, nothing read settles with it, and the
    total read is printed once.  Changes ``candidates`` in place.
    """
    if len(tendered) != 1 or any(change) or not candidates or _settles(tendered, change, candidates):
        return
    paid = tendered[0]
    best = _leading(candidates)
    if not _one_digit_apart(f"{best:.2f}", f"{paid:.2f}"):
        return
    printed = _printed_amounts(lines)
    if sum(paid in values for values in printed) >= 2 and sum(best in values for values in printed) == 1:
        candidates[paid] = candidates.pop(best) + 0.1


def _settle_witnessed_payment(
    candidates: dict, tendered: list[Decimal], change: list[Decimal], lines: list[str], subtotals: list, rounding: list
) -> None:
    """Cash minus change in place of a total OCR misread by one digit, when a second printed thing says the same.

    The payment lines alone do not outweigh the total's line (OCR misreads
    them as often), but they do with a witness: the subtotal printed as the
    same amount ("SUB TOTAL (INCL. GST) 35.40", "TOTAL 36.40", cash 50.00,
    change 14.60), the subtotal plus the tax and the rounding
    (``_subtotal_plus_tax``), or the tax printed with its rate, which the
    amount paid carries and the total read does not.  Only when the change
    is printed (a change of nothing too: paid exactly), nothing read settles
    with the payment lines, and the best total read is one digit added, lost
    or replaced from the amount paid, its point aside ("NET TOTAL 14.8" read
    as 1.48).  Changes ``candidates`` in place.
    """
    if not change or not candidates or _settles(tendered, change, candidates):
        return
    best = _leading(candidates)
    rated = printed_tax(lines)
    for paid in {cash - given_back for cash in tendered for given_back in change}:
        if paid <= 0 or not _one_digit_apart(f"{best:.2f}".replace(".", ""), f"{paid:.2f}".replace(".", "")):
            continue
        by_tax = rated is not None and carries_tax(paid, *rated) and not carries_tax(best, *rated)
        computed = subtotals and _subtotal_plus_tax(lines, subtotals[-1], rounding) == paid
        if paid in subtotals or by_tax or computed:
            candidates[paid] = candidates.pop(best) + 0.1
            return


def _round_misread_total(candidates: dict, lines: list[str], subtotal: Decimal, rounding: list) -> None:
    """The subtotal plus the tax and the rounding in place of a rounded total OCR misread by one digit.

    A till that prints a rounding line prints the total after it rounded
    (a multiple of 5 cents); when the best total read is not one, and the
    subtotal, the tax and the rounding printed add up to a multiple that
    differs from it by one digit ("Total 112.46" after "Sub Total 106.10",
    "GST 6.37", "Rounding -0.02": 112.45), the sum replaces it.  Changes
    ``candidates`` in place.
    """
    if not candidates or not any(adjustment for adjustment, _where in rounding):
        return
    best = _leading(candidates)
    if best % _ROUNDING_STEP == 0:
        return
    computed = _subtotal_plus_tax(lines, subtotal, rounding)
    if computed is not None and computed % _ROUNDING_STEP == 0 and _one_digit_apart(f"{best:.2f}", f"{computed:.2f}"):
        candidates[computed] = candidates.pop(best)


def _leading_digit_lost(whole: str, read: str) -> bool:
    """True when ``read`` is ``whole`` without its first digit ("0.10" for "30.10")."""
    return len(whole) == len(read) + 1 and whole[1:] == read


def _printed_as_a_sum(lines: list[str], value: Decimal) -> bool:
    """True when two amounts printed on one line add up to ``value`` (a tax summary's base and tax)."""
    for index, line in enumerate(lines):
        amounts = [amount.value for amount in _amounts(line, index)]
        if any(a + b == value for i, a in enumerate(amounts) for b in amounts[i + 1 :]):
            return True
    return False


def _one_digit_apart(first: str, second: str) -> bool:
    """True when one digit added, lost or replaced turns one amount's text into the other's."""
    if len(first) == len(second):
        return sum(a != b for a, b in zip(first, second, strict=True)) == 1
    shorter, longer = sorted((first, second), key=len)
    return len(longer) - len(shorter) == 1 and any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _amount_unread(label: str) -> bool:
    """True when a rounding label ends in what OCR made of its amount ("Rounding Adjustment RH 02", "Rounding
    Adj 0,0!"): digits and no word after the label; prose about adjustments ("adjustments shown in this tax
    invoice") is not a rounding line."""
    found = list(_ROUNDING_RX.finditer(label))
    tail = label[found[-1].end() :] if found else ""
    return any(ch.isdigit() for ch in tail) and not _WORD_RX.search(tail)


def _paid_rounded(candidates: dict, tendered: list[Decimal], change: list[Decimal]) -> None:
    """Cash minus change in place of the total before rounding, when the till printed a rounding line.

    The rounding line's amount may be unread or misread, the total before
    it too ("19.95" read for 19.99); what was handed over less the change
    is the rounded total when it is a multiple of 5 cents and less than the
    largest rounding away from the best total read.  Only when nothing read
    already settles with the payment lines.  Changes ``candidates`` in place.
    """
    if not candidates or _settles(tendered, change, candidates):
        return
    best = _leading(candidates)
    paid = {cash - given_back for cash in tendered for given_back in change or [Decimal(0)]}
    paid = {value for value in paid if value > 0 and not value % _ROUNDING_STEP}
    paid = {value for value in paid if 0 < abs(value - best) < _LARGEST_ADJUSTMENT}
    if len(paid) == 1:
        candidates[paid.pop()] = candidates[best] + 0.1


def _rounded_totals(candidates: dict, first_seen: dict, adjustment: Decimal | None, where: int) -> set[Decimal]:
    """The totals that a rounding of ``adjustment`` printed on line ``where`` rounds another total to.

    A total printed before the rounding line and one printed after it that
    differ by the adjustment: the later one is the rounded total, whatever
    sign OCR left on the adjustment ("~0.01" for -0.01).  Without such a
    pair, the total before plus the signed adjustment, wherever printed.
    """
    if not adjustment:
        return set()
    before = [value for value in candidates if first_seen.get(value, where) < where]
    after = [value for value in candidates if first_seen.get(value, where) > where]
    ordered = {late for late in after for early in before if abs(late - early) == abs(adjustment)}
    return ordered or {value + adjustment for value in candidates if value + adjustment in candidates}


def _is_bare_amount(line: str) -> bool:
    amounts = _amounts(line, 0)
    return len(amounts) == 1 and sum(ch.isalpha() for ch in line) <= 3


def tax_amount(lines: list[str], total: Decimal | None) -> tuple[Decimal | None, float]:
    """The tax charged (GST, VAT, SST...): (amount, confidence); a rate ("6%") or a tax number is not it."""
    best, best_score = None, 0.0
    for index, line in enumerate(lines):
        amounts = _amounts(line, index)
        label = _label_part(line, amounts).lower()
        if not amounts or not _TAX_RX.search(label) or _NOT_TAX_AMOUNT_RX.search(label.strip(" :")):
            continue
        value = amounts[-1].value
        if value < 0 or (total is not None and value >= total):
            continue
        score = 0.75 if _TOTAL_RX.search(label) or "amount" in label else 0.6
        if score > best_score:
            best, best_score = value, score
    return best, best_score


def currency_of(lines: list[str]) -> tuple[str | None, float]:
    """ISO code from the signs and codes printed ("RM", "A$", "€", "EUR"); a bare "$" is USD, doubtfully."""
    text = "\n".join(lines)
    counts: dict[str, tuple[int, float]] = {}
    for pattern, code, confidence in _CURRENCIES:
        hits = len(pattern.findall(text))
        if hits and code not in counts:
            counts[code] = (hits, confidence)
    if not counts:
        return None, 0.0
    code, (_hits, confidence) = max(counts.items(), key=lambda item: (item[1][1], item[1][0]))
    return code, confidence


def receipt_number(lines: list[str]) -> str | None:
    """The receipt's own number after "Receipt No", "Bill No", "Doc No", "Invoice No"...: a token with a digit."""
    for line in lines:
        match = _NUMBER_LABEL_RX.search(line)
        if not match:
            continue
        rest = line[match.end() :].lstrip(" :.#")
        token = re.match(r"[A-Za-z0-9][A-Za-z0-9\-/]*", rest)
        if token and any(ch.isdigit() for ch in token.group(0)) and not find_dates(token.group(0)):
            return token.group(0)
    return None
