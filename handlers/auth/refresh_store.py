"""The `refresh_tokens` rows: one per token ever issued, stored by digest, grouped in families."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from handlers.auth.refresh_rules import TokenState
from storage.schema.auth import refresh_tokens as rt


@dataclass(frozen=True)
class Lineage:
    """Where a new token sits: its family, its parent (None for a login) and the family's end."""

    family_id: UUID
    parent_id: UUID | None
    expires_at: datetime


@dataclass(frozen=True)
class StoredToken(TokenState):
    id: UUID
    workspace_id: UUID
    user_id: UUID
    family_id: UUID
    parent_id: UUID | None

    def child(self) -> Lineage:
        return Lineage(self.family_id, self.id, self.expires_at)

    def sibling(self) -> Lineage:
        return Lineage(self.family_id, self.parent_id, self.expires_at)


_COLUMNS = (
    rt.c.id,
    rt.c.workspace_id,
    rt.c.user_id,
    rt.c.family_id,
    rt.c.parent_id,
    rt.c.expires_at,
    rt.c.used_at,
    rt.c.revoked_at,
)


async def insert_token(
    conn: AsyncConnection,
    digest: str,
    user_id: UUID,
    workspace_id: UUID,
    lineage: Lineage,
    now: datetime,
) -> None:
    await conn.execute(
        insert(rt).values(
            id=uuid.uuid4(),
            workspace_id=workspace_id,
            user_id=user_id,
            family_id=lineage.family_id,
            parent_id=lineage.parent_id,
            token_hash=digest,
            issued_at=now,
            expires_at=lineage.expires_at,
        )
    )


async def lock(conn: AsyncConnection, digest: str) -> StoredToken | None:
    """The token's row, locked (`FOR UPDATE`) until the transaction ends.

    Two concurrent refreshes of one token queue here; the second reads the row as the first
    left it (used) and is treated as reuse, so they can never both succeed.
    """
    row = (
        await conn.execute(select(*_COLUMNS).where(rt.c.token_hash == digest).with_for_update())
    ).first()
    return StoredToken(**row._asdict()) if row else None


async def digest_of(conn: AsyncConnection, token_id: UUID) -> str | None:
    found = await conn.execute(select(rt.c.token_hash).where(rt.c.id == token_id))
    return found.scalar_one_or_none()


async def family_of(conn: AsyncConnection, digest: str) -> tuple[UUID, UUID] | None:
    """(family id, workspace id) of the token with this digest."""
    found = await conn.execute(
        select(rt.c.family_id, rt.c.workspace_id).where(rt.c.token_hash == digest)
    )
    row = found.first()
    return (row.family_id, row.workspace_id) if row else None


async def mark_used(conn: AsyncConnection, token_id: UUID, now: datetime) -> None:
    await conn.execute(update(rt).where(rt.c.id == token_id).values(used_at=now))


async def revoke_family(conn: AsyncConnection, family_id: UUID, now: datetime) -> None:
    await conn.execute(
        update(rt)
        .where(rt.c.family_id == family_id, rt.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
