"""`switchboard infra check`: does every configured dependency answer?"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient
from alembic.script import ScriptDirectory
from redis.asyncio import Redis
from sqlalchemy import text

from config.settings import Settings
from contracts.topics import all_topics
from deploy.migrate import alembic_config
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


CHECKS: dict[str, Check] = {
    "kafka": check_kafka,
    "postgres": check_postgres,
    "redis": check_redis,
}


async def run_checks(settings: Settings) -> list[CheckResult]:
    results = []
    for name, check in CHECKS.items():
        try:
            results.append(CheckResult(name, True, await check(settings)))
        except Exception as exc:
            results.append(CheckResult(name, False, f"{type(exc).__name__}: {exc}"))
    return results
