"""The outbox relay: publishes committed domain events from the `outbox` table to `events`.

    relay = outbox_relay(settings, broker)   # every handler group process runs one
    await relay.start()                       # a background task (FastStream after_startup)
    ...
    await relay.stop()                        # FastStream on_shutdown, before the broker stops

Each round is one owner-role transaction: lock up to `batch_size` unpublished rows, oldest
first, with `FOR UPDATE SKIP LOCKED` (so the relays of several processes share the backlog
instead of queueing behind each other), publish them and wait for the broker's acks, mark them
`published_at`, commit. A crash between the acks and the commit leaves the rows unpublished, so
a later round sends them again: delivery is at least once, consumers deduplicate by `event_id`,
and nothing committed is ever lost. Because relays work on separate batches in parallel, the
order of one workspace's events on the topic is only roughly `occurred_at` order; consumers
must not depend on more.

Errors (database or broker down) are logged and retried with backoff; the relay never dies
while its process runs.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final, Protocol

import orjson
import structlog
from faststream.kafka import KafkaBroker
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.events import EVENT_ID_HEADER, EVENT_TYPE_HEADER
from contracts.topics import events_topic
from handlers.runtime.failures import backoff_s
from storage.db import create_engine
from storage.schema.events import outbox

log = structlog.get_logger("outbox_relay")

# Any key fits: it only stops two relays from purging at once (`pg_try_advisory_xact_lock`).
_PURGE_LOCK: Final = 0x5B_0B0C


@dataclass(frozen=True)
class EventRecord:
    """One Kafka record of the events topic."""

    key: bytes
    value: bytes
    headers: dict[str, str]


def to_record(event: dict[str, Any]) -> EventRecord:
    """The record of a stored event (the `outbox.event` JSON, a `DomainEvent` dumped as JSON):
    keyed by workspace so each tenant's events stay on one partition."""
    return EventRecord(
        key=str(event["workspace_id"]).encode(),
        value=orjson.dumps(event),
        headers={
            EVENT_ID_HEADER: str(event["event_id"]),
            EVENT_TYPE_HEADER: str(event["type"]),
            "content-type": "application/json",
        },
    )


Publish = Callable[[Sequence[EventRecord]], Awaitable[None]]


def broker_publisher(broker: KafkaBroker, topic: str, timeout_s: float = 30.0) -> Publish:
    """Publish through the group's own producer (idempotent, acks=all): send the whole batch,
    then wait for every ack, so a batch costs about one round trip rather than one per event.
    `timeout_s` bounds how long a dead broker keeps the batch's transaction open."""

    async def publish(records: Sequence[EventRecord]) -> None:
        async with asyncio.timeout(timeout_s):
            await _publish(records)

    async def _publish(records: Sequence[EventRecord]) -> None:
        acks = [
            await broker.publish(
                r.value,
                topic,
                key=r.key,
                headers=r.headers,
                correlation_id=r.headers[EVENT_ID_HEADER],
                no_confirm=True,
            )
            for r in records
        ]
        await asyncio.gather(*acks)

    return publish


class PostgresOutbox:
    """The relay's side of the `outbox` table, as the owner role (it reads every tenant's rows;
    the application role may only insert them)."""

    def __init__(self, engine: AsyncEngine, batch_size: int = 200) -> None:
        self._engine = engine
        self._batch_size = batch_size

    async def relay_batch(self, publish: Publish) -> int:
        """Publish one batch of unpublished events and mark them; how many there were."""
        async with self._engine.begin() as conn:
            # The partial index on unpublished rows serves this, however long the table grows.
            oldest_unpublished = (
                select(outbox.c.event_id, outbox.c.event)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.occurred_at)
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            )
            rows = (await conn.execute(oldest_unpublished)).all()
            if not rows:
                return 0
            await publish([to_record(row.event) for row in rows])
            await conn.execute(
                update(outbox)
                .where(outbox.c.event_id.in_([row.event_id for row in rows]))
                .values(published_at=func.now())
            )
            return len(rows)

    async def purge_published(self, older_than: timedelta) -> int:
        """Delete rows published more than `older_than` ago (one relay at a time)."""
        async with self._engine.begin() as conn:
            if not await conn.scalar(
                text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _PURGE_LOCK}
            ):
                return 0
            deleted = await conn.execute(
                delete(outbox).where(outbox.c.published_at < func.now() - older_than)
            )
            return int(deleted.rowcount)

    async def close(self) -> None:
        await self._engine.dispose()


class OutboxStore(Protocol):
    async def relay_batch(self, publish: Publish) -> int: ...
    async def purge_published(self, older_than: timedelta) -> int: ...
    async def close(self) -> None: ...


@dataclass(frozen=True)
class RelayTiming:
    # How long an idle relay waits before looking again: the worst-case extra event latency.
    poll_interval_s: float = 0.2
    # After a failure: poll_interval_s, doubling per consecutive failure, up to this.
    max_backoff_s: float = 5.0
    # Published rows are kept this long (to inspect or re-publish by hand), then deleted.
    retention: timedelta = timedelta(days=7)
    purge_every_s: float = 60.0


class OutboxRelay:
    def __init__(
        self, outbox: OutboxStore, publish: Publish, timing: RelayTiming | None = None
    ) -> None:
        self._outbox = outbox
        self._publish = publish
        self._timing = timing or RelayTiming()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Run in the background (async: FastStream would run a plain function in a thread)."""
        self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self, grace_s: float = 10.0) -> None:
        """Let the batch in flight finish (or cancel it after `grace_s`: it is sent again later)."""
        self._stopping.set()
        if self._task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._task, grace_s)
        await self._outbox.close()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        failures, next_purge = 0, loop.time()
        while not self._stopping.is_set():
            try:
                relayed = await self._outbox.relay_batch(self._publish)
            except Exception as exc:
                failures += 1
                log.warning("outbox_relay_failed", attempt=failures, **_error(exc))
                await self._pause(
                    backoff_s(failures, self._timing.poll_interval_s, self._timing.max_backoff_s)
                )
                continue
            failures = 0
            if loop.time() >= next_purge:
                next_purge = loop.time() + self._timing.purge_every_s
                await self._purge()
            # A non-empty batch means more may be waiting: go again at once.
            if relayed == 0:
                await self._pause(self._timing.poll_interval_s)

    async def _purge(self) -> None:
        try:
            purged = await self._outbox.purge_published(self._timing.retention)
        except Exception as exc:
            log.warning("outbox_purge_failed", **_error(exc))
            return
        if purged:
            log.info("outbox_purged", rows=purged)

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake up at once when the relay is told to stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)


def _error(exc: Exception) -> dict[str, str]:
    return {"error": type(exc).__name__, "error_message": str(exc)[:300]}


def outbox_relay(settings: Settings, broker: KafkaBroker) -> OutboxRelay:
    """The relay of one handler group process: a small owner-role pool of its own (the group's
    pool is the application role, which may not read the outbox) and the group's producer."""
    engine = create_engine(settings.relay_database_url, pool_size=2)
    topic = events_topic(settings.topic_prefix)
    return OutboxRelay(PostgresOutbox(engine), broker_publisher(broker, topic))
