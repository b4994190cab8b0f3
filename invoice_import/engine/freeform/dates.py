"""Issue date and due date: labelled dates, dates after the number, payment terms.

The due date is printed ("Due date 13/12/2017"), written in a sentence
("Bitte überweisen Sie bis zum 09.06.2014"), implied by a direct debit
("wird am 20.03.2014 ... eingezogen") or only given as terms ("payable
within 30 days", "zahlbar innerhalb 14 Tagen"), which we turn into issue
date + N days with a lower confidence.  A due date before the issue date
is not a due date.
"""

from __future__ import annotations

import datetime as dt
import re

from ..layout import CELL_SEPARATOR
from ..values import find_dates, has_digit
from .columns import PAIRED_FACTOR
from .confidence import Choice, Evidence
from .document import Document, Line, words_within
from .headings import follows_in_cell, under_another_title, wrapped_labels
from .labels import CREDIT_TITLE, DEBIT, DUE_DATE, ISSUE_DATE, NUMBER, OTHER, TITLE, fold

# "Rechnung RE-1 vom 19.05.2014", "Invoice # 12 issued at 2019-06-10", "Facture 12 du 05/11/2017"
# "Factura nº 12 de fecha 05/11/2017", "Fattura n. 12 del 05.11.2017"
_DATE_CONNECTOR = re.compile(
    r"\b(?:vom|von|du|of|dated|van|d\.d\.|from|issued at|issued on|le|am|op|del|de fecha|con fecha|de)\s*$", re.I
)
_AFTER_TITLE = 0.6  # below "vom"/"du" after the number (0.8): no word says the date is the document's
_DEBIT_CONNECTOR = re.compile(r"\b(?:am|on|le|op|per|vers le|au)\s*$", re.I)
_NUMERIC_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
# "Berlin, 12.03.2024", "München, den 12.03.2024", "Paris, le 5 mars 2024" or a date alone
_DATELINE_PREFIX = re.compile(r"^(?:[A-ZÄÖÜÉ][\w\-. ]{1,30},?\s*(?:den|le|the)?\s*)?$")
# The place of a letter's date line in a column of its own ("z. Hd. Herr Muster   München, den   01.11.2024")
_DATELINE_PLACE = re.compile(r"^[A-ZÄÖÜÉ][\w\-. ]{1,30},\s*(?:den|le|the)?\s*$")
_HEADER_LINES = 15
_PROSE_WORDS = 3  # words of running text before a label that make it part of a sentence
_LONE_DATE_LINES = 12  # the header block: a date alone in a cell further down is an item's or a payment's
_LONE_DATE = 0.35  # no word says whose date it is: weaker than a date line at the top of a letter (0.5)
# A date stamped with the time of day ("Datum: 30.10.2024   Zeit: 04:59:13"): when the page was printed or
# logged, which a dated letter or a titled number outweighs
_TIME_OF_DAY = re.compile(r"^[\s,]*(?:[^\W\d_]{1,10}\.?:?\s*)?\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
_STAMPED = 0.6

_DAYS = r"(\d{1,3})\s*(?:-\s*)?(?:days?|tage?n?|jours?|j|dagen|dgn|dias?|giorni|gg)\b"
_TERMS_DAYS = re.compile(r"(?<!\d)" + _DAYS)
# "net 30", never "Summe netto 50.262,95": folded, an amount's marks are spaces before more digits
_NET_DAYS = re.compile(r"\b(?:net|netto|n)\s*(\d{1,3})\b(?!\s*%)(?!\s+\d)")
_PAYMENT_WORDS = re.compile(
    r"\b(?:pay\w*|due|net|netto|zahlbar|zahlung\w*|paiement|payer|reglement|regler|solde|echeance|"
    r"betaling\w*|betalen|betaalbaar|vervalt|balance|terms|conditions|pago|pagos|pagamento|vencimiento|scadenza)\b"
)
_DISCOUNT_WORDS = re.compile(r"\b(?:skonto|discount|escompte|korting|rabatt|remise)\b")
_IMMEDIATE = re.compile(
    r"\b(?:paiement immediat|payable (?:on|upon) receipt|due (?:on|upon) receipt|sofort zahlbar|zahlbar sofort|"
    r"a reception|des reception|direct opeisbaar|contant)\b"
)
# A deadline written as a sentence: a payment verb, then "by/before/until" and the date
# ("Bitte überweisen Sie den Betrag bis zum ...", "Paiement à effectuer avant le ...", "Pagamento entro il ...").
_PAYMENT_VERB = re.compile(
    r"\b(?:pay\w*|remit\w*|settle\w*|due|zahl\w*|bezahl\w*|uberweis\w*|begleich\w*|paie\w*|payer|payable|"
    r"regl\w*|regler|verse\w*|betal\w*|voldoen|overmaken|pag\w*|abon\w*|salda\w*|versamento)\b"
)
_DEADLINE = re.compile(
    r"\b(?:by|before|until|till|no later than|on or before|bis(?: zum| spatestens)?|spatestens(?: am| bis)?|"
    r"avant(?: le)?|au plus tard(?: le)?|jusqu au|voor|uiterlijk(?: op)?|antes del?|hasta el|a mas tardar el|"
    r"entro(?: il)?|non oltre il)\s*$"
)
_SENTENCE_REACH = 80  # characters before the date in which the payment verb must stand
_SENTENCE_DEADLINE = 0.8
_OCR_DATE = re.compile(r"(?<![\d.,])(\d{1,2})[.,](\d{1,2})[.,](\d{4})(?!\d)")
_MAX_TERM_DAYS = 180
# A numeric date with letters OCR reads for digits in it (at most two, and four true digits at least).
_LETTER_DIGITS = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "S": "5", "B": "8", "Z": "2"})
_LETTER_DATE = re.compile(
    r"(?<![\w.])(?=(?:[^\d\s]*\d){4})(?=[\d./-]*[OoDlISBZ][\d./-]*(?:[OoDlISBZ][\d./-]*)?(?:\s|$))"
    r"[\dOoDlISBZ]{1,2}[./-][\dOoDlISBZ]{1,2}[./-][\dOoDlISBZ]{2,4}(?![\w])"
)
# Digits OCR takes for one another in print (closed and open loops, a stroke lost or added).
_CONFUSABLE_DIGITS = {
    frozenset(pair)
    for pair in (
        "08",
        "06",
        "09",
        "38",
        "35",
        "36",
        "56",
        "58",
        "68",
        "89",
        "17",
        "14",
        "49",
        "27",
        "12",
        "13",
        "39",
        "59",
    )
}
_MAX_PAYMENT_DAYS = 120  # a printed due date further than this after the issue date is implausible
_WRAPPED = 0.8  # a label read from two lines of its cell: less sure than one printed whole


