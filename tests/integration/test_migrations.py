"""The migrations build exactly the schema of `storage.schema`, and upgrade from empty to head
and downgrade back to empty cleanly."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from config.settings import Settings
from deploy import migrate
from deploy.scratch import create_database, drop_database, with_database
from storage.schema import metadata

AUTH_TABLES = {"workspaces", "users", "workspace_members", "refresh_tokens", "integration_tokens"}


@pytest.fixture
async def scratch_url() -> AsyncIterator[str]:
    """An empty database of its own (the session's one is in use by the handlers)."""
    admin_url = Settings().admin_database_url
    name = f"switchboard_m_{uuid.uuid4().hex[:8]}"
    await create_database(admin_url, name)
    try:
        yield with_database(admin_url, name)
    finally:
        await drop_database(admin_url, name)


async def tables_of(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        names: set[str] = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    await engine.dispose()
    return names


async def test_the_migrated_database_matches_the_schema(database: str, settings: Settings) -> None:
    def diff(conn: Connection) -> list[object]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    engine = create_async_engine(settings.admin_database_url)
    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    await engine.dispose()


async def test_upgrade_downgrade_upgrade(scratch_url: str) -> None:
    await asyncio.to_thread(migrate.upgrade, scratch_url, "0002")
    assert await tables_of(scratch_url) >= AUTH_TABLES
    await asyncio.to_thread(migrate.downgrade, scratch_url, "0001")
    assert not AUTH_TABLES & await tables_of(scratch_url)
    await asyncio.to_thread(migrate.upgrade, scratch_url, "head")
    assert await tables_of(scratch_url) >= set(metadata.tables)
    await asyncio.to_thread(migrate.downgrade, scratch_url, "base")
    assert await tables_of(scratch_url) <= {"alembic_version"}
    await asyncio.to_thread(migrate.upgrade, scratch_url, "head")
