"""Reading what the outbox relay published: the `events` topic of the test prefix, one
workspace at a time, and the outbox rows behind it."""

import asyncio
from collections.abc import Callable
from typing import Any, TypeAlias
from uuid import UUID

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.events import DomainEvent
from contracts.topics import events_topic
from storage.schema.events import outbox
from tests.support.kafka import header

Record: TypeAlias = ConsumerRecord[bytes, bytes]


async def workspace_records(
    settings: Settings,
    workspace_id: UUID,
    done: Callable[[list[Record]], bool],
    timeout_s: float = 30.0,
) -> list[Record]:
    """The workspace's records on the events topic, read from the beginning until `done` holds
    for them (duplicates included, as a consumer would see them); `done` is asked after each."""
    consumer = AIOKafkaConsumer(
        events_topic(settings.topic_prefix),
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    key, found = str(workspace_id).encode(), []
    await consumer.start()
    try:
        async with asyncio.timeout(timeout_s):
            async for record in consumer:
                if record.key == key:
                    found.append(record)
                    if done(found):
                        return found
    except TimeoutError:
        types = sorted(header(r, "event_type") or "?" for r in found)
        raise AssertionError(f"{len(found)} records of {workspace_id} so far: {types}") from None
    finally:
        await consumer.stop()
    raise AssertionError("the events topic ended")  # an endless stream: unreachable


def event_of(record: Record) -> DomainEvent:
    return DomainEvent.model_validate_json(record.value or b"")


def has_event_ids(expected: set[UUID]) -> Callable[[list[Record]], bool]:
    """Done once every expected event id was read (each record is decoded once)."""
    missing = set(expected)

    def done(records: list[Record]) -> bool:
        missing.discard(event_of(records[-1]).event_id)
        return not missing

    return done


async def outbox_rows(db: AsyncEngine, workspace_id: UUID) -> list[dict[str, Any]]:
    """The workspace's outbox rows, oldest first (as the owner: the app role may not read)."""
    async with db.connect() as conn:
        rows = await conn.execute(
            select(outbox)
            .where(outbox.c.workspace_id == workspace_id)
            .order_by(outbox.c.occurred_at)
        )
        return [dict(row._mapping) for row in rows]


async def rows_of_operation(db: AsyncEngine, operation_id: str) -> list[str]:
    """The event types the outbox holds for one operation id."""
    async with db.connect() as conn:
        rows = await conn.execute(
            select(outbox.c.event_type)
            .where(outbox.c.event["operation_id"].astext == operation_id)
            .order_by(outbox.c.occurred_at)
        )
        return list(rows.scalars())


async def unpublished(db: AsyncEngine, workspace_id: UUID) -> int:
    async with db.connect() as conn:
        query = (
            select(func.count())
            .select_from(outbox)
            .where(outbox.c.workspace_id == workspace_id, outbox.c.published_at.is_(None))
        )
        return int((await conn.execute(query)).scalar_one())


async def all_published(db: AsyncEngine, workspace_id: UUID, timeout_s: float = 30.0) -> None:
    for _ in range(int(timeout_s / 0.1)):
        if await unpublished(db, workspace_id) == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(
        f"{await unpublished(db, workspace_id)} events of {workspace_id} unpublished"
    )
