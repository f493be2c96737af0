"""The dead-letter middleware on FastStream's in-memory broker: retries, DLQ headers, 500 reply.

The same path runs against the real broker in tests/integration/spine; this one is fast and
pins the details (attempt counts, which errors are retried, the headers).
"""

from typing import Any

import orjson
import pytest
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage
from sqlalchemy.exc import OperationalError

from handlers.runtime.dead_letters import DeadLetterHeader, DeadLetterMiddleware, RetryPolicy
from handlers.runtime.failures import PoisonMessage


def broker_failing_with(
    errors: list[Exception],
) -> tuple[KafkaBroker, list[int], list[dict[str, Any]], list[Any]]:
    """A broker whose `cmds` handler raises each of `errors` in turn, then succeeds."""
    broker = KafkaBroker(
        middlewares=[
            DeadLetterMiddleware(
                "grp", RetryPolicy(attempts=3, backoff_s=0.0, transient_budget_s=5.0)
            )
        ]
    )
    attempts: list[int] = []
    dead: list[dict[str, Any]] = []
    replies: list[Any] = []

    @broker.subscriber("cmds", group_id="grp", ack_policy=AckPolicy.NACK_ON_ERROR)
    async def handle(msg: KafkaMessage) -> dict[str, bool]:
        attempts.append(1)
        if len(attempts) <= len(errors):
            raise errors[len(attempts) - 1]
        return {"ok": True}

    @broker.subscriber("cmds.dlq")
    async def dead_letters(msg: KafkaMessage) -> None:
        dead.append({"headers": dict(msg.headers), "body": msg.body})

    @broker.subscriber("replies")
    async def on_reply(msg: KafkaMessage) -> None:
        replies.append(orjson.loads(msg.body) if msg.body else None)

    return broker, attempts, dead, replies


async def test_an_unexpected_error_is_retried_then_dead_lettered_with_its_story() -> None:
    broker, attempts, dead, replies = broker_failing_with([RuntimeError("bug")] * 5)
    async with TestKafkaBroker(broker) as br:
        await br.publish(b"payload", "cmds", headers={"trace_id": "tr-1"}, reply_to="replies")
    assert len(attempts) == 3
    [letter] = dead
    headers = letter["headers"]
    assert letter["body"] == b"payload"
    assert headers[DeadLetterHeader.ORIGINAL_TOPIC] == "cmds"
    assert headers[DeadLetterHeader.CONSUMER_GROUP] == "grp"
    assert headers[DeadLetterHeader.ERROR_TYPE] == "RuntimeError"
    assert headers[DeadLetterHeader.ERROR_MESSAGE] == "bug"
    assert headers[DeadLetterHeader.ATTEMPTS] == "3"
    assert headers[DeadLetterHeader.ORIGINAL_REPLY_TO] == "replies"
    assert DeadLetterHeader.FIRST_FAILURE_AT in headers
    assert "reply_to" not in headers
    assert replies[-1]["status"] == 500
    assert replies[-1]["error"]["code"] == "INTERNAL"
    assert "tr-1" in replies[-1]["error"]["message"]


async def test_a_poison_message_is_dead_lettered_without_retries() -> None:
    broker, attempts, dead, _ = broker_failing_with([PoisonMessage("garbage")])
    async with TestKafkaBroker(broker) as br:
        await br.publish(b"\xff\xfe", "cmds")
    assert len(attempts) == 1
    assert dead[0]["headers"][DeadLetterHeader.ERROR_TYPE] == "PoisonMessage"


async def test_a_failure_that_clears_up_within_the_retries_is_not_dead_lettered() -> None:
    broker, attempts, dead, replies = broker_failing_with([RuntimeError("flaky")])
    async with TestKafkaBroker(broker) as br:
        await br.publish(b"payload", "cmds", reply_to="replies")
    assert len(attempts) == 2
    assert dead == []
    assert replies == [{"ok": True}]


@pytest.mark.parametrize("count", [4, 6])
async def test_transient_errors_are_retried_past_the_attempt_limit_within_the_budget(
    count: int,
) -> None:
    transient = OperationalError("SELECT 1", {}, ConnectionRefusedError("db down"))
    broker, attempts, dead, _ = broker_failing_with([transient] * count)
    async with TestKafkaBroker(broker) as br:
        await br.publish(b"payload", "cmds")
    # Backoff 0 s: the whole budget allows many attempts, more than the 3 for other errors.
    assert len(attempts) == count + 1
    assert dead == []
