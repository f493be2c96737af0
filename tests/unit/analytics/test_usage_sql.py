"""The usage query as built: buckets, tenant and bot filters, bound parameters, FINAL."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage.analytics.port import UsageQuery
from storage.analytics.usage_sql import usage_row, usage_sql

WORKSPACE = uuid.UUID("11111111-1111-1111-1111-111111111111")
START = datetime(2024, 3, 10, tzinfo=UTC)


def query(**overrides: object) -> UsageQuery:
    values: dict[str, object] = {
        "workspace_id": WORKSPACE,
        "start": START,
        "end": START + timedelta(days=1),
    }
    return UsageQuery(**{**values, **overrides})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bucket", "function"), [("hour", "toStartOfHour"), ("day", "toStartOfDay")]
)
def test_the_bucket_picks_the_start_function(bucket: str, function: str) -> None:
    sql, _ = usage_sql("switchboard", query(bucket=bucket))
    assert f"{function}(occurred_at) AS bucket_start" in sql
    assert "GROUP BY bucket_start, bot_id" in sql


def test_reads_final_rows_of_one_workspace_through_bound_parameters() -> None:
    sql, params = usage_sql("switchboard", query())
    assert "FROM `switchboard`.events FINAL" in sql
    assert "workspace_id = {workspace_id:UUID}" in sql
    assert str(WORKSPACE) not in sql  # values travel as parameters, never in the text
    assert params == {
        "workspace_id": str(WORKSPACE),
        "start": "2024-03-10 00:00:00.000000",
        "end": "2024-03-11 00:00:00.000000",
    }


def test_the_bot_filter_is_there_only_when_asked() -> None:
    bot = uuid.uuid4()
    without, params = usage_sql("switchboard", query())
    assert "bot_id =" not in without
    assert "bot_id" not in params
    with_bot, params = usage_sql("switchboard", query(bot_id=bot))
    assert "AND bot_id = {bot_id:UUID}" in with_bot
    assert params["bot_id"] == str(bot)


def test_times_are_sent_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    _, params = usage_sql("db", query(start=datetime(2024, 3, 10, 2, 0, tzinfo=plus_two)))
    assert params["start"] == "2024-03-10 00:00:00.000000"


def test_a_database_name_that_is_not_an_identifier_is_refused() -> None:
    with pytest.raises(ValueError, match="database"):
        usage_sql("x`; DROP TABLE events; --", query())


def test_a_result_line_becomes_a_usage_row() -> None:
    bot = uuid.uuid4()
    row = usage_row(
        {
            "bucket_start": "2024-03-10 10:00:00",
            "bot_id": str(bot),
            "turns": 3,
            "messages": "6",
            "failed_turns": 1,
            "p50_latency_ms": 15,
            "p95_latency_ms": None,
            "prompt_tokens": 9,
            "completion_tokens": 12,
        }
    )
    assert row.bucket_start == datetime(2024, 3, 10, 10, tzinfo=UTC)
    assert (row.bot_id, row.turns, row.messages, row.failed_turns) == (bot, 3, 6, 1)
    assert (row.p50_latency_ms, row.p95_latency_ms) == (15.0, None)
