"""Reading threads and messages as the API shows them; every query is scoped to one workspace."""

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.commands.conversations import Thread, ThreadMessage
from contracts.errors import not_found
from storage.schema.conversations import messages, threads

# A result row of any width (SQLAlchemy types rows by their column count).
AnyRow = Row[*tuple[Any, ...]]

THREAD_COLUMNS = (
    threads.c.id,
    threads.c.bot_id,
    threads.c.bot_version,
    threads.c.title,
    threads.c.created_at,
)
MESSAGE_COLUMNS = (
    messages.c.id,
    messages.c.role,
    messages.c.content,
    messages.c.seq,
    messages.c.turn_id,
    messages.c.created_at,
)


async def find_thread(conn: AsyncConnection, workspace_id: UUID, thread_id: UUID) -> Thread:
    """The thread, or NOT_FOUND when it does not exist in this workspace."""
    row = (
        await conn.execute(
            select(*THREAD_COLUMNS).where(
                threads.c.id == thread_id, threads.c.workspace_id == workspace_id
            )
        )
    ).first()
    if row is None:
        raise not_found("thread", thread_id)
    return to_thread(row)


def to_thread(row: AnyRow) -> Thread:
    return Thread.model_validate(row._mapping)


def to_message(row: AnyRow) -> ThreadMessage:
    return ThreadMessage.model_validate(row._mapping)
