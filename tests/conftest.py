"""Session fixtures: real Kafka, Postgres and Redis (started by `make test`), our own namespace."""

import asyncio
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from config.settings import Settings
from deploy import migrate
from deploy.db_roles import ensure_logins
from deploy.scratch import create_database, drop_database
from deploy.topics import delete_topics, ensure_topics
from gateway.app import create_app
from gateway.bus_client import BusClient
from storage.rate_limit import RateLimiter
from tests.support.callers import Caller, mint_caller
from tests.support.stack import (
    HandlerProcesses,
    new_bus,
    test_settings,
    wait_until_groups_answer,
)


@pytest.fixture(scope="session")
def settings() -> Iterator[Settings]:
    session = test_settings()
    yield session
    shutil.rmtree(Path(session.chdb_path).parent, ignore_errors=True)


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[str]:
    server_url = Settings().admin_database_url
    name = settings.database_url.rsplit("/", 1)[1]
    await create_database(server_url, name)
    await asyncio.to_thread(migrate.upgrade, settings.admin_database_url)
    await ensure_logins(settings)
    yield settings.database_url
    await drop_database(server_url, name)


@pytest.fixture(scope="session")
async def topics(settings: Settings) -> AsyncIterator[None]:
    await ensure_topics(settings.kafka_bootstrap, settings.topic_prefix)
    yield
    await delete_topics(settings.kafka_bootstrap, settings.topic_prefix)


@pytest.fixture(scope="session")
async def bus(settings: Settings, topics: None) -> AsyncIterator[BusClient]:
    """A bus client of our own, for publishing commands directly as an integration would."""
    client = new_bus(settings, "direct")
    await client.start()
    yield client
    await client.stop()


@pytest.fixture(scope="session")
def handler_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("handler-logs")


@pytest.fixture(scope="session")
async def handlers(
    settings: Settings, database: str, bus: BusClient, handler_logs: Path
) -> AsyncIterator[HandlerProcesses]:
    procs = HandlerProcesses(settings, handler_logs)
    procs.start_all()
    try:
        await wait_until_groups_answer(bus, settings, timeout_s=60)
        yield procs
    finally:
        procs.stop_all()


@pytest.fixture(scope="session")
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    client = Redis.from_url(settings.redis_url)
    yield client
    await client.aclose()


@pytest.fixture(scope="session")
async def gateway_url(
    settings: Settings, handlers: HandlerProcesses, redis: Redis
) -> AsyncIterator[str]:
    gateway_bus = new_bus(settings, "gateway")
    await gateway_bus.start()
    server = TestServer(create_app(settings, gateway_bus, RateLimiter(redis)), host="127.0.0.1")
    await server.start_server()
    yield str(server.make_url("")).rstrip("/")
    await server.close()
    await gateway_bus.stop()


@pytest.fixture
async def api(gateway_url: str) -> AsyncIterator[ClientSession]:
    """An HTTP client on the session's gateway (relative URLs: `await api.get("/healthz")`)."""
    async with ClientSession(base_url=gateway_url) as session:
        yield session


@pytest.fixture(scope="session")
async def db(database: str, settings: Settings) -> AsyncIterator[AsyncEngine]:
    """The test database as its owner (which bypasses row-level security), for assertions."""
    engine = create_async_engine(settings.admin_database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def caller(settings: Settings) -> Caller:
    """The owner of a fresh workspace (minted token; no auth service involved)."""
    return mint_caller(settings)


@pytest.fixture
def other_caller(settings: Settings) -> Caller:
    """The owner of another fresh workspace, for cross-tenant checks."""
    return mint_caller(settings)
