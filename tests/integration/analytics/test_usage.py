"""Usage through the real broker: events published to the `events` topic (as the outbox relay
publishes them, duplicates included) come back from `GET /v1/analytics/usage` counted once,
per bucket and bot, for the caller's workspace only."""

import uuid
from typing import Any

import pytest
from aiohttp import ClientSession
from aiokafka import AIOKafkaProducer

from config.settings import Settings
from contracts.events import DomainEvent
from tests.integration.analytics.conftest import get_usage, usage_when
from tests.integration.analytics.events import (
    assert_usage,
    at,
    expected,
    failed_turn,
    message,
    publish,
    turn,
)
from tests.support.callers import Caller, mint_caller

WINDOW = {"from": "2024-03-10T00:00:00Z", "to": "2024-03-12T00:00:00Z"}


def activity(caller: Caller, bots: list[uuid.UUID], latencies: list[int]) -> list[DomainEvent]:
    """Turns, failures and messages over two hours of one day and one hour of the next."""
    first, second = bots
    events = []
    for i, latency in enumerate(latencies):
        when = at(10 + i % 2, 5 + i)
        events += [
            message(caller.workspace_id, first, when),
            turn(caller.workspace_id, first, when, latency, 10 + i, 20 + i),
            message(caller.workspace_id, first, when, role="assistant"),
        ]
    events += [
        failed_turn(caller.workspace_id, first, at(11, 40), 5000),
        turn(caller.workspace_id, second, at(10, 30), 77, 3, 4),
        message(caller.workspace_id, second, at(3, 0, day=1)),
    ]
    return events


@pytest.fixture
async def two_workspaces(
    settings: Settings,
    producer: AIOKafkaProducer,
    caller: Caller,
    other_caller: Caller,
    api: ClientSession,
) -> dict[str, Any]:
    """A's and B's events, A's each published twice and a third of them three times; B's
    uses one of A's bot ids too. Returns once both workspaces' last events are visible."""
    bots = [uuid.uuid4(), uuid.uuid4()]
    a_events = activity(caller, bots, [120, 80, 300, 45, 210, 95, 150])
    b_events = activity(other_caller, [bots[0], uuid.uuid4()], [1, 2, 3])
    await publish(producer, settings, a_events[::3], copies=3)
    await publish(producer, settings, a_events, copies=2)
    await publish(producer, settings, b_events)
    # Each workspace's records share a partition and are stored in order: once its last event
    # (the next day's message) shows, all of its events are in.
    for who in (caller, other_caller):
        await usage_when(api, who.headers, lambda items: len(items) == 3, **WINDOW)
    return {"bots": bots, "a": a_events, "b": b_events}


@pytest.mark.timeout(120)
async def test_usage_counts_each_event_once_per_hour_and_bot(
    api: ClientSession, caller: Caller, two_workspaces: dict[str, Any]
) -> None:
    status, body = await get_usage(api, caller.headers, bucket="hour", **WINDOW)
    assert status == 200, body
    assert_usage(body["items"], expected(two_workspaces["a"], "hour"))
    assert [item["bucket_start"] for item in body["items"]] == [
        "2024-03-10T10:00:00Z",
        "2024-03-10T10:00:00Z",
        "2024-03-10T11:00:00Z",
        "2024-03-11T03:00:00Z",
    ]
    assert (body["bucket"], body["from"], body["to"]) == ("hour", WINDOW["from"], WINDOW["to"])


@pytest.mark.timeout(120)
async def test_daily_buckets_add_the_hours_up(
    api: ClientSession, caller: Caller, two_workspaces: dict[str, Any]
) -> None:
    status, body = await get_usage(api, caller.headers, bucket="day", **WINDOW)
    assert status == 200, body
    items = body["items"]
    assert_usage(items, expected(two_workspaces["a"], "day"))
    first_bot = str(two_workspaces["bots"][0])
    totals = next(i for i in items if i["bot_id"] == first_bot)
    # 7 completed + 1 failed turn, 14 messages, latency over the completed turns only.
    assert (totals["turns"], totals["failed_turns"], totals["messages"]) == (8, 1, 14)
    assert totals["p50_latency_ms"] == 120
    assert totals["prompt_tokens"] == sum(10 + i for i in range(7))


