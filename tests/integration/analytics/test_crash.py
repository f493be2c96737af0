"""The analytics process killed (SIGKILL) or stopped (SIGTERM) while events stream in: after
its restart every event is counted exactly once (batches stored but not committed come again
and are deduplicated by event id; nothing committed was left unstored)."""

import asyncio
import signal
import time
import uuid

import pytest
from aiohttp import ClientSession
from aiokafka import AIOKafkaProducer

from config.settings import Settings
from gateway.bus_client import BusClient
from tests.integration.analytics.conftest import get_usage, usage_when
from tests.integration.analytics.events import at, publish, turn
from tests.support.callers import Caller
from tests.support.stack import HandlerProcesses, wait_until_groups_answer

EVENTS, CHUNK = 600, 20
WINDOW = {"from": "2024-03-10T00:00:00Z", "to": "2024-03-11T00:00:00Z"}


def turns_of(items: list[dict[str, object]]) -> int:
    return sum(int(str(item["turns"])) for item in items)


async def stream(settings: Settings, producer: AIOKafkaProducer, caller: Caller) -> None:
    bot = uuid.uuid4()
    events = [
        turn(caller.workspace_id, bot, at(i % 24, i % 60), latency_ms=i, prompt_tokens=1)
        for i in range(EVENTS)
    ]
    for start in range(0, EVENTS, CHUNK):
        await publish(producer, settings, events[start : start + CHUNK])
        await asyncio.sleep(0.05)


@pytest.mark.timeout(180)
async def test_a_killed_sink_resumes_losing_and_double_counting_nothing(
    settings: Settings,
    producer: AIOKafkaProducer,
    api: ClientSession,
    bus: BusClient,
    handlers: HandlerProcesses,
    caller: Caller,
) -> None:
    streaming = asyncio.create_task(stream(settings, producer, caller))
    # Kill it as soon as it has stored something, while the stream goes on.
    stored = await usage_when(api, caller.headers, lambda items: turns_of(items) > 0, **WINDOW)
    handlers.kill("analytics")
    killed_at = turns_of(stored)
    await streaming
    handlers.start("analytics")
    await wait_until_groups_answer(bus, settings, timeout_s=60)

    items = await usage_when(
        api, caller.headers, lambda items: turns_of(items) >= EVENTS, timeout_s=90, **WINDOW
    )
    assert killed_at < EVENTS, "the sink finished before the kill; the test proved nothing"
    assert turns_of(items) == EVENTS
    assert sum(int(item["prompt_tokens"]) for item in items) == EVENTS
    # Still exact a moment later: nothing redelivered is counted twice.
    await asyncio.sleep(1.5)
    status, body = await get_usage(api, caller.headers, **WINDOW)
    assert status == 200
    assert turns_of(body["items"]) == EVENTS


@pytest.mark.timeout(180)
async def test_a_stopped_sink_exits_cleanly_and_its_successor_counts_each_event_once(
    settings: Settings,
    producer: AIOKafkaProducer,
    api: ClientSession,
    bus: BusClient,
    handlers: HandlerProcesses,
    caller: Caller,
) -> None:
    streaming = asyncio.create_task(stream(settings, producer, caller))
    stored = await usage_when(api, caller.headers, lambda items: turns_of(items) > 0, **WINDOW)
    started = time.monotonic()
    exit_code = await asyncio.to_thread(handlers.stop, "analytics", signal.SIGTERM)
    stopping_s = time.monotonic() - started
    await streaming
    handlers.start("analytics")
    await wait_until_groups_answer(bus, settings, timeout_s=60)

    items = await usage_when(
        api, caller.headers, lambda items: turns_of(items) >= EVENTS, timeout_s=90, **WINDOW
    )
    assert turns_of(stored) < EVENTS, "the sink finished before the signal; the test proved nothing"
    assert exit_code == 0, "the analytics group did not shut down cleanly on SIGTERM"
    assert stopping_s < 15, f"the sink took {stopping_s:.1f} s to stop"
    assert turns_of(items) == EVENTS
