"""`switchboard infra check`: does every configured dependency answer?

The stores are probed for real: the analytics store's schema, an object written, read and
deleted, a vector upserted, found and deleted. An embedded analytics store (chDB) that the
running `analytics` group holds is not opened here (one process at a time may): the group is
asked over the bus instead (`analytics.store_check`).
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient
from alembic.script import ScriptDirectory
from redis.asyncio import Redis
from sqlalchemy import text

from config.settings import Settings
from contracts.envelope import Envelope
from contracts.topics import all_topics, command_topic, reply_topic
from deploy.migrate import alembic_config
from gateway.bus_client import BusClient, ReplyTimeout
from storage.analytics import open_store, store_location
from storage.analytics.factory import chdb_directory
from storage.analytics.ownership import held_elsewhere
from storage.blobs import VectorPoint, open_objects, open_vectors
from storage.db import create_engine


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


Check = Callable[[Settings], Awaitable[str]]


async def check_kafka(settings: Settings) -> str:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
    finally:
        await admin.close()
    missing = sorted(set(all_topics(settings.topic_prefix)) - existing)
    if missing:
        raise RuntimeError(f"missing topics: {', '.join(missing)} (run `switchboard init`)")
    return f"{settings.kafka_bootstrap}, {len(all_topics(settings.topic_prefix))} topics present"


async def check_postgres(settings: Settings) -> str:
    head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            current = (
                await conn.execute(text("SELECT version_num FROM alembic_version"))
            ).scalar_one_or_none()
    finally:
        await engine.dispose()
    if current != head:
        raise RuntimeError(f"schema at {current}, head is {head} (run `switchboard init`)")
    return f"schema at head {head}"


async def check_redis(settings: Settings) -> str:
    redis = Redis.from_url(settings.redis_url, socket_timeout=5)
    try:
        await redis.ping()
    finally:
        await redis.aclose()
    return "PING answered"


async def check_analytics(settings: Settings) -> str:
    where = store_location(settings)
    if settings.analytics_backend == "chdb" and held_elsewhere(chdb_directory(settings)):
        return f"{where}: {await _ask_analytics_group(settings)} (asked the analytics group that owns it)"
    store = await open_store(settings, migrate=False)
    try:
        found = await store.ping()
    finally:
        await store.close()
    if settings.analytics_backend == "chdb":
        return f"{where}: {found} (no process held it; opened by this check)"
    return f"{where}: {found}"


async def _ask_analytics_group(settings: Settings) -> str:
    # A fixed reply topic: repeated checks reuse it rather than leaving one topic behind each.
    bus = BusClient(
        settings.kafka_bootstrap, reply_topic("infra-check", settings.topic_prefix), 10.0
    )
    await bus.start()
    try:
        envelope = Envelope(
            type="analytics.store_check",
            operation_id=f"infra-check-{uuid.uuid4().hex}",
            trace_id=uuid.uuid4().hex,
        )
        topic = command_topic("analytics", settings.topic_prefix)
        try:
            reply = await bus.request(topic, envelope, None, None)
        except ReplyTimeout as exc:
            raise RuntimeError(f"held, but the analytics group did not answer on {topic}") from exc
    finally:
        await bus.stop()
    if not reply.ok or not isinstance(reply.body, dict):
        raise RuntimeError(reply.error.message if reply.error else f"status {reply.status}")
    return str(reply.body["detail"])


async def check_objects(settings: Settings) -> str:
    objects = open_objects(settings)
    if not await objects.bucket_exists():
        raise RuntimeError(f"{objects.location}: bucket missing (run `switchboard init`)")
    key, data = f"_infra-check/{uuid.uuid4().hex}", uuid.uuid4().bytes
    await objects.put(key, data)
    try:
        if await objects.get(key) != data:
            raise RuntimeError("the probe object read back differently")
    finally:
        await objects.delete(key)
    if await objects.exists(key):
        raise RuntimeError("the probe object survived its delete")
    return f"{objects.backend}: {objects.location}: probe written, read back, deleted"


async def check_vectors(settings: Settings) -> str:
    vectors = open_vectors(settings)
    try:
        found = await vectors.describe()
        probe = VectorPoint(uuid.uuid4(), uuid.uuid4(), _unit_vector(settings.vector_size))
        await vectors.upsert([probe])
        try:
            hits = await vectors.search(probe.workspace_id, probe.vector, limit=1)
        finally:
            await vectors.delete(probe.workspace_id, [probe.id])
        if [hit.id for hit in hits] != [probe.id]:
            raise RuntimeError("the probe vector was not found by its own search")
    finally:
        await vectors.close()
    return f"{vectors.backend}: {vectors.location} ({found}): probe upserted, found, deleted"


def _unit_vector(size: int) -> list[float]:
    return [1.0] + [0.0] * (size - 1)


CHECKS: dict[str, Check] = {
    "kafka": check_kafka,
    "postgres": check_postgres,
    "redis": check_redis,
    "clickhouse": check_analytics,
    "object storage": check_objects,
    "vector store": check_vectors,
}


async def run_checks(settings: Settings) -> list[CheckResult]:
    results = []
    for name, check in CHECKS.items():
        try:
            results.append(CheckResult(name, True, await check(settings)))
        except Exception as exc:
            results.append(CheckResult(name, False, f"{type(exc).__name__}: {exc}"))
    return results