def issue_date_evidence(doc: Document, number_lines: set[int]) -> Evidence:
    evidence = Evidence()
    for line, hit, strength in doc.hits(ISSUE_DATE):
        if _inside_prose(doc, line, hit):
            continue  # "... against tax invoice issued on 09-10-2025 bearing number ...": another document's date
        found = _date_after_label(doc, line, hit)
        if found:
            value, factor, where = found
            if where == line.index and _stamped_with_time(doc, line, hit):
                factor *= _STAMPED
            evidence.add(value, strength * factor, f"after '{hit.phrase}'", where)
    _add_wrapped_labels(doc, ISSUE_DATE, evidence)
    for line in doc.lines:
        if line.index not in number_lines and not any(h.strength(t) for h in line.hits for t in (TITLE, NUMBER)):
            continue
        if any(_inside_prose(doc, line, h) for h in line.hits if h.strength(TITLE) or h.strength(NUMBER)):
            continue  # "... against tax invoice issued on 09-10-2025": a sentence about another invoice
        for start, _end, value in find_dates(line.text, doc.dayfirst):
            if _DATE_CONNECTOR.search(line.text[:start]) and _dates_the_document(line, start):
                evidence.add(value, 0.8, "after the document number", line.index)
            elif _right_after_title(line, start):
                evidence.add(value, _AFTER_TITLE, "right after the title", line.index)
    for line in doc.lines[:_HEADER_LINES]:
        dates = find_dates(line.text, doc.dayfirst)
        if len(dates) != 1 or line.text[dates[0][1] :].strip(" ."):
            continue
        start = _dateline_start(line, dates[0][0])
        if start is not None and not any(start <= hit.start and hit.end <= dates[0][0] for hit in line.hits):
            evidence.add(dates[0][2], 0.5, "date line at the top of the letter", line.index)  # a place, no label
    if not evidence and doc.layout is not None:
        _add_lone_header_date(doc, evidence)
    return evidence