@pytest.mark.timeout(120)
async def test_the_window_and_the_bot_filter_narrow_the_answer(
    api: ClientSession, caller: Caller, two_workspaces: dict[str, Any]
) -> None:
    second_bot = str(two_workspaces["bots"][1])
    status, body = await get_usage(api, caller.headers, bucket="day", bot_id=second_bot, **WINDOW)
    assert status == 200, body
    assert [(i["bucket_start"], i["turns"], i["messages"]) for i in body["items"]] == [
        ("2024-03-10T00:00:00Z", 1, 0),
        ("2024-03-11T00:00:00Z", 0, 1),
    ]
    # From 10:07 (inclusive: the third turn is at 10:07 sharp) to 11:06 (exclusive: the
    # second turn is at 11:06 sharp).
    window = {"from": "2024-03-10T10:07:00Z", "to": "2024-03-10T11:06:00Z"}
    status, body = await get_usage(api, caller.headers, bucket="hour", **window)
    assert status == 200, body
    inside = [e for e in two_workspaces["a"] if at(10, 7) <= e.occurred_at < at(11, 6)]
    assert_usage(body["items"], expected(inside, "hour"))
    # 10:07, 10:09, 10:11 and the other bot's 10:30
    assert sum(item["turns"] for item in body["items"]) == 4


@pytest.mark.timeout(120)
async def test_each_workspace_sees_only_its_own_usage(
    settings: Settings,
    api: ClientSession,
    caller: Caller,
    other_caller: Caller,
    two_workspaces: dict[str, Any],
) -> None:
    shared_bot = str(two_workspaces["bots"][0])
    status, a_body = await get_usage(api, caller.headers, bucket="day", bot_id=shared_bot, **WINDOW)
    assert status == 200
    assert_usage(
        a_body["items"],
        expected([e for e in two_workspaces["a"] if str(e.data["bot_id"]) == shared_bot], "day"),
    )
    status, b_body = await get_usage(api, other_caller.headers, bucket="day", **WINDOW)
    assert status == 200
    assert_usage(b_body["items"], expected(two_workspaces["b"], "day"))
    # A workspace with no events at all: an empty answer, not someone else's.
    status, body = await get_usage(api, mint_caller(settings).headers, **WINDOW)
    assert (status, body["items"]) == (200, [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2024-03-12T00:00:00Z", "to": "2024-03-10T00:00:00Z"}, "body"),
        ({"from": "2024-01-01T00:00:00Z", "to": "2025-01-03T00:00:00Z"}, "body"),
        ({"from": "2024-01-01T00:00:00Z", "to": "2024-03-01T00:00:00Z", "bucket": "hour"}, "body"),
        ({**WINDOW, "bucket": "week"}, "bucket"),
        ({**WINDOW, "bot_id": "not-a-uuid"}, "bot_id"),
        ({"to": "2024-03-10T00:00:00Z"}, "from"),
        ({**WINDOW, "from": "yesterday"}, "from"),
        ({**WINDOW, "workspace_id": str(uuid.uuid4())}, "workspace_id"),
    ],
)
async def test_bad_queries_are_422_before_reaching_the_bus(
    api: ClientSession, caller: Caller, params: dict[str, str], field: str
) -> None:
    status, body = await get_usage(api, caller.headers, **params)
    assert status == 422, body
    assert body["code"] == "VALIDATION_ERROR"
    assert field in {f["field"] for f in body["details"]["fields"]}


async def test_usage_needs_a_token(api: ClientSession) -> None:
    status, body = await get_usage(api, {}, **WINDOW)
    assert (status, body["code"]) == (401, "UNAUTHORIZED")
