"""`analytics.usage` payloads: a window in UTC, bounded, with a known bucket."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.commands.analytics import GetUsage


def usage(**fields: Any) -> GetUsage:
    return GetUsage.model_validate({"from": "2024-03-01", "to": "2024-03-02", **fields})


def test_from_travels_as_from_both_ways_and_defaults_stay_off_the_wire() -> None:
    payload = usage(bucket="hour")
    assert payload.from_ == datetime(2024, 3, 1, tzinfo=UTC)
    wire = payload.model_dump(mode="json", exclude_unset=True)
    assert wire == {"from": "2024-03-01T00:00:00Z", "to": "2024-03-02T00:00:00Z", "bucket": "hour"}
    assert GetUsage.model_validate(wire) == payload


def test_times_with_an_offset_become_utc_and_bare_times_are_utc() -> None:
    payload = usage(**{"from": "2024-03-01T02:00:00+02:00", "to": "2024-03-01T12:00:00"})
    assert payload.from_ == datetime(2024, 3, 1, 0, tzinfo=UTC)
    assert payload.to == datetime(2024, 3, 1, 12, tzinfo=UTC)
    assert payload.bucket == "day"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"from": "2024-03-02", "to": "2024-03-01"}, "from must be before to"),
        ({"from": "2024-03-01", "to": "2024-03-01"}, "from must be before to"),
        ({"from": "2024-01-01", "to": "2025-01-03"}, "at most 366 days"),
        ({"from": "2024-01-01", "to": "2024-02-02", "bucket": "hour"}, "at most 31 days"),
        ({"from": "1999-12-31"}, "between 2000 and 2100"),
        ({"from": "0001-01-01T00:00:00+01:00"}, "between 2000 and 2100"),
        ({"bucket": "week"}, "'hour' or 'day'"),
        ({"bot_id": "not-a-uuid"}, "UUID"),
        ({"workspace_id": "11111111-1111-1111-1111-111111111111"}, "Extra inputs"),
    ],
)
def test_bad_windows_are_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        usage(**fields)


def test_a_full_year_of_days_and_a_month_of_hours_are_allowed() -> None:
    assert usage(**{"from": "2024-01-01", "to": "2025-01-01"}).bucket == "day"
    assert usage(**{"from": "2024-01-01", "to": "2024-02-01", "bucket": "hour"}).bucket == "hour"


def test_from_and_to_are_required() -> None:
    with pytest.raises(ValidationError, match="Field required"):
        GetUsage.model_validate({"to": "2024-03-02"})
