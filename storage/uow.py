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

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage import rls
from storage.audit import AuditLog
from storage.inbox import Inbox
from storage.outbox import Outbox


@dataclass(frozen=True)
class Transaction:
    conn: AsyncConnection
    inbox: Inbox
    audit: AuditLog
    outbox: Outbox

    async def act_for_workspace(self, workspace_id: UUID | None) -> None:
        """Switch the tenant (register knows it only once it made the workspace)."""
        await rls.set_local(self.conn, rls.WORKSPACE, workspace_id)

    async def act_for_user(self, user_id: UUID) -> None:
        """Let this transaction see the user's memberships in every workspace (login)."""
        await rls.set_local(self.conn, rls.USER, user_id)

    async def present_token(self, token_hash: str) -> None:
        """Let this transaction find the token row whose secret the caller presented."""
        await rls.set_local(self.conn, rls.TOKEN_HASH, token_hash)


class UnitOfWork:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @asynccontextmanager
    async def __call__(self, workspace_id: UUID | None) -> AsyncIterator[Transaction]:
        async with self._engine.begin() as conn:
            tx = Transaction(
                conn=conn, inbox=Inbox(conn), audit=AuditLog(conn), outbox=Outbox(conn)
            )
            await tx.act_for_workspace(workspace_id)
            yield tx
