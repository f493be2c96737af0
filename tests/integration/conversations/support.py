"""Helpers of the conversations tests.

Bots are written straight into the `bots` tables, not through the bots API: the conversations
group only reads them, and these tests must not depend on another group's behaviour.
"""

import uuid
from typing import Any
from uuid import UUID

from aiohttp import ClientResponse, ClientSession
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.schema.bots import bot_versions, bots
from storage.schema.conversations import llm_turns, messages, threads
from tests.support.callers import Caller

THREADS = "/v1/conversations/threads"


async def create_bot(db: AsyncEngine, workspace_id: UUID, instruction: str = "Be brief.") -> UUID:
    """A live bot at version 1 with `instruction`."""
    bot_id = uuid.uuid4()
    async with db.begin() as conn:
        await conn.execute(
            insert(bots).values(
                id=bot_id, workspace_id=workspace_id, name="test bot", current_version=1
            )
        )
        await conn.execute(
            insert(bot_versions).values(
                workspace_id=workspace_id, bot_id=bot_id, number=1, instruction=instruction
            )
        )
    return bot_id


async def add_version(db: AsyncEngine, bot_id: UUID, instruction: str) -> int:
    """A new current version, as the bots service writes it on an instruction change."""
    async with db.begin() as conn:
        bot = (await conn.execute(select(bots).where(bots.c.id == bot_id))).one()
        number = bot.current_version + 1
        await conn.execute(
            insert(bot_versions).values(
                workspace_id=bot.workspace_id, bot_id=bot_id, number=number, instruction=instruction
            )
        )
        await conn.execute(update(bots).where(bots.c.id == bot_id).values(current_version=number))
    return int(number)


async def archive_bot(db: AsyncEngine, bot_id: UUID) -> None:
    async with db.begin() as conn:
        await conn.execute(update(bots).where(bots.c.id == bot_id).values(archived_at=func.now()))


async def open_thread(
    api: ClientSession, caller: Caller, bot_id: UUID, title: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"bot_id": str(bot_id)} | ({"title": title} if title else {})
    response = await api.post(THREADS, json=body, headers=caller.headers)
    assert response.status == 201, await response.text()
    thread: dict[str, Any] = await response.json()
    return thread


async def post_turn(
    api: ClientSession,
    caller: Caller,
    thread_id: object,
    content: str,
    operation_id: str | None = None,
) -> ClientResponse:
    headers = caller.headers | ({"X-Operation-Id": operation_id} if operation_id else {})
    return await api.post(f"{THREADS}/{thread_id}/turn", json={"content": content}, headers=headers)


async def stored_messages(db: AsyncEngine, thread_id: object) -> list[tuple[int, str, str]]:
    """(seq, role, content) of every message of the thread, by seq."""
    async with db.connect() as conn:
        rows = await conn.execute(
            select(messages.c.seq, messages.c.role, messages.c.content)
            .where(messages.c.thread_id == uuid.UUID(str(thread_id)))
            .order_by(messages.c.seq)
        )
        return [(row.seq, row.role, row.content) for row in rows]


async def stored_turns(db: AsyncEngine, thread_id: object) -> list[RowMapping]:
    async with db.connect() as conn:
        rows = await conn.execute(
            select(llm_turns)
            .where(llm_turns.c.thread_id == uuid.UUID(str(thread_id)))
            .order_by(llm_turns.c.created_at)
        )
        return list(rows.mappings())


async def last_seq(db: AsyncEngine, thread_id: object) -> int:
    async with db.connect() as conn:
        query = select(threads.c.last_seq).where(threads.c.id == uuid.UUID(str(thread_id)))
        return int((await conn.execute(query)).scalar_one())


async def assert_gap_free_exchanges(db: AsyncEngine, thread_id: object, turns: int) -> None:
    """Seqs 1..2*turns without gaps, user then assistant, each answer echoing its question."""
    stored = await stored_messages(db, thread_id)
    assert [seq for seq, _, _ in stored] == list(range(1, 2 * turns + 1))
    assert [role for _, role, _ in stored] == ["user", "assistant"] * turns
    assert [content for _, _, content in stored[::2]] == [c for _, _, c in stored[1::2]]
    assert await last_seq(db, thread_id) == 2 * turns
