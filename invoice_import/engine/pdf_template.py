"""A supplier's PDF template applied to the text of its pages.

The text is what pdfplumber's ``page.extract_text()`` gives (one text line
per printed line, words separated by single spaces), or OCR text of a scan:
a template written for a supplier's PDFs thus also reads its scanned paper.
Header fields are single regex searches; the line-item table is read line
by line between a start and an end marker, page after page, so that a
table continued on the next page under a repeated page header is read as
one table.  See ``formats.py`` for the template keys.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from . import checks
from .errors import ExtractionError
from .formats import HEADER_FIELDS, PdfTemplate, apply_fixed, assign_header, confidence_key, header_value
from .pivot import Invoice, Line

# Confidence of a value a supplier's own template found where it expects it.
TEMPLATE_CONFIDENCE = 0.95
MAX_LISTED_UNMATCHED = 5


def template_matches(template: PdfTemplate, text: str) -> bool:
    """True when every identifying keyword of the template is in the text (case and spacing ignored)."""
    return not _missing_keywords(template, text)


def _missing_keywords(template: PdfTemplate, text: str) -> list[str]:
    """The keywords the text lacks; spaces do not count (``FR32 123`` is ``FR 32 123``)."""
    folded = _fold(text)
    return [keyword for keyword in template.keywords if _fold(keyword) not in folded]


def apply_pdf_template(template: PdfTemplate, pages: list[str], layout=None, buyer=None) -> Invoice:
    """The invoice the template reads from the pages' text; what it misses is None with a warning.

    ``layout`` (the pages' positioned words, ``layout.Layout``) lets a
    learned template read its positional rules, and the template-free
    reader fill the rest from the words; ``buyer`` (``pivot.Party``) is
    never the supplier, as for the template-free reader.
    """
    if not isinstance(template, PdfTemplate):
        raise ExtractionError(
            "invalid_format", f"format {template.name!r} is a {template.kind} format, not a PDF template"
        )
    invoice = Invoice(source="pdf-text", format=template.name)
    text = "\n".join(pages)
    missing = _missing_keywords(template, text)
    if missing:
        invoice.warnings.append(
            f"template {template.name!r} applied although the document lacks its keywords "
            + ", ".join(repr(keyword) for keyword in missing)
        )
    ambiguous: dict[str, list] = {}
    supplier_read = _read_positions(invoice, template, layout, ambiguous) if layout is not None else {}
    quoted = set((template.learned or {}).get("in_sentence", [])) - set(invoice.confidence)
    for name in template.fields:
        if confidence_key(name) in invoice.confidence:
            continue  # its positional rule read it
        match = None
        for pattern in template.field_patterns(name):
            match = re.search(pattern, text, re.MULTILINE)
            if match is not None:
                break
        if match is None:
            if not template.template_free_fallback:
                invoice.warnings.append(f"template {template.name!r}: {name} not found")
            continue
        value, note = template.read_value(name, _group_value(match))
        if note:
            invoice.warnings.append(f"template {template.name!r}: {name}: {note}")
        if value is not None:
            assign_header(invoice, name, value, TEMPLATE_CONFIDENCE)
            if template.learned is not None:
                _note_other_matches(template, name, value, match.re, text, ambiguous)
    if layout is not None:
        _read_any_shape(invoice, template, layout)
    free = None
    if template.template_free_fallback:
        from .freeform import extract_from_pages

        free = extract_from_pages(pages, layout, buyer)
    # A template that leaves the rest to the template-free reader is not sure the document is this
    # supplier's: its constants only hold where the document names the supplier.
    if template.learned is not None:
        _apply_learned_constants(invoice, template, text, free, missing, supplier_read)
    elif not (template.template_free_fallback and missing):
        apply_fixed(invoice, template)
    if template.lines is not None:
        invoice.lines = _TableReader(template, invoice.warnings).read(pages)
        if invoice.lines:
            invoice.confidence["lines"] = TEMPLATE_CONFIDENCE
    if free is not None:
        if template.learned is not None:
            _settle_ambiguous(invoice, template, free, ambiguous)
            _doubt_sentences(invoice, template, free, quoted)
        unfit = _amounts_that_add_up(invoice, template, free, text)
        _fill_from_template_free(invoice, template, free, skip=unfit)
    checks.finish_invoice(invoice)
    return invoice


def _read_positions(invoice: Invoice, template: PdfTemplate, layout, ambiguous=None) -> dict[str, str]:
    """The fields the template's positional rules (``positions.py``) read from the positioned words.

    Returns ``{"supplier_name" | "supplier_vat": the text its rule read}``:
    those are not set here, they are weighed against the learned constants
    (``_apply_learned_constants``).
    """
    from .positions import SUPPLIER_FIELDS, readings

    supplier = {}
    for name in template.positions:
        for rule in template.position_rules(name):
            found = readings(layout, rule, template.date_format, template.decimal_separator)
            if not found:
                continue
            if name in SUPPLIER_FIELDS:
                supplier[name] = found[0]
                break
            found = [template.read_value(name, value)[0] if isinstance(value, str) else value for value in found]
            assign_header(invoice, name, found[0], TEMPLATE_CONFIDENCE)
            if len(found) > 1 and ambiguous is not None:
                ambiguous[name] = found
            break
    return supplier


def _note_other_matches(template: PdfTemplate, name: str, first, pattern: re.Pattern, text: str, ambiguous) -> None:
    """The other values a learned regex reads further down the text, for ``_settle_ambiguous``."""
    found = [first]
    for match in pattern.finditer(text):
        value, _note = template.read_value(name, _group_value(match))
        if value is not None and value not in found:
            found.append(value)
    if len(found) > 1:
        ambiguous[name] = found


def _settle_ambiguous(invoice: Invoice, template: PdfTemplate, free: Invoice, ambiguous: dict) -> None:
    """A learned rule whose label gives several values here takes the one the template-free reader chose.

    Learned where its label gave one value ("vom" after the invoice number),
    the label gives others on this bill too (a version line "... vom
    24.03.2020" above the title, an item "Lieferschein vom ..."): the rule
    narrows the field to those, and the template-free reader, which weighs
    what each is, picks among them.  When it read none of them the first
    stays, as the rule says.  ``ambiguous``: ``{field: [the rule's values,
    first first]}`` (positional rules and regexes alike).
    """
    for name, found in ambiguous.items():
        theirs = header_value(free, name)
        same = [value for value in found if theirs is not None and _alike(value, theirs)]
        if not same or same[0] is found[0]:
            continue
        invoice.warnings.append(
            f"template {template.name!r}: the label of {name} gives {len(found)} values here; "
            f"{same[0]} as read without the template, not the first, {found[0]}"
        )
        assign_header(invoice, name, same[0], TEMPLATE_CONFIDENCE)


# Confidence of a value a learned regex read inside a sentence, which the template-free reader does not bear out.
SENTENCE_CONFIDENCE = 0.7


def _doubt_sentences(invoice: Invoice, template: PdfTemplate, free: Invoice, quoted: set[str]) -> None:
    """A learned regex that read its value inside a sentence yields to the template-free reader where they differ.

    Learned where only running text printed the value ("wir buchen zur
    Fälligkeit 06.12.2013 den Beitrag ab"), the rule reads whatever date the
    sentence names on the next bill: the next instalment, a period's end.
    The template-free reader weighs labels and the page's structure; where
    it read another value, that one is taken, with a warning.  Where it read
    nothing, the rule's value stays, less sure (``SENTENCE_CONFIDENCE``):
    nothing else on the page bears it out.  ``quoted``: the fields whose
    learned regex (not a positional rule) reads a sentence
    (``learned.in_sentence``).
    """
    for name in sorted(quoted):
        key = confidence_key(name)
        mine, theirs = header_value(invoice, name), header_value(free, name)
        if key not in invoice.confidence or _alike(mine, theirs):
            continue
        if theirs is None:
            invoice.confidence[key] = min(invoice.confidence[key], SENTENCE_CONFIDENCE)
            continue
        invoice.warnings.append(
            f"template {template.name!r}: {name} {mine} was learned from a sentence; "
            f"{theirs} as read without the template"
        )
        assign_header(invoice, name, theirs, free.confidence.get(key, 0.5))


def _alike(value, other) -> bool:
    """The same value, an amount whatever its sign (the template reads it as printed)."""
    if isinstance(value, Decimal) and isinstance(other, Decimal):
        return abs(value) == abs(other)
    return value == other


# Confidence of a reference a positional rule's label points at, written another way than learned.
ANY_SHAPE_CONFIDENCE = 0.8


def _read_any_shape(invoice: Invoice, template: PdfTemplate, layout) -> None:
    """A purchase order reference under or beside its learned label though its shape is not the learned one.

    Neither rule, positional or regex, found one of the learned shape: the
    buyer numbers its orders its own way (``positions.read_any_shape``), and
    the supplier's label still says where the reference is.  A warning
    names it; the template-free reader is left the fields nothing found.
    """
    from .positions import ANY_SHAPE_FIELDS, read_any_shape

    for name in ANY_SHAPE_FIELDS:
        if confidence_key(name) in invoice.confidence:
            continue
        for rule in template.position_rules(name):
            value = read_any_shape(layout, rule, template.date_format, template.decimal_separator)
            if value is not None:
                assign_header(invoice, name, value, ANY_SHAPE_CONFIDENCE)
                invoice.warnings.append(
                    f"template {template.name!r}: {name} {value} read where it was learned, written another way"
                )
                break


def _apply_learned_constants(invoice: Invoice, template: PdfTemplate, text: str, free, missing, read=None) -> None:
    """A learned template's constants, each only where the document bears it out.

    The supplier's name and VAT number were confirmed on another bill: they
    are taken only when this document prints them too (spacing and case
    aside), and a VAT number is not taken when the page states another
    seller VAT number whose check digits hold (the template-free reader
    found it where a seller's number is printed) unless the supplier's
    positional rule reads the learned one where it was learned: what the
    page says beats what an earlier page said.  The currency needs the
    template's keywords.
    ``read``: what the supplier's positional rules read on this document.

    A learned VAT number that this document prints nowhere means the
    layout may well be another supplier's: a warning says so and the
    values the template read lose their certainty.
    """
    read = read or {}
    folded = _fold(text)
    _take_page_supplier(invoice, template, read)
    _warn_if_not_fitting(invoice, template, folded)
    for name, raw in template.fixed.items():
        if confidence_key(name) in invoice.confidence:
            continue
        if name in ("supplier_name", "supplier_vat"):
            if _fold(raw) not in folded:
                continue
            if name == "supplier_vat" and free is not None and _other_valid_vat(free.supplier.vat, raw):
                invoice.warnings.append(
                    f"template {template.name!r}: the document states the seller VAT number {free.supplier.vat}, "
                    f"not {raw} as learned"
                )
                continue
        elif missing and template.template_free_fallback:
            continue
        value, _note = template.read_value(name, raw)
        assign_header(invoice, name, value, 1.0)


# Confidence of the values a learned template read on a document that lacks the supplier's learned VAT number.
NOT_FITTING_CONFIDENCE = 0.6


def _take_page_supplier(invoice: Invoice, template: PdfTemplate, read: dict) -> None:
    """The learned name and VAT number, certain where the supplier's positional rules read them again.

    A rule that reads the learned value (spacing and case aside) where the
    learning bill printed it shows the document is this supplier's: the
    value is taken even when the template-free reader guessed another
    seller number elsewhere on the page.  A rule that reads something else
    proves nothing (another variant of the layout may print the buyer's
    number under that label): the learned value then needs the usual
    evidence (``_apply_learned_constants``).
    """
    for name in ("supplier_vat", "supplier_name"):
        got, learned = read.get(name), template.fixed.get(name)
        if got and learned and _fold(got) == _fold(learned):
            value, _note = template.read_value(name, learned)
            assign_header(invoice, name, value, 1.0)


def _warn_if_not_fitting(invoice: Invoice, template: PdfTemplate, folded: str) -> None:
    """Warn, and doubt what the template read, when the VAT number it learned is printed nowhere here.

    Only a VAT number the learning bill printed counts (one of the
    keywords, or read by a positional rule): a number known only from the
    confirmed values says nothing about this page.
    """
    vat = template.fixed.get("supplier_vat")
    if not vat or _fold(vat) in folded:
        return
    printed_when_learned = "supplier_vat" in template.positions or any(
        _fold(keyword) == _fold(vat) for keyword in template.keywords
    )
    if not printed_when_learned:
        return
    invoice.warnings.append(
        f"template {template.name!r}: the supplier's VAT number {vat} it was learned with is not on this "
        "document: the layout may be another supplier's; check the values it read"
    )
    for key, confidence in invoice.confidence.items():
        invoice.confidence[key] = min(confidence, NOT_FITTING_CONFIDENCE)


def _other_valid_vat(found: str | None, learned: str) -> bool:
    from .freeform.taxids import vat_number

    if not found or _fold(found) == _fold(learned):
        return False
    checked = vat_number(found)
    return checked is not None and checked[1] is True


def _fill_from_template_free(invoice: Invoice, template: PdfTemplate, free: Invoice, skip=frozenset()) -> None:
    """Fields the template left empty, and the item lines it has no table for, from the template-free reader.

    ``skip``: amounts not to take (they contradict the template's).
    Its confidences come along, so a doubtful value stays marked as doubtful;
    one warning names the fields it supplied.  The template reads amounts
    as printed; the template-free reader turns a document with a negative
    total into a credit note with positive amounts: when the template read
    a negative amount, the other reader's amounts get their printed sign
    back, and ``checks.normalise_signs`` then makes the whole a credit note.
    """
    amounts = ("amount_untaxed", "amount_tax", "amount_total")
    printed_negative = any((getattr(invoice, name) or 0) < 0 for name in amounts)
    flip = printed_negative and free.document_type == "credit_note"
    filled = []
    for name in HEADER_FIELDS:
        key = confidence_key(name)
        if key in invoice.confidence or name in skip:
            continue
        value = header_value(free, name)
        if name == "document_type":
            invoice.document_type = free.document_type
            if key in free.confidence:
                invoice.confidence[key] = free.confidence[key]
            continue
        if value is None:
            continue
        if flip and name in amounts:
            value = -value
        assign_header(invoice, name, value, free.confidence.get(key, 0.5))
        filled.append(name)
    if not invoice.lines and free.lines:
        invoice.lines = free.lines
        invoice.confidence["lines"] = free.confidence.get("lines", 0.5)
        filled.append("lines")
    if filled:
        invoice.warnings.append(
            f"template {template.name!r} does not find {', '.join(filled)}: read without a template"
        )


AMOUNTS = ("amount_untaxed", "amount_tax", "amount_total")


def _amounts_that_add_up(invoice: Invoice, template: PdfTemplate, free: Invoice, text: str) -> set[str]:
    """The template's amounts, unless they do not add up and the template-free reader's make them add up.

    A rule learned on one bill reads a total, a net and a tax where that
    bill printed them; on another bill of the supplier (a second VAT rate,
    a discount row, a digit OCR misread) one of them may be another amount.
    Untaxed + tax = total tells: when the template's amounts, completed by
    the template-free reader's, do not add up, the fewest of them (never
    all) are replaced by the template-free reader's so that they do, or a
    tax read on one of several VAT rates' rows becomes the whole; a warning
    says which, in words.  Only amounts the page prints count (one computed
    from the other two adds up by construction).  Amounts that add up
    either way are left alone.

    Returns the amounts not to take from the template-free reader: when
    the template read two amounts and the other reader's third does not fit
    them (one of two VAT rates), the third is computed from the two.
    """
    read = [name for name in AMOUNTS if confidence_key(name) in invoice.confidence]
    if not read:
        return set()
    mine = {name: getattr(invoice, name) for name in read}
    theirs = {name: getattr(free, name) for name in AMOUNTS}
    current = {name: mine.get(name, theirs[name]) for name in AMOUNTS}
    if None in current.values() or _adds_up(current):
        return set()
    if _adds_up(theirs) and _replace_to_add_up(invoice, template, mine, theirs, current, text):
        return set()
    if len(read) == 3 and _tax_of_several_rates(invoice, template, text):
        return set()
    if read == ["amount_total"] and _total_of_printed_parts(invoice, template, current, text):
        return set()
    if len(read) != 2:
        return set()
    (third,) = (name for name in AMOUNTS if name not in read)
    invoice.warnings.append(
        f"template {template.name!r}: {third} {theirs[third]} read without the template does not fit "
        f"the {' and '.join(read)} it read; computed from them"
    )
    return {third}


def _total_of_printed_parts(invoice: Invoice, template: PdfTemplate, current: dict, text: str) -> bool:
    """A lone learned total that is not untaxed + tax, where the page prints both and their sum: the sum is the total.

    Learned where the amount to pay was the invoice's total, the rule reads
    the amount to pay of a bill that adds an arrear or takes off a
    prepayment.  The net and the tax the template-free reader found, and
    their sum, printed on the page, are the invoice's own amounts; a
    warning says so.  Without the sum printed nothing tells which is
    wrong, and the total stays.  Without tax the net is the sum: it must be
    printed a second time, as the total.
    """
    from .learn import AMOUNT, _occurrences

    untaxed, tax, total = (current[name] for name in AMOUNTS)
    whole = abs(untaxed) + abs(tax)
    needed = 2 if whole == abs(untaxed) else 1
    if not (_printed(text, untaxed) and _printed(text, tax) and len(_occurrences(text, AMOUNT, whole)) >= needed):
        return False
    invoice.warnings.append(
        f"template {template.name!r} read amount_total {total}, but untaxed {untaxed} + tax {tax} = {whole}, "
        "printed on the page: that is the total"
    )
    invoice.amount_total = -whole if total < 0 else whole
    return True


def _tax_of_several_rates(invoice: Invoice, template: PdfTemplate, text: str) -> bool:
    """A tax the template read on one VAT rate's row of several: the page prints the other rate's tax too.

    Learned on a bill with one rate, the tax rule reads the first tax row of
    a bill with two; total - untaxed - that tax is then the other row's,
    printed on the page.  The tax becomes total - untaxed, with a warning.
    """
    untaxed, tax, total = invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total
    rest = abs(total) - abs(untaxed) - abs(tax)
    if rest <= 0 or not _printed(text, rest):
        return False
    whole = abs(total) - abs(untaxed)
    invoice.warnings.append(
        f"template {template.name!r} read amount_tax {tax} on one tax row; the page prints another of {rest}: "
        f"the tax is total {total} - untaxed {untaxed} = {whole}"
    )
    invoice.amount_tax = -whole if tax < 0 else whole
    return True


def _replace_to_add_up(invoice: Invoice, template: PdfTemplate, mine, theirs, current, text: str) -> bool:
    """Replace the fewest of the template's amounts by the other reader's printed ones so that they add up.

    The template keeps one amount at least, unless it read one only and the
    other reader's three are all printed and add up: a lone learned total
    then read another amount of this bill (the amount due after a
    prepayment, where the learning bill printed the two alike).
    """
    differing = [name for name in mine if theirs[name] != mine[name] and _printed(text, theirs[name])]
    all_printed = all(_printed(text, theirs[name]) for name in AMOUNTS)
    kept = 0 if len(mine) == 1 and all_printed else 1
    for count in range(1, min(len(differing), len(mine) - kept) + 1):
        for replaced in itertools.combinations(differing, count):
            trial = {**current, **{name: theirs[name] for name in replaced}}
            if not _adds_up(trial):
                continue
            for name in replaced:
                invoice.warnings.append(
                    f"template {template.name!r} read {name} {mine[name]}, but untaxed {current['amount_untaxed']} "
                    f"+ tax {current['amount_tax']} is not the total {current['amount_total']}: "
                    f"{theirs[name]} read without the template makes them add up"
                )
                del invoice.confidence[confidence_key(name)]
                setattr(invoice, name, None)
            return True
    return False


def _printed(text: str, amount) -> bool:
    from .learn import AMOUNT, _occurrences

    return bool(_occurrences(text, AMOUNT, amount))


def _adds_up(amounts: dict) -> bool:
    """Whether untaxed + tax = total, to the cent, whatever signs the readers gave them."""
    untaxed, tax, total = (amounts[name] for name in AMOUNTS)
    if None in (untaxed, tax, total):
        return False
    return abs(abs(untaxed) + abs(tax) - abs(total)) <= checks.CENT


def _group_value(match: re.Match) -> str | None:
    return match.group("value") if "value" in match.re.groupindex else match.group(1)


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


class _TableReader:
    """Walks the text lines of all pages through the table's markers.

    States: outside the table; inside it; resuming it at the top of a page
    after a page break, where everything is skipped (the page header) until
    an item line or a repeated start marker shows the table again.
    Unmatched text after an item is held until the next item or the end
    marker on the same page shows it belongs to the table; at a page break
    it is dropped, since it is most likely a page footer.
    """

    OUTSIDE, INSIDE, RESUMING = "outside", "inside", "resuming"

    def __init__(self, template: PdfTemplate, warnings: list[str]):
        table = template.lines
        self.template = template
        self.warnings = warnings
        self.start = re.compile(table.start, re.MULTILINE)
        self.end = re.compile(table.end, re.MULTILINE) if table.end else None
        self.line = re.compile(table.line, re.MULTILINE)
        self.ignore = [re.compile(pattern, re.MULTILINE) for pattern in table.ignore]
        self.continuation = table.description_continuation
        self.items: list[Line] = []
        self.unmatched: list[str] = []
        self.pending: list[str] = []
        self.anchor: Line | None = None
        self.state = self.OUTSIDE
        self.started = False

    def read(self, pages: list[str]) -> list[Line]:
        for page in pages:
            if self.state == self.INSIDE:
                self.state = self.RESUMING
            for text_line in page.splitlines():
                text_line = text_line.strip()
                if text_line:
                    self._feed(text_line)
            self._drop_pending()
            self.anchor = None
        self._report()
        return self.items

    def _feed(self, text_line: str) -> None:
        if self.state == self.OUTSIDE:
            if self.start.search(text_line):
                self._open()
            return
        if self.end and self.end.search(text_line):
            self._flush_pending()
            self.state, self.anchor = self.OUTSIDE, None
            return
        if self.start.search(text_line):
            self._drop_pending()
            self._open()
            return
        if any(pattern.search(text_line) for pattern in self.ignore):
            return
        match = self.line.search(text_line)
        if match:
            self._flush_pending()
            self.anchor = self._item(match)
            self.items.append(self.anchor)
            self.state = self.INSIDE
        elif self.state == self.INSIDE:
            self.pending.append(text_line)

    def _open(self) -> None:
        self.state, self.anchor, self.started = self.INSIDE, None, True

    def _flush_pending(self) -> None:
        """Text between an item and what follows it on the same page: the item's continuation, if allowed."""
        if self.pending and self.continuation and self.anchor is not None:
            self.anchor.description = " ".join(filter(None, [self.anchor.description, *self.pending]))
            self.pending = []
        self._drop_pending()

    def _drop_pending(self) -> None:
        self.unmatched.extend(self.pending)
        self.pending = []

    def _item(self, match: re.Match) -> Line:
        line = Line()
        for name, raw in match.groupdict().items():
            value, note = self.template.read_value(name, raw)
            if note:
                self.warnings.append(f"template {self.template.name!r}: item {len(self.items) + 1}, {name}: {note}")
            setattr(line, name, value)
        return line

    def _report(self) -> None:
        name = self.template.name
        if not self.started:
            self.warnings.append(f"template {name!r}: the item table's start marker was not found: no lines read")
            return
        if self.unmatched:
            listed = ", ".join(repr(text) for text in self.unmatched[:MAX_LISTED_UNMATCHED])
            more = len(self.unmatched) - MAX_LISTED_UNMATCHED
            self.warnings.append(
                f"template {name!r}: {len(self.unmatched)} text lines in the item table matched neither "
                f"'line' nor 'ignore': {listed}" + (f" and {more} more" if more > 0 else "")
            )
