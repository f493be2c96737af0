"""The analytics tables, as an ordered list of idempotent statements run on every start.

`events` holds every domain event once per event id. Delivery is at least once, so the same
event can be inserted twice (a sink killed after its insert and before its offset commit):
`ReplacingMergeTree` keyed by (workspace_id, event_id) collapses such copies when parts merge,
and queries read `FINAL` so that copies not merged yet count once too. The key starts with the
workspace (every query filters by it); months partition the time range, and a min-max index on
`occurred_at` skips the rest.

A later change appends a statement (`ALTER TABLE ... ADD COLUMN IF NOT EXISTS ...`); a
statement once released never changes, so replaying the list is always safe.
"""

import re

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def events_table(database: str) -> str:
    if not _IDENTIFIER.match(database):
        raise ValueError(f"not a plain database name: {database!r}")
    return f"`{database}`.events"


def migrations(database: str) -> list[str]:
    table = events_table(database)
    return [
        f"CREATE DATABASE IF NOT EXISTS `{database}`",
        f"""
        CREATE TABLE IF NOT EXISTS {table} (
            workspace_id UUID,
            event_id UUID,
            type LowCardinality(String),
            version UInt16,
            occurred_at DateTime64(3, 'UTC'),
            operation_id String,
            trace_id String,
            actor_user_id Nullable(UUID),
            bot_id Nullable(UUID),
            thread_id Nullable(UUID),
            turn_id Nullable(UUID),
            model LowCardinality(String),
            role LowCardinality(String),
            latency_ms Nullable(UInt32),
            prompt_tokens UInt32,
            completion_tokens UInt32,
            characters UInt32,
            data String,
            inserted_at DateTime64(3, 'UTC') DEFAULT now64(3),
            INDEX occurred_at_minmax occurred_at TYPE minmax GRANULARITY 1
        )
        ENGINE = ReplacingMergeTree
        PARTITION BY toYYYYMM(occurred_at)
        ORDER BY (workspace_id, event_id)
        """,
    ]
