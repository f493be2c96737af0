"""Users, workspaces and memberships: the queries the auth use cases share."""

from dataclasses import dataclass
from typing import Final
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.commands.auth import UserInfo, WorkspaceInfo
from security.tokens import Role
from storage.schema.auth import users, workspace_members, workspaces

_ROLES: Final[dict[str, Role]] = {"owner": "owner", "member": "member"}


@dataclass(frozen=True)
class Credentials:
    user: UserInfo
    password_hash: str


@dataclass(frozen=True)
class Membership:
    workspace: WorkspaceInfo
    role: Role


async def email_taken(conn: AsyncConnection, email: str) -> bool:
    found = await conn.execute(select(users.c.id).where(users.c.email == email))
    return found.first() is not None


async def insert_user(conn: AsyncConnection, user: UserInfo, password_hash: str) -> bool:
    """False if the email is taken, also by a registration committing concurrently.

    `ON CONFLICT DO NOTHING` on the unique email index: a concurrent insert of the same email
    waits for the other transaction and then inserts nothing, so exactly one registration wins
    and the losers get a clean answer instead of an aborted transaction.
    """
    inserted = await conn.execute(
        pg_insert(users)
        .values(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            password_hash=password_hash,
        )
        .on_conflict_do_nothing(index_elements=[users.c.email])
        .returning(users.c.id)
    )
    return inserted.first() is not None


async def insert_workspace(conn: AsyncConnection, workspace: WorkspaceInfo) -> None:
    await conn.execute(insert(workspaces).values(id=workspace.id, name=workspace.name))


async def add_member(conn: AsyncConnection, workspace_id: UUID, user_id: UUID, role: Role) -> None:
    await conn.execute(
        insert(workspace_members).values(workspace_id=workspace_id, user_id=user_id, role=role)
    )


async def credentials(conn: AsyncConnection, email: str) -> Credentials | None:
    row = (
        await conn.execute(
            select(users.c.id, users.c.email, users.c.display_name, users.c.password_hash).where(
                users.c.email == email
            )
        )
    ).first()
    if row is None:
        return None
    user = UserInfo(id=row.id, email=row.email, display_name=row.display_name)
    return Credentials(user, row.password_hash)


async def set_password_hash(conn: AsyncConnection, user_id: UUID, password_hash: str) -> None:
    await conn.execute(
        update(users).where(users.c.id == user_id).values(password_hash=password_hash)
    )


async def user_info(conn: AsyncConnection, user_id: UUID) -> UserInfo | None:
    row = (
        await conn.execute(
            select(users.c.id, users.c.email, users.c.display_name).where(users.c.id == user_id)
        )
    ).first()
    return UserInfo(id=row.id, email=row.email, display_name=row.display_name) if row else None


async def workspace_info(conn: AsyncConnection, workspace_id: UUID) -> WorkspaceInfo | None:
    row = (
        await conn.execute(
            select(workspaces.c.id, workspaces.c.name).where(workspaces.c.id == workspace_id)
        )
    ).first()
    return WorkspaceInfo(id=row.id, name=row.name) if row else None


async def membership(
    conn: AsyncConnection, user_id: UUID, workspace_id: UUID | None = None
) -> Membership | None:
    """The user's membership of `workspace_id`; without one, their first (oldest) membership.

    Login lands in the first workspace: today a user has exactly one, the one they registered.
    """
    query = (
        select(workspaces.c.id, workspaces.c.name, workspace_members.c.role)
        .join(workspaces, workspaces.c.id == workspace_members.c.workspace_id)
        .where(workspace_members.c.user_id == user_id)
        .order_by(workspace_members.c.created_at, workspace_members.c.workspace_id)
        .limit(1)
    )
    if workspace_id is not None:
        query = query.where(workspace_members.c.workspace_id == workspace_id)
    row = (await conn.execute(query)).first()
    if row is None:
        return None
    return Membership(WorkspaceInfo(id=row.id, name=row.name), _ROLES[row.role])
