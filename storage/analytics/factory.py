"""Which analytics store this deployment uses, and where it lives (namespaced by topic prefix)."""

import asyncio
import sys
from pathlib import Path

from config.settings import Settings
from storage.analytics.engine import SqlEngine
from storage.analytics.port import AnalyticsStore
from storage.analytics.redact import redacted_url
from storage.analytics.store import SqlAnalyticsStore


def chdb_directory(settings: Settings) -> Path:
    """Each deployment (`make up`, a test session, a bench run) gets a directory of its own:
    an embedded engine's directory can be open in one process only."""
    return Path(settings.chdb_path) / (settings.store_namespace or "main")


def analytics_database(settings: Settings) -> str:
    namespace = settings.store_namespace.replace("-", "_")
    return (
        f"{settings.clickhouse_database}_{namespace}" if namespace else settings.clickhouse_database
    )


def store_location(settings: Settings) -> str:
    if settings.analytics_backend == "chdb":
        return f"chdb (ClickHouse engine in-process) at {chdb_directory(settings)}"
    return f"clickhouse {redacted_url(settings.clickhouse_url)} database {analytics_database(settings)}"


def _engine(settings: Settings) -> SqlEngine:
    # Imported here: chDB is a 500 MB library and clickhouse-connect pulls in pandas and
    # pyarrow; every handler process builds the analytics registry, only one opens a store.
    if settings.analytics_backend == "chdb":
        from storage.analytics.chdb_engine import ChdbEngine

        return ChdbEngine(chdb_directory(settings))
    from storage.analytics.clickhouse_engine import ClickHouseEngine

    return ClickHouseEngine(settings.clickhouse_url, analytics_database(settings))


async def open_store(settings: Settings, migrate: bool = True) -> AnalyticsStore:
    """The configured store, its tables created unless `migrate=False` (checks only look)."""
    store = SqlAnalyticsStore(
        await asyncio.to_thread(_engine, settings), analytics_database(settings)
    )
    if migrate:
        await store.migrate()
    return store


async def release_embedded_engine() -> None:
    """Shut this process's chDB engine down, if it runs one (a no-op otherwise, and chDB is
    not even loaded for it)."""
    if (chdb_engine := sys.modules.get("storage.analytics.chdb_engine")) is not None:
        await asyncio.to_thread(chdb_engine.close_all)
