"""The sync's vocabularies: each member carries its stored value and its label, and the selections the models
build from them keep declaration order and leave out what a field never holds."""

from account_sync.engine.states import DONE_STATES, RETRY_STATES, RecordKind, SyncState


def test_members_compare_equal_to_the_values_odoo_stores():
    assert SyncState("error") is SyncState.ERROR
    assert RecordKind.CREDIT_NOTE == "credit_note"
    assert {SyncState.SYNCED: 1}["synced"] == 1  # same hash: a value read from SQL finds the member's entry
    assert f"{SyncState.PENDING}" == "pending"


def test_every_member_has_a_label_the_user_reads():
    for vocabulary in (SyncState, RecordKind):
        for member in vocabulary:
            assert member.label and member.label != member.value, member


def test_binding_states_leave_out_none_and_keep_their_order():
    assert SyncState.selection(exclude=(SyncState.NONE,)) == [
        ("pending", "Pending"),
        ("synced", "Synced"),
        ("error", "Error"),
        ("voided", "Voided"),
    ]
    assert SyncState.selection()[0] == ("none", "Not synced")
    kinds = [value for value, _label in RecordKind.selection()]
    assert kinds == ["contact", "invoice", "bill", "credit_note", "payment"]


def test_retry_and_done_states_do_not_overlap():
    assert not set(RETRY_STATES) & set(DONE_STATES)
