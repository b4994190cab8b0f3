"""A bare "Date" followed by words and its own colon is another date's key, not the issue date."""

from __future__ import annotations

import datetime as dt

from invoice_import.engine.freeform import extract_from_text


def test_a_date_label_qualified_by_words_before_its_colon_is_not_the_issue_date():
    invoice = extract_from_text(
        [
            "Facture N° F2020-1\n"
            "Date : 15/01/2020\n"
            "DATE DE FIN DE PRESTATION : 31/12/2019\n"
            "Prestation de support\n"
            "Date fin : 31/12/2019\n"
        ]
    )
    assert invoice.issue_date == dt.date(2020, 1, 15)
