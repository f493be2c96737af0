"""What the audit log records of a change: before and after of the changed fields only."""

from handlers.bots.changes import changed_fields


def test_only_fields_that_differ_are_recorded() -> None:
    before = {"name": "Old", "description": "Same", "current_version": 1}
    after = {"name": "New", "description": "Same"}
    assert changed_fields(before, after) == {
        "before": {"name": "Old"},
        "after": {"name": "New"},
    }


def test_no_difference_is_no_change() -> None:
    assert changed_fields({"name": "Same", "description": "d"}, {"name": "Same"}) == {}
    assert changed_fields({"name": "Same"}, {}) == {}


def test_a_field_absent_before_counts_as_none() -> None:
    assert changed_fields({}, {"archived_at": "2030-01-01T00:00:00+00:00"}) == {
        "before": {"archived_at": None},
        "after": {"archived_at": "2030-01-01T00:00:00+00:00"},
    }
    assert changed_fields({"archived_at": None}, {"archived_at": None}) == {}


def test_several_fields_keep_their_order() -> None:
    changes = changed_fields({"name": "a", "description": "b"}, {"description": "B", "name": "A"})
    assert list(changes["after"]) == ["description", "name"]
    assert changes["before"] == {"description": "b", "name": "a"}
