"""The outbox relay's loop and record format, on in-memory fakes (the real table and broker are
exercised in tests/integration/events)."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
import pytest

from contracts.events import BotCreated, DomainEvent
from handlers.runtime.outbox_relay import OutboxRelay, RelayTiming, to_record
from tests.unit.runtime.fakes import FakeEventBroker, FakeOutboxStore

FAST = RelayTiming(poll_interval_s=0.01, max_backoff_s=0.02, purge_every_s=3600)


def stored_event(workspace_id: uuid.UUID | None = None) -> dict[str, Any]:
    """An event as the outbox stores it (`DomainEvent` dumped as JSON)."""
    data = BotCreated(bot_id=uuid.uuid4(), name="b")
    event = DomainEvent.of(data, workspace_id or uuid.uuid4(), operation_id="op-1")
    return event.model_dump(mode="json")


async def eventually(condition: Callable[[], bool], timeout_s: float = 2.0) -> None:
    for _ in range(int(timeout_s / 0.005)):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the condition never held")


@pytest.fixture
async def running() -> AsyncIterator[Callable[..., OutboxRelay]]:
    """Start relays on fakes; each one is stopped at the end of the test."""
    relays: list[OutboxRelay] = []

    def start(
        store: FakeOutboxStore, broker: FakeEventBroker, timing: RelayTiming = FAST
    ) -> OutboxRelay:
        relay = OutboxRelay(store, broker, timing)
        relays.append(relay)
        return relay

    yield start
    for relay in relays:
        await relay.stop(grace_s=1)


def test_a_record_is_keyed_by_workspace_and_names_its_event_in_headers() -> None:
    workspace_id = uuid.uuid4()
    stored = stored_event(workspace_id)

    record = to_record(stored)

    assert record.key == str(workspace_id).encode()
    assert record.headers == {
        "event_id": stored["event_id"],
        "event_type": "bot.created",
        "content-type": "application/json",
    }
    event = DomainEvent.model_validate(orjson.loads(record.value))
    assert event.model_dump(mode="json") == stored
    assert isinstance(event.typed_data(), BotCreated)


async def test_the_backlog_drains_batch_after_batch_then_the_relay_polls(
    running: Callable[..., OutboxRelay],
) -> None:
    store = FakeOutboxStore(pending=[stored_event() for _ in range(5)], batch_size=2)
    broker = FakeEventBroker()
    relay = running(store, broker)

    await relay.start()
    await eventually(lambda: store.rounds >= 6)

    assert store.pending == []
    assert len(broker.records) == 5
    assert len({r.headers["event_id"] for r in broker.records}) == 5


async def test_an_event_committed_later_is_picked_up_by_the_next_poll(
    running: Callable[..., OutboxRelay],
) -> None:
    store, broker = FakeOutboxStore(), FakeEventBroker()
    relay = running(store, broker)
    await relay.start()
    await eventually(lambda: store.rounds >= 2)

    store.pending.append(stored_event())

    await eventually(lambda: len(broker.records) == 1)


async def test_database_and_broker_failures_are_retried_and_nothing_is_lost(
    running: Callable[..., OutboxRelay],
) -> None:
    store = FakeOutboxStore(
        pending=[stored_event() for _ in range(3)],
        failures=[OSError("connection refused"), ConnectionResetError("gone")],
    )
    broker = FakeEventBroker(failures=[TimeoutError("no ack"), TimeoutError("no ack")])
    relay = running(store, broker)

    await relay.start()
    await eventually(lambda: not store.pending)

    assert len(broker.records) == 3
    assert store.rounds >= 2 + 2 + 2  # two database failures, two broker failures, two batches


async def test_a_failing_purge_does_not_stop_the_relay(
    running: Callable[..., OutboxRelay],
) -> None:
    store = FakeOutboxStore(purge_error=OSError("purge failed"))
    broker = FakeEventBroker()
    relay = running(store, broker, RelayTiming(poll_interval_s=0.01, purge_every_s=0.0))
    await relay.start()
    await eventually(lambda: store.purges >= 2)

    store.pending.append(stored_event())

    await eventually(lambda: len(broker.records) == 1)


async def test_the_purge_runs_once_per_interval_not_once_per_round(
    running: Callable[..., OutboxRelay],
) -> None:
    store, broker = FakeOutboxStore(), FakeEventBroker()
    relay = running(store, broker)

    await relay.start()
    await eventually(lambda: store.rounds >= 5)

    assert store.purges == 1


async def test_stop_wakes_an_idle_relay_at_once_and_closes_the_store() -> None:
    store, broker = FakeOutboxStore(), FakeEventBroker()
    relay = OutboxRelay(store, broker, RelayTiming(poll_interval_s=60))
    await relay.start()
    await eventually(lambda: store.rounds == 1)

    async with asyncio.timeout(1):
        await relay.stop()

    assert store.closed
