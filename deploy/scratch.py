"""Throwaway deployments on the shared local services (test sessions, bench and chaos runs):
a database of their own on the same server, its topics, and a free port for their gateway."""

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from config.settings import Settings
from deploy import migrate
from deploy.db_roles import ensure_logins
from deploy.topics import delete_topics, ensure_topics


def with_database(url: str, name: str) -> str:
    """The same server and role, another database."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def _run(server_url: str, statement: str) -> None:
    # CREATE and DROP DATABASE cannot run inside a transaction.
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def create_database(server_url: str, name: str) -> None:
    await _run(server_url, f'CREATE DATABASE "{name}"')


async def drop_database(server_url: str, name: str) -> None:
    await _run(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def scratch_database(server_url: str, name: str) -> AsyncIterator[None]:
    await create_database(server_url, name)
    try:
        yield
    finally:
        await drop_database(server_url, name)


@contextlib.asynccontextmanager
async def scratch_deployment(settings: Settings) -> AsyncIterator[None]:
    """The database (migrated, roles able to log in) and topics that `settings` name, made
    for the block and removed after it, each step undone even if a later one failed."""
    database = make_url(settings.database_url).database or ""
    async with contextlib.AsyncExitStack() as undo:
        await undo.enter_async_context(scratch_database(Settings().admin_database_url, database))
        await asyncio.to_thread(migrate.upgrade, settings.admin_database_url)
        await ensure_logins(settings)
        await ensure_topics(settings.kafka_bootstrap, settings.topic_prefix)
        undo.push_async_callback(delete_topics, settings.kafka_bootstrap, settings.topic_prefix)
        yield


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