def _add_lone_header_date(doc: Document, evidence: Evidence) -> None:
    """The one date printed alone in a cell of the page's header, when nothing labels the document's date.

    A header block can give its date with no word at all ("FACTURE" over
    "02/03/2026" in the right column); a date under a label, or beside one
    on its line, is that label's (a due date, an order's) and is not taken.
    Two such dates say nothing: which one is the invoice's is unknown.
    """
    lone = []
    for line in doc.lines[:_LONE_DATE_LINES]:
        if line.page != 0 or line.geometry is None or line.hits:
            continue
        for cell in line.geometry.cells:
            dates = find_dates(cell.text, doc.dayfirst)
            if (
                len(dates) == 1
                and dates[0][1] - dates[0][0] == len(cell.text.strip())
                and not _labelled_above(doc, line, cell)
            ):
                lone.append((dates[0][2], line.index))
    if len(lone) == 1:
        evidence.add(lone[0][0], _LONE_DATE, "the one date alone in the header, no label", lone[0][1])


def _labelled_above(doc: Document, line: Line, cell) -> bool:
    """Whether the line above prints a label over ``cell`` (a header row's title over its value), not the title."""
    if line.index == 0:
        return False
    above = doc.lines[line.index - 1]
    if above.page != line.page or above.geometry is None:
        return False
    for hit in above.hits:
        if hit.strength(TITLE) or hit.strength(CREDIT_TITLE):
            continue  # the document's title over its date labels nothing else
        span = above.geometry.x_of(hit.start, hit.end)
        if span is not None and span[0] < cell.x1 and cell.x0 < span[1]:
            return True
    return False


def _inside_prose(doc: Document, line: Line, hit) -> bool:
    """Whether a date label stands inside a sentence of running text, words in lower case leading up to it.

    Terms and conditions mention other documents' dates ("credit notes are
    issued against the tax invoice issued on 09-10-2025"): the label's words
    are written in lower case as the sentence's, after words of the
    sentence (``Document.in_prose``, a few words of it); a label that dates
    this document starts its line or its cell or is written as a label
    ("Contoso Retail plc Invoice Date: ...").
    """
    label = line.text[hit.start : hit.end]
    return label[:1].islower() and doc.in_prose(line, hit, words=_PROSE_WORDS)


def _dateline_start(line: Line, date_start: int) -> int | None:
    """Where the letter's date line starts before its date: the line's start, or the place's cell.

    "München, den 12.03.2024" is a line of its own, or with positioned
    words a column beside the address block ("z. Hd. Herr Muster   München,
    den   01.11.2024"): there only a place with its comma starts it.
    """
    if _DATELINE_PREFIX.match(line.text[:date_start]):
        return 0
    if line.geometry is None:
        return None
    cells = line.text[:date_start].rstrip().split(CELL_SEPARATOR)
    for count in (1, 2):  # the place and "den" may be cells of their own
        place = " ".join(" ".join(cells[-count:]).split())
        if len(cells) > count and _DATELINE_PLACE.match(place):
            return line.text.rfind(cells[-count].strip(), 0, date_start)
    return None


def _stamped_with_time(doc: Document, line: Line, hit) -> bool:
    """Whether the labelled date on the label's line is followed by a time of day ("Zeit: 04:59:13", "14:32")."""
    segment = doc.segment_after(line, hit)
    dates = dates_in(doc, segment.text)
    return bool(dates) and bool(_TIME_OF_DAY.match(line.text[segment.start + dates[0][1] :]))


