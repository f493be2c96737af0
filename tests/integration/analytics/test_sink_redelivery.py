"""A batch stored but never committed (the process died in between) is read and stored again
by the next sink, and still counted once: at least once into the store, exactly once out."""

import asyncio
import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from config.settings import Settings
from handlers.analytics.sink import EventSink
from handlers.analytics.store_handle import StoreHandle
from storage.analytics import AnalyticsStore, UsageQuery
from storage.analytics.port import EventRow
from tests.integration.analytics.events import at, publish, turn
from tests.integration.analytics.test_chdb_store import raw_count

EVENTS = 50


class Crash(BaseException):
    """The process dying right after an insert: nothing of the sink runs after it."""


class CrashAfterFirstInsert(StoreHandle):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.crashed = asyncio.Event()

    async def get(self) -> AnalyticsStore:
        return _Crashing(await super().get(), self.crashed)


class _Crashing:
    def __init__(self, store: AnalyticsStore, crashed: asyncio.Event) -> None:
        self._store, self._crashed = store, crashed
        self.backend, self.location = store.backend, store.location

    async def insert_events(self, rows: list[EventRow]) -> None:
        await self._store.insert_events(rows)
        self._crashed.set()
        raise Crash

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.mark.timeout(120)
async def test_a_batch_stored_but_not_committed_is_redelivered_and_counted_once(
    local_settings: Settings, local_store: AnalyticsStore, producer: AIOKafkaProducer
) -> None:
    workspace, bot = uuid.uuid4(), uuid.uuid4()
    events = [turn(workspace, bot, at(5, i), latency_ms=i) for i in range(EVENTS)]
    await publish(producer, local_settings, events)

    first = CrashAfterFirstInsert(local_settings)
    sink = EventSink(local_settings, first)
    await sink.start()
    await asyncio.wait_for(first.crashed.wait(), 60)
    await sink.stop()  # leaves the group without committing
    stored_once = raw_count(local_settings, workspace)
    assert 0 < stored_once <= EVENTS

    sink = EventSink(local_settings, StoreHandle(local_settings))
    await sink.start()
    try:
        query = UsageQuery(workspace, at(0), at(0, day=1))
        for _ in range(300):  # up to a minute for the second sink to store the batch again
            if raw_count(local_settings, workspace) >= stored_once + EVENTS:
                break
            await asyncio.sleep(0.2)
        [item] = await local_store.usage(query)
    finally:
        await sink.stop()
    assert raw_count(local_settings, workspace) == stored_once + EVENTS  # the copies are there
    assert item.turns == EVENTS  # and count once
