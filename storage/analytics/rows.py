"""A domain event as one `events` row: the envelope, plus the typed fields analytics counts.

Every event is kept (the store is the analytics copy of the event stream); fields an event
type lacks stay empty, and `data` keeps the whole payload for questions not asked yet. Values
are read leniently so that an event of a newer version is stored rather than lost.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson

from contracts.events import DomainEvent
from storage.analytics.port import EventRow

_UINT32_MAX = 2**32 - 1


def event_row(event: DomainEvent) -> EventRow:
    data = event.data
    return {
        "workspace_id": str(event.workspace_id),
        "event_id": str(event.event_id),
        "type": event.type,
        "version": event.version,
        "occurred_at": clickhouse_time(event.occurred_at),
        "operation_id": event.operation_id or "",
        "trace_id": event.trace_id or "",
        "actor_user_id": str(event.actor_user_id) if event.actor_user_id else None,
        "bot_id": _uuid(data.get("bot_id")),
        "thread_id": _uuid(data.get("thread_id")),
        "turn_id": _uuid(data.get("turn_id")),
        "model": _text(data.get("model")),
        "role": _text(data.get("role")),
        "latency_ms": _count(data.get("latency_ms"), default=None),
        "prompt_tokens": _count(data.get("prompt_tokens")),
        "completion_tokens": _count(data.get("completion_tokens")),
        "characters": _count(data.get("characters")),
        "data": orjson.dumps(data).decode(),
    }


def clickhouse_time(moment: datetime) -> str:
    """UTC text that DateTime64 parses in any engine version (naive means UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _uuid(value: Any) -> str | None:
    try:
        return str(UUID(str(value))) if value is not None else None
    except ValueError:
        return None


def _text(value: Any) -> str:
    return value[:200] if isinstance(value, str) else ""


def _count(value: Any, default: int | None = 0) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return default
    return min(value, _UINT32_MAX)
