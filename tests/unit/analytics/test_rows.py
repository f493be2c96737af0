"""Domain events as analytics rows: typed fields lifted out, the rest kept, nothing refused."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import orjson

from contracts.events import DomainEvent, MessageCreated, TurnCompleted, WorkspaceCreated
from storage.analytics.rows import event_row

WORKSPACE = uuid.uuid4()


def test_a_completed_turn_keeps_its_bot_latency_and_tokens() -> None:
    bot, thread, turn = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    data = TurnCompleted(
        turn_id=turn,
        thread_id=thread,
        bot_id=bot,
        bot_version=2,
        model="echo",
        latency_ms=42,
        prompt_tokens=7,
        completion_tokens=9,
    )
    event = DomainEvent.of(data, WORKSPACE, operation_id="op-1", trace_id="tr-1")
    row = event_row(event)
    assert row["event_id"] == str(event.event_id)
    assert row["workspace_id"] == str(WORKSPACE)
    assert row["type"] == "turn.completed"
    assert (row["bot_id"], row["thread_id"], row["turn_id"]) == (str(bot), str(thread), str(turn))
    assert (row["latency_ms"], row["prompt_tokens"], row["completion_tokens"]) == (42, 7, 9)
    assert (row["model"], row["operation_id"], row["trace_id"]) == ("echo", "op-1", "tr-1")
    assert orjson.loads(row["data"]) == event.data


def test_a_message_keeps_its_role_and_size() -> None:
    data = MessageCreated(
        message_id=uuid.uuid4(),
        thread_id=uuid.uuid4(),
        bot_id=uuid.uuid4(),
        role="assistant",
        seq=2,
        characters=120,
    )
    row = event_row(DomainEvent.of(data, WORKSPACE))
    assert (row["role"], row["characters"], row["latency_ms"]) == ("assistant", 120, None)


def test_other_events_are_kept_with_empty_analytics_fields() -> None:
    row = event_row(DomainEvent.of(WorkspaceCreated(name="Acme"), WORKSPACE))
    assert (row["bot_id"], row["latency_ms"], row["prompt_tokens"], row["model"]) == (
        None,
        None,
        0,
        "",
    )
    assert orjson.loads(row["data"]) == {"name": "Acme"}


def test_unexpected_values_of_a_newer_version_are_ignored_not_fatal() -> None:
    event = DomainEvent(
        type="turn.completed",
        version=2,
        workspace_id=WORKSPACE,
        data={"bot_id": "not-a-uuid", "latency_ms": -5, "prompt_tokens": "7", "model": 3},
    )
    row = event_row(event)
    assert (row["bot_id"], row["latency_ms"], row["prompt_tokens"], row["model"]) == (
        None,
        None,
        0,
        "",
    )
    assert row["version"] == 2


def test_occurred_at_is_written_in_utc_with_microseconds() -> None:
    moment = datetime(2024, 3, 10, 12, 30, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    event = DomainEvent(
        type="workspace.created", workspace_id=WORKSPACE, occurred_at=moment, data={}
    )
    assert event_row(event)["occurred_at"] == "2024-03-10 10:30:00.123456"
    assert moment.astimezone(UTC).hour == 10
