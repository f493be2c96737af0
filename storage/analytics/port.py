"""What the analytics group needs from its store, whichever engine is behind it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol
from uuid import UUID

Bucket = Literal["hour", "day"]
# One `events` row as JSON-ready values (see `rows.event_row`).
EventRow = dict[str, Any]


@dataclass(frozen=True)
class UsageQuery:
    workspace_id: UUID
    start: datetime  # inclusive, timezone-aware
    end: datetime  # exclusive, timezone-aware
    bot_id: UUID | None = None
    bucket: Bucket = "day"


@dataclass(frozen=True)
class UsageRow:
    """One bucket of one bot: counts and latency percentiles of its turns and messages."""

    bucket_start: datetime
    bot_id: UUID | None
    turns: int
    messages: int
    failed_turns: int
    p50_latency_ms: float | None
    p95_latency_ms: float | None
    prompt_tokens: int
    completion_tokens: int


class AnalyticsStore(Protocol):
    backend: str  # "chdb" or "clickhouse"
    location: str  # where the data lives, for operators (a path or a URL and database)

    async def migrate(self) -> None:
        """Create what is missing (idempotent)."""

    async def insert_events(self, rows: list[EventRow]) -> None:
        """Insert rows; a row whose event id is already stored counts once (at-least-once sink)."""

    async def usage(self, query: UsageQuery) -> list[UsageRow]: ...

    async def ping(self) -> str:
        """Raises unless the engine answers and the schema is in place; says what it found."""

    async def close(self) -> None: ...
