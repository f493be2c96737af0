"""The Kafka floor: a raw aiokafka request/reply round trip, with nothing of ours in the way.

Like a command: one producer (acks=all, idempotent, linger 1 ms, as the gateway's) publishes a
record of a turn command's size and headers to a throwaway request topic; an echo task (the
handler's place) consumes it and publishes it back to a throwaway reply topic with the same
correlation id; a reader resolves the waiting future. No consumer group, no offset commits, no
decoding: the least any command can cost on this broker.
"""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from config.settings import Settings
from contracts.envelope import Envelope, Header
from deploy.bench.scenario import TURN_TEXT
from gateway.bus_client import command_headers
from security.tokens import AccessTokens

Headers = list[tuple[str, bytes]]
TIMEOUT_S = 10.0


def turn_command(settings: Settings) -> tuple[bytes, Headers]:
    """A record as large as a real turn command: the envelope and a freshly signed token."""
    tokens = AccessTokens(
        settings.jwt_secret.get_secret_value(),
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.access_token_ttl_s,
    )
    token = tokens.issue(uuid.uuid4(), uuid.uuid4(), "owner")
    envelope = Envelope(
        type="conversations.turn",
        operation_id=f"bench-floor-{uuid.uuid4().hex}",
        trace_id=uuid.uuid4().hex,
        payload={"thread_id": str(uuid.uuid4()), "content": f"{TURN_TEXT} (1)"},
    )
    headers = command_headers(envelope, f"Bearer {token}")
    return envelope.model_dump_json().encode(), [(k, v.encode()) for k, v in headers.items()]


class KafkaFloor:
    DETAIL = (
        "raw aiokafka request/reply (acks=all, idempotent, linger 1 ms) over two throwaway "
        "single-partition topics; an echo task replies; no group, no commits, no decoding"
    )

    def __init__(self, bootstrap: str, topic_prefix: str, record: tuple[bytes, Headers]) -> None:
        self.requests = f"{topic_prefix}floor.requests"
        self.replies = f"{topic_prefix}floor.replies"
        self._bootstrap = bootstrap
        self._value, self._headers = record
        self._pending: dict[bytes, asyncio.Future[None]] = {}
        self._client = _producer(bootstrap)
        self._echo = _producer(bootstrap)
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def record_bytes(self) -> int:
        return len(self._value) + sum(len(k) + len(v) for k, v in self._headers)

    async def start(self) -> None:
        await _create_topics(self._bootstrap, [self.requests, self.replies])
        await self._client.start()
        await self._echo.start()
        requests = await _tail(self._bootstrap, self.requests)
        replies = await _tail(self._bootstrap, self.replies)
        self._tasks = [
            asyncio.create_task(self._serve(requests)),
            asyncio.create_task(self._read_replies(replies)),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._client.stop()
        await self._echo.stop()
        await _delete_topics(self._bootstrap, [self.requests, self.replies])

    async def round_trip(self) -> None:
        correlation_id = uuid.uuid4().hex.encode()
        done = asyncio.get_running_loop().create_future()
        self._pending[correlation_id] = done
        try:
            headers = [*self._headers, (Header.CORRELATION_ID, correlation_id)]
            await self._client.send_and_wait(self.requests, self._value, headers=headers)
            await asyncio.wait_for(done, TIMEOUT_S)
        finally:
            self._pending.pop(correlation_id, None)

    async def _serve(self, consumer: AIOKafkaConsumer) -> None:
        """The handler's place: every request straight back, with its correlation id."""
        try:
            async for record in consumer:
                reply_headers = [(k, v) for k, v in record.headers if k == Header.CORRELATION_ID]
                await self._echo.send_and_wait(self.replies, record.value, headers=reply_headers)
        finally:
            await consumer.stop()

    async def _read_replies(self, consumer: AIOKafkaConsumer) -> None:
        try:
            async for record in consumer:
                correlation_id = dict(record.headers).get(Header.CORRELATION_ID, b"")
                future = self._pending.get(correlation_id)
                if future is not None and not future.done():
                    future.set_result(None)
        finally:
            await consumer.stop()


def _producer(bootstrap: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=1
    )


async def _tail(bootstrap: str, topic: str) -> AIOKafkaConsumer:
    """A consumer without a group, positioned at the end of the topic's only partition."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    partition = TopicPartition(topic, 0)
    consumer.assign([partition])
    await consumer.seek_to_end(partition)
    await consumer.position(partition)
    return consumer


@contextlib.asynccontextmanager
async def _admin(bootstrap: str) -> AsyncIterator[AIOKafkaAdminClient]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def _create_topics(bootstrap: str, names: list[str]) -> None:
    async with _admin(bootstrap) as admin:
        await admin.create_topics([NewTopic(name, 1, 1) for name in names])
        # Creation is asynchronous; assigning a partition of an unknown topic only logs errors.
        for _ in range(100):
            if set(names) <= set(await admin.list_topics()):
                return
            await asyncio.sleep(0.05)
    raise RuntimeError(f"topics {names} did not appear")


async def _delete_topics(bootstrap: str, names: list[str]) -> None:
    async with _admin(bootstrap) as admin:
        await admin.delete_topics(names)
