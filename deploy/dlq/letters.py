"""A dead letter as the operator sees it, and the filters that select some."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from aiokafka import ConsumerRecord

from contracts.envelope import Header
from handlers.runtime.dead_letters import DeadLetterHeader


@dataclass(frozen=True)
class DeadLetter:
    id: str
    timestamp: datetime
    key: str | None
    value: bytes
    headers: dict[str, str]

    @classmethod
    def from_record(cls, record: ConsumerRecord[bytes, bytes]) -> "DeadLetter":
        return cls(
            id=f"{record.topic}:{record.partition}:{record.offset}",
            timestamp=datetime.fromtimestamp(record.timestamp / 1000, UTC),
            key=record.key.decode(errors="replace") if record.key else None,
            value=record.value or b"",
            headers={k: v.decode(errors="replace") for k, v in record.headers},
        )

    @property
    def original_topic(self) -> str:
        return self.headers.get(DeadLetterHeader.ORIGINAL_TOPIC) or self.id.rsplit(".dlq:", 1)[0]

    @property
    def operation_id(self) -> str | None:
        return self.headers.get(Header.OPERATION_ID)

    @property
    def error_type(self) -> str:
        return self.headers.get(DeadLetterHeader.ERROR_TYPE, "")

    @property
    def command_type(self) -> str:
        try:
            envelope = orjson.loads(self.value)
        except orjson.JSONDecodeError:
            return "(undecodable)"
        return str(envelope.get("type", "?")) if isinstance(envelope, dict) else "(undecodable)"

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.timestamp.isoformat(),
            "original_topic": self.original_topic,
            "original_partition": self.headers.get(DeadLetterHeader.ORIGINAL_PARTITION),
            "original_offset": self.headers.get(DeadLetterHeader.ORIGINAL_OFFSET),
            "command_type": self.command_type,
            "workspace": self.key,
            "operation_id": self.operation_id,
            "error_type": self.error_type,
            "error_message": self.headers.get(DeadLetterHeader.ERROR_MESSAGE, ""),
            "attempts": self.headers.get(DeadLetterHeader.ATTEMPTS),
        }


@dataclass(frozen=True)
class Filters:
    topics: list[str] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None
    error_type: str | None = None
    workspace: str | None = None
    operation_id: str | None = None
    ids: list[str] = field(default_factory=list)

    def match(self, letter: DeadLetter) -> bool:
        checks = (
            not self.topics
            or letter.original_topic in self.topics
            or letter.id.split(":")[0] in self.topics,
            self.since is None or letter.timestamp >= self.since,
            self.until is None or letter.timestamp <= self.until,
            self.error_type is None or letter.error_type == self.error_type,
            self.workspace is None or letter.key == self.workspace,
            self.operation_id is None or letter.operation_id == self.operation_id,
            not self.ids or letter.id in self.ids,
        )
        return all(checks)
