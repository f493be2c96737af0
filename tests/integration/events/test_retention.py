"""Published events are kept for the retention period, then purged; unpublished ones never are."""

import asyncio
import uuid
from datetime import timedelta
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.events import BotArchived, DomainEvent
from handlers.runtime.outbox_relay import PostgresOutbox
from storage.db import create_engine
from storage.outbox import Outbox
from storage.schema.events import outbox
from tests.support.callers import Caller


async def add_published(db: AsyncEngine, workspace_id: UUID, days_ago: int) -> UUID:
    """An event published `days_ago` days ago (committed as published: no relay touches it)."""
    event = DomainEvent.of(BotArchived(bot_id=uuid.uuid4()), workspace_id)
    async with db.begin() as conn:
        await Outbox(conn).add(event)
        await conn.execute(
            update(outbox)
            .where(outbox.c.event_id == event.event_id)
            .values(published_at=outbox.c.occurred_at - timedelta(days=days_ago))
        )
    return event.event_id


async def remaining(db: AsyncEngine, *event_ids: UUID) -> set[UUID]:
    async with db.connect() as conn:
        rows = await conn.execute(select(outbox.c.event_id).where(outbox.c.event_id.in_(event_ids)))
        return set(rows.scalars())


async def test_events_published_longer_ago_than_the_retention_are_deleted(
    settings: Settings, database: str, db: AsyncEngine, caller: Caller
) -> None:
    old = await add_published(db, caller.workspace_id, days_ago=8)
    recent = await add_published(db, caller.workspace_id, days_ago=6)
    store = PostgresOutbox(create_engine(settings.admin_database_url, pool_size=1))
    try:
        for _ in range(50):  # a running relay may hold the purge lock (or purge them itself)
            await store.purge_published(timedelta(days=7))
            if old not in await remaining(db, old):
                break
            await asyncio.sleep(0.1)
    finally:
        await store.close()

    assert await remaining(db, old, recent) == {recent}
