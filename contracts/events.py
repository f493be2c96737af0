"""Domain events: what happened, published to the `events` topic (keyed by workspace id).

Every state change writes its events to the outbox in its own transaction; a relay publishes
them. Delivery is at least once: consumers deduplicate by `event_id`. Each event type has a
versioned payload model; a change that is not backward compatible gets a new `version`.
"""

import uuid
from datetime import UTC, datetime
from typing import Any, Final
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

EVENT_ID_HEADER: Final = "event_id"
EVENT_TYPE_HEADER: Final = "event_type"


class EventData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UserRegistered(EventData):
    user_id: UUID


class WorkspaceCreated(EventData):
    name: str


class BotCreated(EventData):
    bot_id: UUID
    name: str


class BotUpdated(EventData):
    bot_id: UUID
    fields: list[str]


class BotArchived(EventData):
    bot_id: UUID


class BotVersionCreated(EventData):
    bot_id: UUID
    number: int


class ThreadCreated(EventData):
    thread_id: UUID
    bot_id: UUID
    bot_version: int


class MessageCreated(EventData):
    message_id: UUID
    thread_id: UUID
    bot_id: UUID
    role: str
    seq: int
    characters: int


class TurnCompleted(EventData):
    turn_id: UUID
    thread_id: UUID
    bot_id: UUID
    bot_version: int
    model: str
    latency_ms: int
    prompt_tokens: int
    completion_tokens: int


class TurnFailed(EventData):
    turn_id: UUID
    thread_id: UUID
    bot_id: UUID
    bot_version: int
    model: str
    latency_ms: int
    error: str


class DeadLetterReplayed(EventData):
    dead_letter_id: str
    outcome: str


EVENT_TYPES: dict[str, type[EventData]] = {
    "user.registered": UserRegistered,
    "workspace.created": WorkspaceCreated,
    "bot.created": BotCreated,
    "bot.updated": BotUpdated,
    "bot.archived": BotArchived,
    "bot.version_created": BotVersionCreated,
    "thread.created": ThreadCreated,
    "message.created": MessageCreated,
    "turn.completed": TurnCompleted,
    "turn.failed": TurnFailed,
    "dlq.replayed": DeadLetterReplayed,
}
_TYPE_OF = {model: name for name, model in EVENT_TYPES.items()}


class DomainEvent(BaseModel):
    """The record value on the `events` topic."""

    model_config = ConfigDict(frozen=True)

    event_id: UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = 1
    workspace_id: UUID
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    operation_id: str | None = None
    trace_id: str | None = None
    actor_user_id: UUID | None = None
    data: dict[str, Any]

    @classmethod
    def of(
        cls,
        data: EventData,
        workspace_id: UUID,
        *,
        operation_id: str | None = None,
        trace_id: str | None = None,
        actor_user_id: UUID | None = None,
    ) -> "DomainEvent":
        return cls(
            type=_TYPE_OF[type(data)],
            workspace_id=workspace_id,
            operation_id=operation_id,
            trace_id=trace_id,
            actor_user_id=actor_user_id,
            data=data.model_dump(mode="json"),
        )

    def typed_data(self) -> EventData:
        return EVENT_TYPES[self.type].model_validate(self.data)
