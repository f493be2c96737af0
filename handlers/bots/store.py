"""Reads and writes of `bots` and `bot_versions`, always within the caller's workspace.

An archived bot is gone for every use case: `bot_number` and `load_bot` see only live bots.
"""

from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, Select, and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.commands.bots import Bot, BotVersion
from contracts.errors import not_found
from handlers.runtime.context import Context
from storage.schema.bots import bot_versions, bots

VERSION_COLUMNS = (
    bot_versions.c.id,
    bot_versions.c.number,
    bot_versions.c.instruction,
    bot_versions.c.config,
    bot_versions.c.created_by,
    bot_versions.c.created_at,
)


def owned(workspace_id: UUID, bot_id: UUID) -> ColumnElement[bool]:
    return and_(bots.c.workspace_id == workspace_id, bots.c.id == bot_id)


def live_bots(workspace_id: UUID) -> Select[Any]:
    """The workspace's live bots with their current instruction (the shape of `Bot`)."""
    current = and_(
        bot_versions.c.bot_id == bots.c.id, bot_versions.c.number == bots.c.current_version
    )
    return (
        select(
            bots.c.id,
            bots.c.workspace_id,
            bots.c.name,
            bots.c.description,
            bots.c.current_version,
            bot_versions.c.instruction,
            bots.c.created_at,
            bots.c.updated_at,
        )
        .join(bot_versions, current)
        .where(bots.c.workspace_id == workspace_id, bots.c.archived_at.is_(None))
    )


async def load_bot(conn: AsyncConnection, workspace_id: UUID, bot_id: UUID) -> Bot:
    row = (await conn.execute(live_bots(workspace_id).where(bots.c.id == bot_id))).first()
    if row is None:
        raise not_found("bot", bot_id)
    return Bot.model_validate(row._mapping)


async def bot_number(
    conn: AsyncConnection, workspace_id: UUID, bot_id: UUID, *, lock: bool = False
) -> int:
    """The live bot's current version number (404 if none); `lock` holds its row until commit.

    Changes to a bot lock this row first, which serializes them (version numbers without gaps
    or duplicates). The lock is taken on `bots` alone: a locking join would, after waiting,
    re-check the new bot row against the *old* current version and lose the bot.
    """
    query = select(bots.c.current_version).where(
        owned(workspace_id, bot_id), bots.c.archived_at.is_(None)
    )
    number = await conn.scalar(query.with_for_update() if lock else query)
    if number is None:
        raise not_found("bot", bot_id)
    return int(number)


async def touch_bot(
    conn: AsyncConnection, workspace_id: UUID, bot_id: UUID, **values: Any
) -> dict[str, Any]:
    """Set the bot's own columns and `updated_at`; the changed row as a mapping."""
    row = (
        await conn.execute(
            update(bots)
            .where(owned(workspace_id, bot_id))
            .values(**values, updated_at=func.now())
            .returning(*bots.c)
        )
    ).one()
    return dict(row._mapping)


def versions_of(workspace_id: UUID, bot_id: UUID) -> Select[Any]:
    return select(*VERSION_COLUMNS).where(
        bot_versions.c.workspace_id == workspace_id, bot_versions.c.bot_id == bot_id
    )


async def load_version(
    conn: AsyncConnection, workspace_id: UUID, bot_id: UUID, number: int
) -> BotVersion:
    query = versions_of(workspace_id, bot_id).where(bot_versions.c.number == number)
    row = (await conn.execute(query)).first()
    if row is None:
        raise not_found("bot_version", number)
    return BotVersion.model_validate(row._mapping)


async def add_version(
    conn: AsyncConnection,
    ctx: Context,
    bot_id: UUID,
    number: int,
    instruction: str,
    config: dict[str, Any],
) -> BotVersion:
    """Write version `number`; versions are never updated afterwards."""
    row = (
        await conn.execute(
            insert(bot_versions)
            .values(
                id=uuid4(),
                workspace_id=ctx.workspace_id,
                bot_id=bot_id,
                number=number,
                instruction=instruction,
                config=config,
                created_by=ctx.user_id,
                operation_id=ctx.operation_id,
            )
            .returning(*VERSION_COLUMNS)
        )
    ).one()
    return BotVersion.model_validate(row._mapping)
