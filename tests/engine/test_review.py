"""What a person must look at in an imported document, its state, and the key its invoice number compares under."""

import pytest

from invoice_import.engine.review import (
    CONFIDENCE_THRESHOLD,
    KEY_FIELDS,
    document_state,
    invoice_number_key,
    is_low,
    low_confidence_keys,
)
from invoice_import.engine.states import (
    DOCUMENT_STATE_LABELS,
    DOCUMENT_STATES,
    MAIL_STATE_LABELS,
    MAIL_STATES,
    MATCH_STATE_LABELS,
    MATCH_STATES,
    READY,
    TO_REVIEW,
    selection,
)

SURE = dict.fromkeys(KEY_FIELDS, 1.0)


@pytest.mark.parametrize(
    "one, other",
    [(" re 2024/0117 ", "RE-2024-117"), ("INV0042", "inv-42"), ("FA 2017 / 0010", "fa-2017-10")],
)
def test_two_writings_of_one_number_have_one_key(one, other):
    assert invoice_number_key(one) == invoice_number_key(other)


@pytest.mark.parametrize("one, other", [("INV-1-23", "INV-12-3"), ("FA-2017-0010", "FA-2017-0100")])
def test_different_numbers_keep_different_keys(one, other):
    assert invoice_number_key(one) != invoice_number_key(other)


def test_a_number_without_letters_or_digits_has_no_key():
    assert invoice_number_key("  / ") is False and invoice_number_key(None) is False


def test_ready_only_when_every_key_field_is_sure_and_nothing_is_odd():
    assert document_state(SURE, []) == READY
    assert document_state({**SURE, "due_date": 0.2}, []) == READY, "a doubtful other field alone does not hold it"
    assert document_state(SURE, ["The bill's total differs"]) == TO_REVIEW
    assert document_state({**SURE, "currency": CONFIDENCE_THRESHOLD - 0.01}, []) == TO_REVIEW
    missing = dict(SURE)
    del missing["partner"]
    assert document_state(missing, []) == TO_REVIEW and document_state(None, []) == TO_REVIEW


def test_the_fields_to_check_key_fields_first_then_doubtful_others():
    confidence = {"due_date": 0.5, "partner": 0.5, "po_reference": 0.0, "invoice_number": 1.0}
    assert low_confidence_keys(confidence) == ["partner", "issue_date", "currency", "amount_total", "due_date"]
    assert low_confidence_keys({**SURE, "lines": 0.95}) == []
    assert is_low("amount_total", 0.0) and not is_low("po_reference", 0.0), "a field not found is not doubtful"


@pytest.mark.parametrize(
    "states, labels",
    [(DOCUMENT_STATES, DOCUMENT_STATE_LABELS), (MATCH_STATES, MATCH_STATE_LABELS), (MAIL_STATES, MAIL_STATE_LABELS)],
)
def test_every_state_has_one_label_and_the_selection_keeps_their_order(states, labels):
    assert len(set(states)) == len(states) and set(labels) == set(states)
    assert [state for state, _label in selection(states, labels)] == list(states)
