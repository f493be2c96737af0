"""The analytics store: domain events in ClickHouse (a server, or chDB in-process), usage out.

    store = await open_store(settings)      # migrated, ready
    await store.insert_events([event_row(event), ...])
    rows = await store.usage(UsageQuery(workspace_id, start, end, bot_id=None, bucket="day"))

Both backends run the same SQL (`schema.py`, `usage_sql.py`); only the way statements reach
the engine differs (`engines.py`).
"""

from storage.analytics.factory import open_store, store_location
from storage.analytics.port import AnalyticsStore, UsageQuery, UsageRow
from storage.analytics.rows import event_row

__all__ = [
    "AnalyticsStore",
    "UsageQuery",
    "UsageRow",
    "event_row",
    "open_store",
    "store_location",
]
