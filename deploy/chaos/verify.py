"""After the storm: from the database and the topics, was anything lost, doubled, or not
dead-lettered, and does replaying the dead letters change what had already succeeded?"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from deploy.chaos.client import Acknowledged

Keys = Callable[[dict[str, Any]], list[Any]]
# One row per acknowledged operation, by kind: how to find its effect.
EFFECT: dict[str, tuple[str, Keys]] = {
    "register": ("SELECT count(*) FROM users WHERE id = :a", lambda b: [b["user"]["id"]]),
    "bot": ("SELECT count(*) FROM bots WHERE id = :a", lambda b: [b["id"]]),
    "version": (
        "SELECT count(*) FROM bot_versions WHERE bot_id = :a AND number = :b",
        lambda b: [b["bot"]["id"], b["version"]["number"]],
    ),
    "thread": ("SELECT count(*) FROM threads WHERE id = :a", lambda b: [b["id"]]),
    "turn": (
        "SELECT count(*) FROM messages WHERE turn_id = :a HAVING count(*) = 2",
        lambda b: [b["turn"]["id"]],
    ),
}
# Every effect announces itself once in the outbox, under its operation id (messages per role).
DUPLICATES = """
    SELECT coalesce(sum(n - 1), 0) FROM (
        SELECT count(*) AS n FROM outbox
        WHERE event_type IN ('bot.created', 'bot.version_created', 'thread.created',
                             'message.created', 'turn.completed', 'user.registered')
        GROUP BY event_type, event ->> 'operation_id', event -> 'data' ->> 'role',
                 event -> 'data' ->> 'number'
        HAVING count(*) > 1
    ) AS doubled
"""
TOTALS = """
    SELECT (SELECT count(*) FROM bots), (SELECT count(*) FROM bot_versions),
           (SELECT count(*) FROM threads), (SELECT count(*) FROM messages),
           (SELECT count(*) FROM llm_turns WHERE status = 'completed')
"""


@dataclass(frozen=True)
class Verdict:
    acknowledged: int
    lost: int
    duplicates: int
    dlq: int
    poison: int

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.duplicates == 0 and self.dlq == self.poison


async def lost(conn: AsyncConnection, acknowledged: list[Acknowledged]) -> int:
    missing = 0
    for ack in acknowledged:
        query, keys = EFFECT[ack.kind]
        args = dict(
            zip(
                "ab",
                (str(k) if not isinstance(k, int) else k for k in keys(ack.body)),
                strict=False,
            )
        )
        found = (await conn.execute(text(query), args)).scalar_one_or_none()
        missing += 0 if found else 1
    return missing


async def duplicates(conn: AsyncConnection) -> int:
    return int((await conn.execute(text(DUPLICATES))).scalar_one())


async def totals(conn: AsyncConnection) -> tuple[Any, ...]:
    return tuple((await conn.execute(text(TOTALS))).one())