def _right_after_title(line: Line, start: int) -> bool:
    """Whether the date at ``start`` follows the title that starts the line, nothing between them.

    A letter's heading states what and when: "Beitragsrechnung 24. Januar
    2014", "Facture 05/11/2017".  A word between them ("Rechnung gemäß
    Bestellung 01.03.2018") says whose date it is, so it is not taken here.
    """
    titles = [hit for hit in line.hits if hit.strength(TITLE) or hit.strength(CREDIT_TITLE)]
    if not titles or line.text[: titles[0].start].strip() or titles[0].end > start:
        return False
    return not line.text[titles[0].end : start].strip(" :,-–")


def _dates_the_document(line: Line, start: int) -> bool:
    """Whether "vom"/"du"/"of" before a date belongs to the document's own title or number.

    "Rechnung Nr. 471102 vom 05.03.2018" dates the invoice; in "Rechnung
    gemäß Bestellung vom 01.03.2018" the nearest label before the date is
    the order: that is the order's date.
    """
    before = [hit for hit in line.hits if hit.end <= start]
    if not before:
        return False
    nearest = before[-1]
    return any(nearest.strength(name) for name in (TITLE, NUMBER, CREDIT_TITLE, ISSUE_DATE))


def due_date_evidence(doc: Document) -> Evidence:
    evidence = Evidence()
    for line, hit, strength in doc.hits(DUE_DATE):
        found = _date_after_label(doc, line, hit)
        if found:
            value, factor, where = found
            evidence.add(value, strength * factor, f"after '{hit.phrase}'", where)
    _add_wrapped_labels(doc, DUE_DATE, evidence)
    _add_deadline_sentences(doc, evidence)
    for line, hit, strength in doc.hits(DEBIT):
        for neighbour in doc.lines[max(0, line.index - 1) : line.index + 1]:
            for start, _end, value in find_dates(neighbour.text, doc.dayfirst):
                if _DEBIT_CONNECTOR.search(neighbour.text[:start]):
                    evidence.add(value, strength, f"direct debit date ('{hit.phrase}')", neighbour.index)
    return evidence


def _add_deadline_sentences(doc: Document, evidence: Evidence) -> None:
    """A due date no label introduces, written in a payment sentence in any of the six languages.

    The vocabulary holds the usual labels; a sentence can put any words
    between its verb and the deadline ("Bitte überweisen Sie den Betrag
    bis zum 07.11.2021"), so the verb and the connector are matched apart.
    A discount's deadline ("2% Skonto bis ...") is not the due date.
    """
    for line in doc.lines:
        for start, _end, value in dates_in(doc, line.text):
            before = fold(line.text[max(0, start - _SENTENCE_REACH) : start])
            if (
                _DEADLINE.search(before)
                and _PAYMENT_VERB.search(before)
                and not _DISCOUNT_WORDS.search(before)
                and not any(hit.end <= start and hit.strength(DUE_DATE) for hit in line.hits)
            ):
                evidence.add(value, _SENTENCE_DEADLINE, "deadline in a payment sentence", line.index)


def payment_terms_days(doc: Document) -> tuple[int, str] | None:
    """Days between issue and due date when only terms are printed ("net 30", "zahlbar innerhalb 14 Tagen").

    Asked of each reading of the dates (``reading_fit``) and by the due
    date: found once per document (``doc.memo``), its lines being fixed.
    """
    if "payment terms" not in doc.memo:
        doc.memo["payment terms"] = _payment_terms_days(doc)
    return doc.memo["payment terms"]


def _payment_terms_days(doc: Document) -> tuple[int, str] | None:
    for line in doc.lines:
        for clause in re.split(r"[,;]", line.folded):
            if _DISCOUNT_WORDS.search(clause):
                continue
            if _IMMEDIATE.search(clause):
                return 0, clause.strip()
            if not _PAYMENT_WORDS.search(clause):
                continue
            match = _TERMS_DAYS.search(clause) or _NET_DAYS.search(clause)
            if match and 0 < int(match.group(1)) <= _MAX_TERM_DAYS:
                return int(match.group(1)), " ".join(clause.split())
    return None


