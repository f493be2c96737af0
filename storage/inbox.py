"""The idempotency inbox: one row per (scope, operation id), claimed inside the effect's transaction.

`claim` inserts the row with `ON CONFLICT DO NOTHING`. A concurrent duplicate blocks on the
primary key until the first transaction ends, so it either sees the committed row (and its
stored reply) or, if the first rolled back, claims the id itself. There is never a window in
which two transactions both believe they own an operation.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.envelope import Reply
from contracts.errors import DomainError, ErrorCode
from storage.schema.spine import processed_operations as ops

# Written at claim time and replaced before commit; a reader can only ever see it if a
# transaction committed without `store` (a bug), and then it is refused rather than replayed.
_UNFINISHED: dict[str, Any] = {"unfinished": True}


@dataclass(frozen=True)
class Claim:
    scope: str
    operation_id: str
    request_hash: str
    command_type: str
    workspace_id: UUID | None


class Inbox:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def claim(self, claim: Claim) -> Reply | None:
        """Own the operation (None) or get the stored reply of its first run."""
        inserted = await self._conn.execute(
            insert(ops)
            .values(
                scope=claim.scope,
                operation_id=claim.operation_id,
                request_hash=claim.request_hash,
                command_type=claim.command_type,
                workspace_id=claim.workspace_id,
                reply=_UNFINISHED,
            )
            .on_conflict_do_nothing(index_elements=[ops.c.scope, ops.c.operation_id])
            .returning(ops.c.operation_id)
        )
        if inserted.first() is not None:
            return None
        return await self._stored(claim)

    async def store(self, claim: Claim, reply: Reply) -> None:
        await self._conn.execute(
            update(ops)
            .where(ops.c.scope == claim.scope, ops.c.operation_id == claim.operation_id)
            .values(reply=reply.model_dump(mode="json", exclude={"replayed"}))
        )

    async def _stored(self, claim: Claim) -> Reply:
        row = (
            await self._conn.execute(
                select(ops.c.request_hash, ops.c.reply).where(
                    ops.c.scope == claim.scope, ops.c.operation_id == claim.operation_id
                )
            )
        ).one()
        if row.request_hash != claim.request_hash:
            raise DomainError(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "this operation id was already used for a different request",
                {"operation_id": claim.operation_id},
            )
        if row.reply == _UNFINISHED:
            raise DomainError(ErrorCode.OPERATION_IN_PROGRESS, "the operation is still running")
        return Reply.model_validate({**row.reply, "replayed": True})


async def purge_older_than(conn: AsyncConnection, now: datetime, retention: timedelta) -> int:
    """Forget operations past the retention window (the spec promises at least 24 hours)."""
    result = await conn.execute(delete(ops).where(ops.c.created_at < now - retention))
    return result.rowcount or 0
