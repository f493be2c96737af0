"""The usage query: per bucket and bot, counts, turn latency percentiles and tokens.

Pure: builds the SQL text and its `{name:Type}` parameters; the engine binds them. Only the
bucket function and the table name are spliced in, both from fixed choices.

- `turns` counts completed and failed turns, `failed_turns` the failed ones;
- `messages` counts messages of either role (user and assistant);
- p50/p95 latency are over completed turns, interpolated between the two nearest values
  (`quantileExactInclusive`, like numpy's default), null when a bucket has none;
- tokens are summed over completed turns.
Buckets start at UTC hours or days; buckets without events are absent. Rows come ordered by
bucket, then bot id as text.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from storage.analytics.port import Bucket, UsageQuery, UsageRow
from storage.analytics.rows import clickhouse_time
from storage.analytics.schema import events_table

BUCKET_FUNCTIONS: dict[Bucket, str] = {"hour": "toStartOfHour", "day": "toStartOfDay"}

_SELECT = """
SELECT
    {bucket_function}(occurred_at) AS bucket_start,
    bot_id,
    countIf(type IN ('turn.completed', 'turn.failed')) AS turns,
    countIf(type = 'message.created') AS messages,
    countIf(type = 'turn.failed') AS failed_turns,
    if(countIf(type = 'turn.completed') = 0, NULL,
       quantileExactInclusiveIf(0.5)(latency_ms, type = 'turn.completed')) AS p50_latency_ms,
    if(countIf(type = 'turn.completed') = 0, NULL,
       quantileExactInclusiveIf(0.95)(latency_ms, type = 'turn.completed')) AS p95_latency_ms,
    sumIf(prompt_tokens, type = 'turn.completed') AS prompt_tokens,
    sumIf(completion_tokens, type = 'turn.completed') AS completion_tokens
FROM {table} FINAL
WHERE workspace_id = {{workspace_id:UUID}}
  AND occurred_at >= {{start:DateTime64(6, 'UTC')}}
  AND occurred_at < {{end:DateTime64(6, 'UTC')}}
  AND type IN ('message.created', 'turn.completed', 'turn.failed'){bot_filter}
GROUP BY bucket_start, bot_id
ORDER BY bucket_start, toString(bot_id)
SETTINGS output_format_json_quote_64bit_integers = 0
"""


def usage_sql(database: str, query: UsageQuery) -> tuple[str, dict[str, str]]:
    params = {
        "workspace_id": str(query.workspace_id),
        "start": clickhouse_time(query.start),
        "end": clickhouse_time(query.end),
    }
    bot_filter = ""
    if query.bot_id is not None:
        bot_filter = "\n  AND bot_id = {bot_id:UUID}"
        params["bot_id"] = str(query.bot_id)
    sql = _SELECT.format(
        bucket_function=BUCKET_FUNCTIONS[query.bucket],
        table=events_table(database),
        bot_filter=bot_filter,
    )
    return sql, params


def usage_row(raw: dict[str, Any]) -> UsageRow:
    """One JSONEachRow result line (timestamps in UTC text) as a `UsageRow`."""
    return UsageRow(
        bucket_start=datetime.fromisoformat(f"{raw['bucket_start']}+00:00"),
        bot_id=UUID(raw["bot_id"]) if raw["bot_id"] else None,
        turns=int(raw["turns"]),
        messages=int(raw["messages"]),
        failed_turns=int(raw["failed_turns"]),
        p50_latency_ms=_float(raw["p50_latency_ms"]),
        p95_latency_ms=_float(raw["p95_latency_ms"]),
        prompt_tokens=int(raw["prompt_tokens"]),
        completion_tokens=int(raw["completion_tokens"]),
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