def choose_due_date(doc: Document, evidence: Evidence, issue: dt.date | None) -> Choice:
    """The due date: printed ones first, payment terms as support or as the fallback."""
    terms = payment_terms_days(doc)
    terms_date = issue + dt.timedelta(days=terms[0]) if terms and issue else None
    plausible = Evidence()
    for value, _score, cands in evidence.ranked():
        why = ""
        ocr_read = any(_ocr_line(doc, cand.line) for cand in cands)
        if terms_date is not None and ocr_read and one_misread_digit(value, terms_date):
            value, why = terms_date, f"; a misread digit repaired: issue date + {terms[0]} days"
        if issue and value < issue:
            continue
        for cand in cands:
            plausible.add(value, cand.score, cand.why + why, cand.line)
    if terms_date is not None:
        plausible.add(terms_date, 0.5, f"issue date + {terms[0]} days ('{terms[1]}')")
    return plausible.choose()


def _ocr_line(doc: Document, index: int | None) -> bool:
    """Whether line ``index`` may hold OCR's misreadings: its words were read from an image (or nothing says)."""
    if index is None or not 0 <= index < len(doc.lines) or doc.lines[index].geometry is None:
        return True
    return any(word.confidence < 1.0 for word in doc.lines[index].geometry.words)


def one_misread_digit(printed: dt.date, expected: dt.date) -> bool:
    """Whether two dates differ by one digit that OCR confuses with the other ("3" for "8", "1" for "7").

    A printed date that misses the date the terms give by such a digit is
    that date misread: the terms' arithmetic confirms the repair.
    """
    pairs = [(a, b) for a, b in zip(printed.isoformat(), expected.isoformat(), strict=True) if a != b]
    return len(pairs) == 1 and frozenset(pairs[0]) in _CONFUSABLE_DIGITS


def reading_fit(doc: Document, issue: dt.date | None, printed_due: dt.date | None) -> int:
    """How well an issue date and a printed due date agree: 3 the terms confirm them, 0 impossible.

    Used to choose between the day-first and month-first readings of a
    document whose dates never say which: "11/03" + "30 days" = "12/03"
    holds only month first.
    """
    if issue is None or printed_due is None:
        return 1
    gap = (printed_due - issue).days
    if not 0 <= gap <= _MAX_PAYMENT_DAYS:
        return 0
    terms = payment_terms_days(doc)
    return 3 if terms and terms[0] == gap else 2


def doubtful_day_month(doc: Document, value: dt.date | None) -> bool:
    """True when a date could be read either way and nothing in the document tells which."""
    if value is None or doc.date_order_known or value.day > 12 or value.day == value.month:
        return False
    iso = value.isoformat()
    for line in doc.lines:
        for start, end, found in find_dates(line.text, doc.dayfirst):
            if found.isoformat() == iso and _NUMERIC_DATE.match(line.text[start:end]):
                return True
    return False


def dates_in(doc: Document, text: str) -> list[tuple[int, int, dt.date]]:
    """The dates of ``text``, also when OCR turned a dot into a comma ("05.03,2013") or a digit into a letter.

    A letter read for a digit ("3O/12/2017", "l5.03.2014") is read as that
    digit only inside a numeric date's shape, and the date must then exist:
    "3O/13/2017" stays unread.  Offsets are unchanged (one character for one).
    A line without a digit has none of these (each prints four digits at
    least, or a day): most lines of a page are passed over at once.
    """
    if not has_digit(text):
        return []
    found = find_dates(text, doc.dayfirst) or find_dates(_OCR_DATE.sub(r"\1.\2.\3", text), doc.dayfirst)
    if found or not _LETTER_DATE.search(text):
        return found
    repaired = _LETTER_DATE.sub(lambda match: match.group(0).translate(_LETTER_DIGITS), text)
    return find_dates(repaired, doc.dayfirst)


