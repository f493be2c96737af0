"""The second wall: row-level security in Postgres, checked from the catalog and as the app role."""

import uuid

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from config.settings import Settings
from storage import rls
from storage.schema.bots import bots
from storage.uow import UnitOfWork

TENANT_TABLES = """
    SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
           (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r'
      AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                   AND a.attname = 'workspace_id' AND NOT a.attisdropped)
           OR c.relname = 'workspaces')
    ORDER BY c.relname
"""


async def test_every_table_with_a_workspace_id_has_forced_rls_and_a_policy(db: AsyncEngine) -> None:
    async with db.connect() as conn:
        rows = (await conn.execute(text(TENANT_TABLES))).all()
    unguarded = [
        row.relname
        for row in rows
        if not (row.relrowsecurity and row.relforcerowsecurity and row.policies)
    ]
    assert len(rows) >= 14, [row.relname for row in rows]
    assert unguarded == []


async def test_the_application_role_cannot_bypass_rls(db: AsyncEngine) -> None:
    async with db.connect() as conn:
        role = (
            await conn.execute(
                text("SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = :r"),
                {"r": rls.APP_ROLE},
            )
        ).one()
    assert (role.rolbypassrls, role.rolsuper) == (False, False)


async def test_the_app_role_sees_only_its_tenant_and_nothing_without_one(
    settings: Settings, database: str
) -> None:
    engine = create_async_engine(settings.database_url)
    uow = UnitOfWork(engine)
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    try:
        for workspace in (mine, theirs):
            async with uow(workspace) as tx:
                await tx.conn.execute(
                    insert(bots).values(
                        id=uuid.uuid4(), workspace_id=workspace, name="x", current_version=1
                    )
                )
        async with uow(mine) as tx:
            visible = set((await tx.conn.execute(select(bots.c.workspace_id))).scalars())
        async with uow(None) as tx:
            without_tenant = (await tx.conn.execute(select(bots.c.id))).all()
        assert visible == {mine}
        assert without_tenant == []
    finally:
        await engine.dispose()


async def test_a_write_into_another_tenant_is_refused(settings: Settings, database: str) -> None:
    async def insert_foreign_bot() -> None:
        async with UnitOfWork(engine)(uuid.uuid4()) as tx:
            bot = {
                "id": uuid.uuid4(),
                "workspace_id": uuid.uuid4(),
                "name": "x",
                "current_version": 1,
            }
            await tx.conn.execute(insert(bots).values(**bot))

    engine = create_async_engine(settings.database_url)
    try:
        with pytest.raises(DBAPIError, match="row-level security"):
            await insert_foreign_bot()
    finally:
        await engine.dispose()


async def test_the_relay_role_touches_the_outbox_and_nothing_else(db: AsyncEngine) -> None:
    query = text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r' "
        "AND has_table_privilege(:role, c.oid, 'SELECT,INSERT,UPDATE,DELETE')"
    )
    async with db.connect() as conn:
        readable = set((await conn.execute(query, {"role": rls.RELAY_ROLE})).scalars())
    assert readable == {"outbox"}
