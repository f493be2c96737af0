"""Writes domain events into the outbox, inside the caller's transaction."""

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.events import DomainEvent
from storage.schema.events import outbox


class Outbox:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, *events: DomainEvent) -> None:
        if not events:
            return
        await self._conn.execute(
            insert(outbox),
            [
                {
                    "event_id": event.event_id,
                    "workspace_id": event.workspace_id,
                    "event_type": event.type,
                    "version": event.version,
                    "event": event.model_dump(mode="json"),
                    "occurred_at": event.occurred_at,
                }
                for event in events
            ],
        )