_OWN_KEY = re.compile(r"[^\W\d_]{2,}[^:]*:\s*$")


def _date_after_label(doc: Document, line: Line, hit) -> tuple[dt.date, float, int] | None:
    segment = doc.segment_past_translation(line, hit)
    dates = dates_in(doc, segment.text)
    first = (segment.start + dates[0][0], segment.start + dates[0][1]) if dates else None
    if first and under_another_title(doc, line, hit, *first, heads=_heads_a_date):
        dates = []  # the next card's or column's value, beside a label whose own value is under it
    if dates:
        if _OWN_KEY.search(segment.text[: dates[0][0]]):
            return None  # "Date de fin de prestation : ...", "Date fin : ...": words and a colon make another key
        # the date must start the segment or follow a few words ("Zahlbar innerhalb 30 Tagen netto bis ...")
        return dates[0][2], 1.0 if dates[0][0] <= 2 else 0.9, line.index
    if line.geometry is not None and has_digit(segment.text):  # "05 May" over "2024": a date wrapped in its cell
        cell = line.geometry.cell_at(segment.start)
        beside = cell is None or under_another_title(doc, line, hit, segment.start, cell.end, heads=_heads_a_date)
        found = not beside and _wrapped_date(doc, line.index, cell, line.text[segment.start : cell.end])
        if found:
            return found[0], 0.9, found[1]
    if segment.text.strip() and not doc.ends_cell(line, hit):
        if line.geometry is None or has_digit(segment.text):
            return None
        # a title run together with the next title ("DUE DATE PURCHASE" over "... ORDER"): its value is under it
        found = _date_under(doc, line.index, line.geometry.x_of(hit.start, hit.end))
        return (found[0], 0.8, found[1]) if found else None
    paired = doc.paired_value(line)
    if paired is not None:  # one of a column of labels: the line below is the next label, not the value
        dates = dates_in(doc, paired.text)
        return (dates[0][2], PAIRED_FACTOR, paired.index) if dates else None
    if line.geometry is not None:  # positioned words: the cell under the label, or the words under it
        narrowed = doc.words_under(line, hit)  # a row of values run together: its cell starts on the left
        for below in ([narrowed] if narrowed else []) + doc.under(line, hit, 1):
            dates = dates_in(doc, below.text)
            if dates and dates[0][0] <= 2:
                return dates[0][2], 0.8, below.index
        found = _date_under(doc, line.index, _label_span(line, hit)) or _date_run_on(doc, line, hit)
        return (found[0], 0.8, found[1]) if found else None
    # a header row ("Invoice date   Due date") has its values on the next line, in the same order
    header = [h for h in line.hits if not doc.segment_after(line, h).text.strip() and _is_date_label(h)]
    ordinal = header.index(hit) if hit in header else 0
    for below in doc.below(line, 1):
        dates = dates_in(doc, below.text)
        if len(dates) > ordinal:
            return dates[ordinal][2], 0.75, below.index
    return None


def _label_span(line: Line, hit) -> tuple[float, float] | None:
    """The label's x extent, or its cell's when the cell prints it in two languages ("Rechnungsdatum / Invoice date").

    The value of a bilingual title sits under the title as a whole, often
    under its first half only: every label of such a cell introduces the
    same field.
    """
    cell = line.geometry.cell_at(hit.start)
    others = [h for h in line.hits if h is not hit and cell is not None and cell.start <= h.start < cell.end]
    names = {name for name, _ in hit.fields}
    if others and all(names & {name for name, _ in other.fields} for other in others):
        return cell.x0, cell.x1
    return line.geometry.x_of(hit.start, hit.end)


