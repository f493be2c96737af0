"""Publishes commands and waits for their replies on this instance's own reply topic.

FastStream's `broker.request()` only works under its test client, so the gateway keeps its own
reply waiter: one consumer, no consumer group (nothing to commit, no rebalance), assigned to the
reply topic and positioned at its end *before* the gateway reports ready, so no reply can be
produced ahead of the position we read from. Futures are keyed by correlation id; a reply for
an unknown id (its caller timed out) is dropped.
"""

import asyncio
import contextlib
import uuid

import orjson
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError

from contracts.envelope import Envelope, Header, Reply

log = structlog.get_logger("bus")


class BusUnavailable(Exception):
    """The command could not be handed to Kafka."""


class ReplyTimeout(Exception):
    """No reply within the deadline; the command may still complete."""


class BusClient:
    def __init__(self, bootstrap: str, reply_topic: str, timeout_s: float) -> None:
        self.reply_topic = reply_topic
        self.timeout_s = timeout_s
        self._bootstrap = bootstrap
        self._pending: dict[str, asyncio.Future[Reply]] = {}
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            acks="all",
            enable_idempotence=True,
            linger_ms=1,
        )
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False
        )
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._ensure_reply_topic()
        await self._producer.start()
        await self._consumer.start()
        partition = TopicPartition(self.reply_topic, 0)
        self._consumer.assign([partition])
        await self._consumer.seek_to_end(partition)
        await self._consumer.position(partition)
        self._reader = asyncio.create_task(self._read_replies(), name="reply-reader")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._consumer.stop()
        await self._producer.stop()

    async def request(
        self, topic: str, envelope: Envelope, key: str | None, authorization: str | None
    ) -> Reply:
        value = envelope.model_dump_json().encode()
        return await self.request_raw(topic, value, key, command_headers(envelope, authorization))

    async def request_raw(
        self, topic: str, value: bytes, key: str | None, headers: dict[str, str]
    ) -> Reply:
        """Publish any record with our reply topic and wait for its reply."""
        correlation_id = uuid.uuid4().hex
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._pending[correlation_id] = future
        try:
            reply_headers = {
                Header.CORRELATION_ID: correlation_id,
                Header.REPLY_TO: self.reply_topic,
            }
            await self.publish(topic, value, key, {**headers, **reply_headers})
            try:
                return await asyncio.wait_for(future, self.timeout_s)
            except TimeoutError as exc:
                raise ReplyTimeout from exc
        finally:
            self._pending.pop(correlation_id, None)

    async def publish(
        self, topic: str, value: bytes, key: str | None, headers: dict[str, str]
    ) -> None:
        """Publish without waiting for a reply (no `reply_to` unless given in `headers`)."""
        try:
            await self._producer.send_and_wait(
                topic,
                value,
                key=key.encode() if key else None,
                headers=[(k, v.encode()) for k, v in headers.items()],
            )
        except KafkaError as exc:
            raise BusUnavailable(str(exc)) from exc

    async def _read_replies(self) -> None:
        while True:
            try:
                batches = await self._consumer.getmany(timeout_ms=1000)
            except KafkaError as exc:
                log.warning("reply_read_failed", error=str(exc))
                await asyncio.sleep(0.5)
                continue
            for records in batches.values():
                for record in records:
                    self._resolve(record.headers, record.value)

    def _resolve(self, headers: list[tuple[str, bytes]], value: bytes | None) -> None:
        correlation_id = next((v.decode() for k, v in headers if k == Header.CORRELATION_ID), None)
        future = self._pending.get(correlation_id or "")
        if future is None or future.done():
            return
        try:
            future.set_result(Reply.model_validate(orjson.loads(value or b"null")))
        except ValueError as exc:
            future.set_exception(BusUnavailable(f"undecodable reply: {exc}"))

    async def _ensure_reply_topic(self) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap)
        await admin.start()
        try:
            if self.reply_topic not in await admin.list_topics():
                # Replies are useless once their caller gave up: keep them an hour.
                await admin.create_topics(
                    [NewTopic(self.reply_topic, 1, 1, topic_configs={"retention.ms": "3600000"})]
                )
            # Creation is asynchronous; assigning before the topic is known only logs errors.
            for _ in range(100):
                if self.reply_topic in await admin.list_topics():
                    break
                await asyncio.sleep(0.05)
        finally:
            await admin.close()


def command_headers(envelope: Envelope, authorization: str | None) -> dict[str, str]:
    headers = {
        Header.CONTENT_TYPE: "application/json",
        Header.OPERATION_ID: envelope.operation_id,
        Header.TRACE_ID: envelope.trace_id,
    }
    if authorization:
        headers[Header.AUTHORIZATION] = authorization
    return headers
