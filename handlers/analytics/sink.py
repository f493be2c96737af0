"""The sink: `events` records into the analytics store, at least once, in batches.

A plain aiokafka consumer in a group of its own (`<prefix>analytics-sink`), with auto-commit
off: a batch is taken (up to `analytics_batch_size` records, or what arrived within
`analytics_flush_interval_s` of its first record), inserted, and only then are its offsets
committed. A crash between insert and commit redelivers the batch, and the store counts each
event id once (ReplacingMergeTree read with FINAL), so a kill loses nothing and double-counts
nothing. A failed insert is retried, with backoff, until it succeeds or the process stops:
offsets never pass an event that is not stored. A commit refused by a rebalance is harmless
for the same reason.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from aiokafka.errors import KafkaError

from config.settings import Settings
from contracts.topics import consumer_group, events_topic
from handlers.analytics.batch import decode, next_offsets
from handlers.analytics.store_handle import StoreHandle
from handlers.runtime.failures import backoff_s

log = structlog.get_logger("analytics.sink")
Records = list[ConsumerRecord[bytes, bytes]]
T = TypeVar("T")
# A stop waits this long for the batch in hand (an insert cannot be interrupted midway).
STOP_GRACE_S = 10.0


class Stopping(Exception):
    """The process is stopping: leave the batch uncommitted for the next run."""


def sink_group(prefix: str) -> str:
    return f"{consumer_group('analytics', prefix)}-sink"


class EventSink:
    def __init__(self, settings: Settings, store: StoreHandle) -> None:
        self._settings = settings
        self._store = store
        self._batch_size = settings.analytics_batch_size
        self._flush_s = settings.analytics_flush_interval_s
        self._consumer: AIOKafkaConsumer | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        # Built here, inside the running event loop, like every aiokafka client.
        self._consumer = AIOKafkaConsumer(
            events_topic(self._settings.topic_prefix),
            bootstrap_servers=self._settings.kafka_bootstrap,
            group_id=sink_group(self._settings.topic_prefix),
            client_id="switchboard-analytics-sink",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self._batch_size,
        )
        await self._consumer.start()
        self._task = asyncio.create_task(self._run(self._consumer), name="analytics-sink")
        self._task.add_done_callback(_report_crash)

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            done, _ = await asyncio.wait([self._task], timeout=STOP_GRACE_S)
            if not done:
                log.warning("sink_stop_timed_out")
                self._task.cancel()
        # Leaving the group commits nothing: what was not committed is read again next time.
        if self._consumer is not None:
            await self._consumer.stop()
        await self._store.close()

    async def _run(self, consumer: AIOKafkaConsumer) -> None:
        try:
            # Open (and migrate) the store before the first batch, so its tables exist from
            # the start; an unreachable store is retried like a failed insert.
            await self._retrying("store_open", self._store.get)
            while not self._stopping.is_set():
                records = await self._collect(consumer)
                if records:
                    await self._store_records(records)
                    await self._commit(consumer, records)
        except Stopping:
            return

    async def _collect(self, consumer: AIOKafkaConsumer) -> Records:
        """Wait for a first record, then gather more until the batch is full or due."""
        batch = await self._poll(consumer, self._flush_s, self._batch_size)
        due = time.monotonic() + self._flush_s
        while batch and len(batch) < self._batch_size and (left := due - time.monotonic()) > 0:
            batch += await self._poll(consumer, left, self._batch_size - len(batch))
        return batch

    async def _poll(self, consumer: AIOKafkaConsumer, timeout_s: float, limit: int) -> Records:
        async def poll() -> Records:
            found = await consumer.getmany(timeout_ms=int(timeout_s * 1000), max_records=limit)
            return [record for records in found.values() for record in records]

        return await self._retrying("events_poll", poll)

    async def _store_records(self, records: Records) -> None:
        decoded = decode(records)
        for record in decoded.undecodable:
            log.error(
                "event_undecodable_skipped",
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
            )

        async def insert() -> None:
            started = time.perf_counter()
            await (await self._store.get()).insert_events(decoded.rows)
            ms = round((time.perf_counter() - started) * 1000, 1)
            log.info("events_stored", count=len(decoded.rows), ms=ms)

        await self._retrying("events_store", insert)

    async def _retrying(self, what: str, action: Callable[[], Awaitable[T]]) -> T:
        """Until it succeeds: a failing store or broker stalls the sink, never makes it skip."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return await action()
            except Exception as exc:
                log.warning(
                    f"{what}_failed", attempt=attempt, error=f"{type(exc).__name__}: {exc}"[:300]
                )
            if self._stopping.is_set():
                raise Stopping
            await asyncio.sleep(backoff_s(attempt, 0.2))

    async def _commit(self, consumer: AIOKafkaConsumer, records: Records) -> None:
        try:
            await consumer.commit(next_offsets(records))
        except KafkaError as exc:
            # A rebalance took the partitions: their new owner re-reads from the last commit.
            log.warning("events_commit_refused", error=f"{type(exc).__name__}: {exc}"[:300])


def _report_crash(task: asyncio.Task[None]) -> None:
    # Every expected failure is retried inside the task; one that ends it is a bug to see.
    if not task.cancelled() and (exc := task.exception()) is not None:
        log.error("sink_crashed", error=f"{type(exc).__name__}: {exc}"[:300])