def _date_under(doc: Document, index: int, span: tuple[float, float] | None) -> tuple[dt.date, int] | None:
    """The date printed under the span ``x0..x1`` of line ``index``: a header table's value under its title.

    A browser wraps a title in a narrow cell ("Date de" over "facture"): one
    line of words without digits under the span is the title's rest and
    is passed.  The value's cell may run into its neighbour's (narrow
    padding): the words under the span count then.  A date wrapped over
    two lines of its cell ("15 April" over "2024") is read as one.
    """
    if span is None or doc.layout is None:
        return None
    if doc.layout.cell_below(index, *span) is None:
        index = _title_row_end(doc, index)  # other titles wrapped over more lines push the values further down
    passed_title = False
    while (found := doc.layout.cell_below(index, *span)) is not None:
        above, (index, cell) = doc.layout.lines[index], found
        texts = [words_within(cell, *span) or "", cell.text]  # words left of the title are its neighbour's
        for text in texts:
            dates = dates_in(doc, text)
            if dates and dates[0][0] <= 2:
                return dates[0][2], index
        if has_digit(cell.text):
            return _wrapped_date(doc, index, cell, texts[0] or cell.text)
        if passed_title or not follows_in_cell(above, doc.layout.lines[index]):
            return None  # the title's rest is the line right under it, not a label further down
        passed_title = True
    return None


def _date_run_on(doc: Document, line: Line, hit) -> tuple[dt.date, int] | None:
    """The date starting the next line, when the label ends a line of "label: value" pairs run on like text.

    A browser wraps such a line where the page ends, between the label
    ("... Fällig am:") and its date, which then starts the next line at
    the paragraph's left edge.  The line must hold a value before the
    label (a run of pairs, not a row of titles whose values are under
    them) and the next line follow closely at the same left edge.
    """
    if not doc.is_last_label(line, hit) or line.index + 1 >= len(doc.layout.lines):
        return None
    here, after = line.geometry, doc.layout.lines[line.index + 1]
    if not follows_in_cell(here, after):
        return None
    if abs(after.cells[0].x0 - here.cells[0].x0) > here.height or not has_digit(line.text[: hit.start]):
        return None
    dates = dates_in(doc, after.cells[0].text)
    return (dates[0][2], line.index + 1) if dates and dates[0][0] == 0 else None


def _title_row_end(doc: Document, index: int) -> int:
    """The last line of the row of titles line ``index`` prints: the lines after it that follow closely, without digits.

    A narrow column wraps its title over three or four lines; the row of
    values starts under the longest, further down than a title of one or
    two lines reaches.
    """
    lines = doc.layout.lines
    while index + 1 < len(lines) and not has_digit(lines[index + 1].text):
        above, below = lines[index], lines[index + 1]
        if not follows_in_cell(above, below):
            break
        index += 1
    return index


def _wrapped_date(doc: Document, index: int, cell, text: str) -> tuple[dt.date, int] | None:
    """A date begun in ``text`` and ended on its cell's next line ("15 April" over "2024", "05-08-" over "2024")."""
    found = doc.layout.cell_below(index, cell.x0, cell.x1)
    line = doc.layout.lines[index]
    if found is None or not follows_in_cell(line, doc.layout.lines[found[0]]):
        return None
    joined = text + ("" if text[-1:] in "-./" else " ") + found[1].text
    dates = dates_in(doc, joined)
    if dates and dates[0][0] <= 2 and dates[0][1] > len(text):
        return dates[0][2], index
    return None


def _add_wrapped_labels(doc: Document, field_name: str, evidence: Evidence) -> None:
    """Date labels wrapped over two lines of a narrow cell ("Date de" over "facture", see ``headings``).

    The value is under the cell's second line.
    """
    for wrapped in wrapped_labels(doc, field_name):
        found = _date_under(doc, wrapped.second_index, wrapped.span)
        if found:
            why = f"after '{wrapped.hit.phrase}' wrapped over two lines"
            evidence.add(found[0], wrapped.strength * _WRAPPED, why, found[1])


def _heads_a_date(hit) -> bool:
    """A date's title: a date label, not the document's title (whose date may stand anywhere under it)."""
    return not hit.strength(TITLE) and _is_date_label(hit)


def _is_date_label(hit) -> bool:
    return bool(
        hit.strength(ISSUE_DATE) or hit.strength(DUE_DATE) or ("dat" in hit.phrase and hit.strength(OTHER))
    ) and not hit.strength(CREDIT_TITLE)
