"""Retries, then the dead-letter topic: a failed command is never lost and never blocks the group.

A broker middleware around each command. Transient failures (database or broker unavailable)
are retried with backoff within `transient_budget_s`; other unexpected errors `attempts` times;
an undecodable record not at all. Then the record goes to `<topic>.dlq` with headers that say
where it came from and why it failed, and the waiting caller gets a 500 `INTERNAL` reply naming
the trace id. Returning normally lets the ack policy commit the offset; if the dead-letter
publish itself fails, the exception reaches NACK_ON_ERROR and the record is redelivered.
"""

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from faststream import BaseMiddleware
from faststream.kafka import KafkaResponse
from faststream.message import StreamMessage

from contracts.envelope import Header, Reply
from contracts.errors import ErrorCode
from contracts.topics import dlq_topic
from handlers.runtime.failures import PoisonMessage, backoff_s, is_transient
from handlers.runtime.replies import reply_response

log = structlog.get_logger("dead_letters")


class DeadLetterHeader:
    ORIGINAL_TOPIC = "x-original-topic"
    ORIGINAL_PARTITION = "x-original-partition"
    ORIGINAL_OFFSET = "x-original-offset"
    ORIGINAL_REPLY_TO = "x-original-reply-to"
    CONSUMER_GROUP = "x-consumer-group"
    ERROR_TYPE = "x-error-type"
    ERROR_MESSAGE = "x-error-message"
    ATTEMPTS = "x-attempts"
    FIRST_FAILURE_AT = "x-first-failure-at"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    backoff_s: float = 0.2
    transient_budget_s: float = 60.0


class DeadLetterMiddleware:
    """Factory FastStream calls once per message: `KafkaBroker(middlewares=[DeadLetterMiddleware(...)])`."""

    def __init__(self, group_id: str, policy: RetryPolicy) -> None:
        self.group_id = group_id
        self.policy = policy

    def __call__(self, msg: Any, /, *, context: Any) -> "_DeadLetterScope":
        return _DeadLetterScope(msg, context=context, factory=self)


class _DeadLetterScope(BaseMiddleware):
    def __init__(self, msg: Any, /, *, context: Any, factory: DeadLetterMiddleware) -> None:
        super().__init__(msg, context=context)
        self._group_id = factory.group_id
        self._policy = factory.policy

    async def consume_scope(self, call_next: Any, msg: StreamMessage[Any]) -> Any:
        first_failure: datetime | None = None
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                return await call_next(msg)
            except Exception as exc:
                first_failure = first_failure or datetime.now(UTC)
                if not self._retry(exc, attempt, time.monotonic() - started):
                    return await self._dead_letter(msg, exc, attempt, first_failure)
                log.warning("command_retry", attempt=attempt, error=type(exc).__name__)
                await asyncio.sleep(backoff_s(attempt, self._policy.backoff_s))

    def _retry(self, exc: Exception, attempt: int, elapsed_s: float) -> bool:
        if isinstance(exc, PoisonMessage):
            return False
        if is_transient(exc):
            return elapsed_s < self._policy.transient_budget_s
        return attempt < self._policy.attempts

    async def _dead_letter(
        self, msg: StreamMessage[Any], exc: Exception, attempts: int, first_failure: datetime
    ) -> KafkaResponse:
        record = msg.raw_message
        headers = {k: v for k, v in msg.headers.items() if k != Header.REPLY_TO}
        headers |= {
            DeadLetterHeader.ORIGINAL_TOPIC: record.topic,
            DeadLetterHeader.ORIGINAL_PARTITION: str(record.partition),
            DeadLetterHeader.ORIGINAL_OFFSET: str(record.offset),
            DeadLetterHeader.ORIGINAL_REPLY_TO: msg.reply_to or "",
            DeadLetterHeader.CONSUMER_GROUP: self._group_id,
            DeadLetterHeader.ERROR_TYPE: type(exc).__name__,
            DeadLetterHeader.ERROR_MESSAGE: str(exc)[:1000],
            DeadLetterHeader.ATTEMPTS: str(attempts),
            DeadLetterHeader.FIRST_FAILURE_AT: first_failure.isoformat(),
        }
        await self.context.get("broker").publish(
            msg.body,
            dlq_topic(record.topic),
            key=record.key,
            headers=headers,
            correlation_id=msg.correlation_id,
        )
        trace_id = msg.headers.get(Header.TRACE_ID, "")
        log.error(
            "command_dead_lettered",
            topic=record.topic,
            offset=record.offset,
            error=type(exc).__name__,
            error_message=str(exc)[:300],
            attempts=attempts,
            trace_id=trace_id,
        )
        reply = Reply.failure(
            ErrorCode.INTERNAL,
            f"the command failed and was dead-lettered; quote trace id {trace_id}",
            {"trace_id": trace_id},
        )
        return reply_response(reply, trace_id, msg.headers.get(Header.OPERATION_ID, ""))
