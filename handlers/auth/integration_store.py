"""The `integration_tokens` rows: stored by digest, scoped to one workspace, revocable."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema.auth import integration_tokens as it

# `last_used_at` is a hint, not a log: written at most once a minute per token, so a busy
# integration does not turn every command into a write on one hot row.
LAST_USED_RESOLUTION = timedelta(minutes=1)

LISTED = (it.c.id, it.c.name, it.c.created_at, it.c.last_used_at)


async def insert_token(
    conn: AsyncConnection,
    token_id: UUID,
    workspace_id: UUID,
    name: str,
    digest: str,
    by: UUID | None,
) -> datetime:
    """The new token's `created_at`."""
    created = await conn.execute(
        insert(it)
        .values(id=token_id, workspace_id=workspace_id, name=name, token_hash=digest, created_by=by)
        .returning(it.c.created_at)
    )
    created_at: datetime = created.scalar_one()
    return created_at


async def replace_secret(
    conn: AsyncConnection, token_id: UUID, workspace_id: UUID, digest: str
) -> bool:
    """Give a live token a new secret (the old one stops working); False if none such."""
    replaced = await conn.execute(
        update(it)
        .where(it.c.id == token_id, it.c.workspace_id == workspace_id, it.c.revoked_at.is_(None))
        .values(token_hash=digest)
        .returning(it.c.id)
    )
    return replaced.first() is not None


async def revoke(conn: AsyncConnection, token_id: UUID, workspace_id: UUID) -> str | None:
    """Revoke a live token of this workspace; its name, or None if there is no such token."""
    revoked = await conn.execute(
        update(it)
        .where(it.c.id == token_id, it.c.workspace_id == workspace_id, it.c.revoked_at.is_(None))
        .values(revoked_at=func.now())
        .returning(it.c.name)
    )
    name: str | None = revoked.scalar_one_or_none()
    return name


def live(workspace_id: UUID) -> Select[Any]:
    return select(*LISTED).where(it.c.workspace_id == workspace_id, it.c.revoked_at.is_(None))


@dataclass(frozen=True)
class LiveToken:
    id: UUID
    workspace_id: UUID
    created_by: UUID | None
    last_used_at: datetime | None


async def find_live(conn: AsyncConnection, digest: str) -> LiveToken | None:
    found = await conn.execute(
        select(it.c.id, it.c.workspace_id, it.c.created_by, it.c.last_used_at).where(
            it.c.token_hash == digest, it.c.revoked_at.is_(None)
        )
    )
    row = found.first()
    return LiveToken(**row._asdict()) if row else None


async def touch(conn: AsyncConnection, token_id: UUID, now: datetime) -> None:
    await conn.execute(update(it).where(it.c.id == token_id).values(last_used_at=now))
