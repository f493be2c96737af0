"""Poison through the real broker: dead-lettered with its metadata, answered, and the group goes on."""

import uuid

import orjson

from config.settings import Settings
from contracts.envelope import Envelope
from contracts.topics import command_topic, consumer_group, dlq_topic
from gateway.bus_client import BusClient
from handlers.runtime.dead_letters import DeadLetterHeader
from tests.support.kafka import find_record, header, publish_raw
from tests.support.stack import HandlerProcesses


async def test_an_undecodable_command_lands_in_the_dlq_and_the_next_command_succeeds(
    settings: Settings, bus: BusClient, handlers: HandlerProcesses
) -> None:
    topic = command_topic("bots", settings.topic_prefix)
    correlation_id, trace_id = uuid.uuid4().hex, f"poison-{uuid.uuid4().hex}"
    await publish_raw(
        settings,
        topic,
        b"\xff not json at all",
        {"correlation_id": correlation_id, "trace_id": trace_id, "reply_to": bus.reply_topic},
        key=b"some-workspace",
    )

    letter = await find_record(
        settings, dlq_topic(topic), lambda r: header(r, "trace_id") == trace_id
    )
    assert letter.value == b"\xff not json at all"
    assert letter.key == b"some-workspace"
    assert header(letter, DeadLetterHeader.ORIGINAL_TOPIC) == topic
    assert header(letter, DeadLetterHeader.CONSUMER_GROUP) == consumer_group(
        "bots", settings.topic_prefix
    )
    assert header(letter, DeadLetterHeader.ERROR_TYPE) == "PoisonMessage"
    assert header(letter, DeadLetterHeader.ATTEMPTS) == "1"
    assert int(header(letter, DeadLetterHeader.ORIGINAL_OFFSET) or -1) >= 0
    assert header(letter, DeadLetterHeader.ORIGINAL_PARTITION) is not None
    assert header(letter, DeadLetterHeader.FIRST_FAILURE_AT) is not None
    assert header(letter, "reply_to") is None

    reply = await find_record(
        settings, bus.reply_topic, lambda r: header(r, "correlation_id") == correlation_id
    )
    body = orjson.loads(reply.value)
    assert (body["status"], body["error"]["code"]) == (500, "INTERNAL")
    assert trace_id in body["error"]["message"]

    # Same key, so same partition: the poison did not block it.
    ping = Envelope(type="bots.ping", operation_id=uuid.uuid4().hex, trace_id=trace_id)
    after = await bus.request(topic, ping, "some-workspace", None)
    assert after.ok
