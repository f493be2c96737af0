"""`conversations.create_thread`: a thread pinned to the bot's current version.

Pinning means a later instruction change does not alter a running conversation: its turns
keep using the version the thread was opened with. Opening a thread is not a configuration
change, so it writes no audit entry; it does emit `thread.created`.
"""

from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.commands.conversations import CreateThread
from contracts.envelope import Reply
from contracts.errors import not_found
from contracts.events import ThreadCreated
from handlers.conversations.records import THREAD_COLUMNS, to_thread
from handlers.runtime.context import Context
from storage.schema.bots import bots
from storage.schema.conversations import threads
from storage.uow import Transaction


async def create_thread(cmd: CreateThread, ctx: Context, tx: Transaction) -> Reply:
    version = await _live_bot_version(tx.conn, ctx.workspace_id, cmd.bot_id)
    row = (
        await tx.conn.execute(
            insert(threads)
            .values(
                workspace_id=ctx.workspace_id,
                bot_id=cmd.bot_id,
                bot_version=version,
                title=cmd.title or "",
                created_by=ctx.user_id,
            )
            .returning(*THREAD_COLUMNS)
        )
    ).one()
    thread = to_thread(row)
    await tx.outbox.add(
        ctx.event(ThreadCreated(thread_id=thread.id, bot_id=thread.bot_id, bot_version=version))
    )
    return Reply.success(201, thread.model_dump(mode="json"))


async def _live_bot_version(conn: AsyncConnection, workspace_id: UUID, bot_id: UUID) -> int:
    """The current version of a bot of this workspace that is not archived, else NOT_FOUND."""
    version = await conn.scalar(
        select(bots.c.current_version).where(
            bots.c.id == bot_id,
            bots.c.workspace_id == workspace_id,
            bots.c.archived_at.is_(None),
        )
    )
    if version is None:
        raise not_found("bot", bot_id)
    return int(version)
