"""Domain events for the analytics tests, published as the outbox relay does, and the usage
they must add up to (computed here independently of ClickHouse).

    events = [turn(ws, bot, at(10, 5), latency_ms=120), message(ws, bot, at(10, 5)), ...]
    await publish(producer, settings, events, copies=2)     # each record twice: redelivery
    assert_usage(body["items"], expected(events, "hour"))    # what the API must answer
"""

import math
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from aiokafka import AIOKafkaProducer

from config.settings import Settings
from contracts.events import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    DomainEvent,
    EventData,
    MessageCreated,
    TurnCompleted,
    TurnFailed,
)
from contracts.topics import events_topic

DAY = datetime(2024, 3, 10, tzinfo=UTC)


def at(hour: int, minute: int = 0, day: int = 0) -> datetime:
    return DAY + timedelta(days=day, hours=hour, minutes=minute)


def _event(data: EventData, workspace_id: UUID, occurred_at: datetime) -> DomainEvent:
    return DomainEvent.of(data, workspace_id).model_copy(update={"occurred_at": occurred_at})


def turn(
    workspace_id: UUID,
    bot_id: UUID,
    occurred_at: datetime,
    latency_ms: int,
    prompt_tokens: int = 10,
    completion_tokens: int = 20,
) -> DomainEvent:
    data = TurnCompleted(
        turn_id=uuid.uuid4(),
        thread_id=uuid.uuid4(),
        bot_id=bot_id,
        bot_version=1,
        model="echo",
        latency_ms=latency_ms,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )
    return _event(data, workspace_id, occurred_at)


def failed_turn(
    workspace_id: UUID, bot_id: UUID, occurred_at: datetime, latency_ms: int
) -> DomainEvent:
    data = TurnFailed(
        turn_id=uuid.uuid4(),
        thread_id=uuid.uuid4(),
        bot_id=bot_id,
        bot_version=1,
        model="echo",
        latency_ms=latency_ms,
        error="model timed out",
    )
    return _event(data, workspace_id, occurred_at)


def message(
    workspace_id: UUID, bot_id: UUID, occurred_at: datetime, role: str = "user"
) -> DomainEvent:
    data = MessageCreated(
        message_id=uuid.uuid4(),
        thread_id=uuid.uuid4(),
        bot_id=bot_id,
        role=role,
        seq=1,
        characters=5,
    )
    return _event(data, workspace_id, occurred_at)


async def publish(
    producer: AIOKafkaProducer, settings: Settings, events: list[DomainEvent], copies: int = 1
) -> None:
    """Each event as a record keyed by its workspace, `copies` times in a row."""
    for event in events:
        for _ in range(copies):
            await producer.send(
                events_topic(settings.topic_prefix),
                event.model_dump_json().encode(),
                key=str(event.workspace_id).encode(),
                headers=[
                    (EVENT_ID_HEADER, str(event.event_id).encode()),
                    (EVENT_TYPE_HEADER, event.type.encode()),
                ],
            )
    await producer.flush()


def percentile(values: list[int], q: float) -> float | None:
    """Linear interpolation between the closest ranks (numpy's default, ClickHouse's
    quantileExactInclusive)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def expected(events: list[DomainEvent], bucket: str) -> list[dict[str, Any]]:
    """The usage items these (distinct) events make, ordered like the API's."""
    groups: dict[tuple[datetime, str], list[DomainEvent]] = defaultdict(list)
    for event in events:
        start = event.occurred_at.replace(minute=0, second=0, microsecond=0)
        if bucket == "day":
            start = start.replace(hour=0)
        groups[(start, str(event.data["bot_id"]))].append(event)
    items = []
    for (start, bot_id), group in sorted(groups.items()):
        completed = [e.data for e in group if e.type == "turn.completed"]
        latencies = [d["latency_ms"] for d in completed]
        items.append(
            {
                "bucket_start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "bot_id": bot_id,
                "turns": sum(e.type in ("turn.completed", "turn.failed") for e in group),
                "messages": sum(e.type == "message.created" for e in group),
                "failed_turns": sum(e.type == "turn.failed" for e in group),
                "p50_latency_ms": percentile(latencies, 0.5),
                "p95_latency_ms": percentile(latencies, 0.95),
                "prompt_tokens": sum(d["prompt_tokens"] for d in completed),
                "completion_tokens": sum(d["completion_tokens"] for d in completed),
            }
        )
    return items


def assert_usage(actual: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> None:
    """Item by item, in order; percentiles may differ in the last bits of a float."""
    assert len(actual) == len(wanted), (actual, wanted)
    for got, want in zip(actual, wanted, strict=True):
        assert got == pytest.approx(want), (got, want)
