"""Analytics tests: a producer on the session's `events` topic, usage read through the gateway.

The session's analytics group keeps its chDB store in `.run/chdb/<session namespace>`; it is
removed when the session ends (after the handler processes stopped).
"""

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession
from aiokafka import AIOKafkaProducer

from config.settings import Settings
from deploy.topics import ensure_topics
from storage.analytics import AnalyticsStore, open_store
from storage.analytics.chdb_engine import ChdbEngine
from storage.analytics.factory import analytics_database, chdb_directory
from storage.analytics.schema import events_table

STORE_DIRECTORY = pytest.StashKey[Path]()
Check = Callable[[list[dict[str, Any]]], bool]


@pytest.fixture(scope="session", autouse=True)
def _forget_the_sessions_store(request: pytest.FixtureRequest, settings: Settings) -> None:
    if settings.topic_prefix and settings.analytics_backend == "chdb":
        request.config.stash[STORE_DIRECTORY] = chdb_directory(settings)


def pytest_sessionfinish(session: pytest.Session) -> None:
    if (directory := session.config.stash.get(STORE_DIRECTORY, None)) is not None:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
async def local_settings(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory, topics: None
) -> Settings:
    """Settings for stores and sinks run inside this test process, apart from the session's
    analytics group: topics of their own (under the session prefix, so removed with it) and a
    chDB directory of their own. A process can run one chDB engine, bound to one directory for
    its whole life: every in-process chDB test uses this one."""
    local = settings.model_copy(
        update={
            "topic_prefix": f"{settings.topic_prefix}local.",
            "chdb_path": str(tmp_path_factory.mktemp("chdb")),
        }
    )
    await ensure_topics(local.kafka_bootstrap, local.topic_prefix)
    return local


@pytest.fixture(scope="session")
async def local_store(local_settings: Settings) -> AsyncIterator[AnalyticsStore]:
    """The in-process store, with background merges stopped: copies of an event then stay as
    separate rows, so tests can see them stored and still counted once (FINAL), rather than
    racing a merge that removes them."""
    store = await open_store(local_settings)
    engine = ChdbEngine(chdb_directory(local_settings))
    engine.command(f"SYSTEM STOP MERGES {events_table(analytics_database(local_settings))}")
    engine.close()
    yield store
    await store.close()


@pytest.fixture(scope="session")
async def producer(settings: Settings, topics: None) -> AsyncIterator[AIOKafkaProducer]:
    client = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", linger_ms=5)
    await client.start()
    yield client
    await client.stop()


async def get_usage(
    api: ClientSession, headers: dict[str, str], **params: str
) -> tuple[int, dict[str, Any]]:
    response = await api.get("/v1/analytics/usage", params=params, headers=headers)
    body: dict[str, Any] = await response.json()
    return response.status, body


async def usage_when(
    api: ClientSession,
    headers: dict[str, str],
    ready: Check,
    timeout_s: float = 45.0,
    **params: str,
) -> list[dict[str, Any]]:
    """The usage items once `ready(items)` holds: the sink stores events asynchronously (and
    may be restarting), so poll; a query timing out meanwhile is retried."""
    last: tuple[int, dict[str, Any]] | None = None
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                last = await get_usage(api, headers, **params)
                if last[0] == 200 and ready(last[1]["items"]):
                    items: list[dict[str, Any]] = last[1]["items"]
                    return items
                await asyncio.sleep(0.25)
    except TimeoutError:
        raise AssertionError(
            f"usage never got there in {timeout_s} s; last answer: {last}"
        ) from None
