"""The analytics store on chDB, for real: schema, inserts, FINAL deduplication, usage maths."""

import asyncio
import uuid

from config.settings import Settings
from storage.analytics import AnalyticsStore, UsageQuery, event_row, open_store
from storage.analytics.chdb_engine import ChdbEngine
from storage.analytics.engine import json_rows
from storage.analytics.factory import analytics_database, chdb_directory
from storage.analytics.ownership import held_elsewhere
from storage.analytics.schema import events_table
from tests.integration.analytics.events import at, expected, failed_turn, message, turn


def raw_count(settings: Settings, workspace_id: uuid.UUID) -> int:
    """Rows as stored, copies included (a second session joins this process's engine)."""
    engine = ChdbEngine(chdb_directory(settings))
    try:
        sql = f"SELECT count() AS n FROM {events_table(analytics_database(settings))} WHERE workspace_id = {{w:UUID}}"
        return int(json_rows(engine.select_json(sql, {"w": str(workspace_id)}))[0]["n"])
    finally:
        engine.close()


async def test_migrating_again_changes_nothing_and_ping_sees_the_table(
    local_store: AnalyticsStore, local_settings: Settings
) -> None:
    await local_store.migrate()
    again = await open_store(local_settings)  # a second handle: same engine, same tables
    try:
        assert "present" in await again.ping()
    finally:
        await again.close()
    assert local_store.backend == "chdb"
    assert local_store.location == str(chdb_directory(local_settings))
    # This process runs the engine: to any other opener the directory is taken.
    assert held_elsewhere(chdb_directory(local_settings))


async def test_copies_of_an_event_count_once_across_separate_inserts(
    local_store: AnalyticsStore, local_settings: Settings
) -> None:
    workspace, bot = uuid.uuid4(), uuid.uuid4()
    events = [turn(workspace, bot, at(9, i), latency_ms=10 * (i + 1)) for i in range(5)]
    events += [failed_turn(workspace, bot, at(9, 30), 999), message(workspace, bot, at(9, 31))]
    rows = [event_row(e) for e in events]
    await local_store.insert_events(rows)
    await local_store.insert_events(rows[:3])  # a redelivered batch
    await local_store.insert_events(rows)
    assert raw_count(local_settings, workspace) == 2 * len(rows) + 3
    window = UsageQuery(workspace, at(0), at(0, day=1), bucket="hour")
    usage = await local_store.usage(window)
    assert len(usage) == 1
    item = usage[0]
    want = expected(events, "hour")[0]
    assert (item.turns, item.failed_turns, item.messages) == (6, 1, 1)
    assert (item.p50_latency_ms, item.p95_latency_ms) == (
        want["p50_latency_ms"],
        want["p95_latency_ms"],
    )
    assert (item.prompt_tokens, item.completion_tokens) == (50, 100)


async def test_a_bucket_without_completed_turns_has_no_percentiles(
    local_store: AnalyticsStore,
) -> None:
    workspace, bot = uuid.uuid4(), uuid.uuid4()
    await local_store.insert_events(
        [
            event_row(failed_turn(workspace, bot, at(1), 50)),
            event_row(message(workspace, bot, at(1))),
        ]
    )
    [item] = await local_store.usage(UsageQuery(workspace, at(0), at(0, day=1)))
    assert (item.turns, item.failed_turns, item.p50_latency_ms, item.p95_latency_ms) == (
        1,
        1,
        None,
        None,
    )


async def test_concurrent_inserts_and_queries_share_the_engine(local_store: AnalyticsStore) -> None:
    workspace, bot = uuid.uuid4(), uuid.uuid4()
    batches = [
        [event_row(turn(workspace, bot, at(2, i), latency_ms=i)) for i in range(j, j + 10)]
        for j in range(0, 50, 10)
    ]
    query = UsageQuery(workspace, at(0), at(0, day=1))
    await asyncio.gather(*(local_store.insert_events(b) for b in batches), local_store.usage(query))
    [item] = await local_store.usage(query)
    assert item.turns == 50


async def test_handles_in_one_process_share_one_session_until_the_last_closes(
    local_store: AnalyticsStore, local_settings: Settings
) -> None:
    first = ChdbEngine(chdb_directory(local_settings))
    second = ChdbEngine(chdb_directory(local_settings))
    first.close()
    first.close()  # closing twice releases once
    assert json_rows(second.select_json("SELECT 1 AS one")) == [{"one": 1}]
    second.close()
    assert "present" in await local_store.ping()  # the store's own handle still holds it
