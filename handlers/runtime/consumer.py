"""The command subscriber of a group: decode the record, dispatch it, answer on `reply_to`.

At-least-once: the group commits an offset only after the handler returned and FastStream
published its reply (NACK_ON_ERROR seeks back on an exception that escapes the dead-letter
middleware). `max_workers` consumers share the group, so partitions (workspaces) run in
parallel and each partition stays in order.
"""

import time

import structlog
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaResponse
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError

from contracts.envelope import Envelope, Header
from handlers.runtime.dispatch import Dispatcher
from handlers.runtime.failures import PoisonMessage
from handlers.runtime.replies import reply_response

log = structlog.get_logger("commands")


def decode_envelope(raw: bytes) -> Envelope:
    try:
        return Envelope.model_validate_json(raw)
    except ValidationError as exc:
        raise PoisonMessage(f"not a command envelope: {exc.error_count()} error(s)") from exc


def subscribe_commands(
    broker: KafkaBroker, topic: str, group_id: str, max_workers: int, dispatcher: Dispatcher
) -> None:
    @broker.subscriber(
        topic,
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        max_workers=max_workers,
        title=f"{topic}:{group_id}",
        description=f"Commands for the `{group_id}` group; replies go to the `reply_to` topic.",
    )
    async def on_command(msg: KafkaMessage) -> KafkaResponse:
        envelope = decode_envelope(msg.body)
        started = time.perf_counter()
        with structlog.contextvars.bound_contextvars(
            trace_id=envelope.trace_id,
            operation_id=envelope.operation_id,
            command_type=envelope.type,
        ):
            reply = await dispatcher(envelope, msg.headers.get(Header.AUTHORIZATION))
            log.info(
                "command_handled",
                status=reply.status,
                replayed=reply.replayed,
                ms=round((time.perf_counter() - started) * 1000, 2),
            )
        return reply_response(reply, envelope.trace_id, envelope.operation_id)
