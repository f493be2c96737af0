"""The rows of one turn: the locked thread it runs in, its history, the turn record, the messages."""

from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.errors import not_found
from handlers.conversations.llm import ChatMessage, ModelResponse
from handlers.conversations.records import MESSAGE_COLUMNS, AnyRow
from storage.schema.bots import bot_versions, bots
from storage.schema.conversations import llm_turns, messages, threads

TURN_COLUMNS = (llm_turns.c.id, llm_turns.c.status, llm_turns.c.model, llm_turns.c.latency_ms)


@dataclass(frozen=True)
class LockedThread:
    id: UUID
    bot_id: UUID
    bot_version: int
    instruction: str
    last_seq: int


@dataclass(frozen=True)
class TurnRecord:
    """What every `llm_turns` row of a turn says, whatever its outcome (names are columns)."""

    id: UUID
    workspace_id: UUID
    thread_id: UUID
    bot_id: UUID
    bot_version: int
    operation_id: str


async def lock_thread(conn: AsyncConnection, workspace_id: UUID, thread_id: UUID) -> LockedThread:
    """The thread with its pinned instruction, row-locked until the transaction ends, so turns
    of one thread queue here while other threads go on. NOT_FOUND if it is not in this
    workspace, or if its bot has been archived (the thread stays readable, not writable)."""
    pinned = and_(
        bot_versions.c.bot_id == threads.c.bot_id, bot_versions.c.number == threads.c.bot_version
    )
    query = (
        select(
            threads.c.id,
            threads.c.bot_id,
            threads.c.bot_version,
            threads.c.last_seq,
            bot_versions.c.instruction,
            bots.c.archived_at,
        )
        .select_from(threads.join(bots, bots.c.id == threads.c.bot_id).join(bot_versions, pinned))
        .where(threads.c.id == thread_id, threads.c.workspace_id == workspace_id)
        .with_for_update(of=threads)
    )
    row = (await conn.execute(query)).first()
    if row is None:
        raise not_found("thread", thread_id)
    if row.archived_at is not None:
        raise not_found("bot", row.bot_id)
    return LockedThread(row.id, row.bot_id, row.bot_version, row.instruction, row.last_seq)


async def recent_history(conn: AsyncConnection, turn: TurnRecord, limit: int) -> list[ChatMessage]:
    """The thread's newest `limit` messages, oldest first."""
    rows = await conn.execute(
        select(messages.c.role, messages.c.content)
        .where(messages.c.thread_id == turn.thread_id, messages.c.workspace_id == turn.workspace_id)
        .order_by(messages.c.seq.desc())
        .limit(limit)
    )
    return [ChatMessage(row.role, row.content) for row in reversed(rows.all())]


async def insert_completed_turn(
    conn: AsyncConnection, turn: TurnRecord, response: ModelResponse, latency_ms: int
) -> AnyRow:
    return (
        await conn.execute(
            insert(llm_turns)
            .values(
                **asdict(turn),
                status="completed",
                model=response.model,
                prompt_tokens=response.prompt_tokens,
                completion_tokens=response.completion_tokens,
                latency_ms=latency_ms,
                completed_at=func.now(),
            )
            .returning(*TURN_COLUMNS)
        )
    ).one()


async def insert_failed_turn(
    conn: AsyncConnection, turn: TurnRecord, model: str, latency_ms: int, error: str
) -> None:
    await conn.execute(
        insert(llm_turns).values(
            **asdict(turn),
            status="failed",
            model=model,
            latency_ms=latency_ms,
            error=error,
            completed_at=func.now(),
        )
    )


async def append_exchange(
    conn: AsyncConnection, turn: TurnRecord, after_seq: int, question: str, answer: str
) -> tuple[AnyRow, AnyRow]:
    """The user and assistant messages at the next two seqs; the thread's `last_seq` follows."""
    exchange = [
        _message(turn, after_seq + 1, "user", question),
        _message(turn, after_seq + 2, "assistant", answer),
    ]
    rows = await conn.execute(insert(messages).values(exchange).returning(*MESSAGE_COLUMNS))
    await conn.execute(
        update(threads)
        .where(threads.c.id == turn.thread_id)
        .values(last_seq=after_seq + 2, last_message_at=func.now())
    )
    user, assistant = sorted(rows.all(), key=lambda row: int(row.seq))
    return user, assistant


def _message(turn: TurnRecord, seq: int, role: str, content: str) -> dict[str, Any]:
    return {
        "workspace_id": turn.workspace_id,
        "thread_id": turn.thread_id,
        "seq": seq,
        "role": role,
        "content": content,
        "turn_id": turn.id,
        "operation_id": turn.operation_id,
    }
