"""The unit of work: one Postgres transaction, with the tenant set for row-level security.

    async with uow(workspace_id) as tx:
        await tx.inbox.claim(...)
        await tx.audit.record(...)
        # commits on normal exit, rolls back on an exception

`app.workspace_id` is set with `set_config(..., is_local => true)`, the function form of
`SET LOCAL`, so it ends with the transaction and never leaks to the next user of the pooled
connection.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.audit import AuditLog
from storage.inbox import Inbox


@dataclass(frozen=True)
class Transaction:
    conn: AsyncConnection
    inbox: Inbox
    audit: AuditLog


class UnitOfWork:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @asynccontextmanager
    async def __call__(self, workspace_id: UUID | None) -> AsyncIterator[Transaction]:
        async with self._engine.begin() as conn:
            await set_tenant(conn, workspace_id)
            yield Transaction(conn=conn, inbox=Inbox(conn), audit=AuditLog(conn))


async def set_tenant(conn: AsyncConnection, workspace_id: UUID | None) -> None:
    await conn.execute(
        text("SELECT set_config('app.workspace_id', :wid, true)"),
        {"wid": str(workspace_id) if workspace_id else ""},
    )
