"""Raw Kafka access for tests: publish arbitrary bytes, read a topic from the beginning."""

import asyncio
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from config.settings import Settings


async def publish_raw(
    settings: Settings, topic: str, value: bytes, headers: dict[str, str], key: bytes | None = None
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            topic, value, key=key, headers=[(k, v.encode()) for k, v in headers.items()]
        )
    finally:
        await producer.stop()


def header(record: ConsumerRecord[bytes, bytes], name: str) -> str | None:
    return next((v.decode() for k, v in record.headers if k == name), None)


async def find_record(
    settings: Settings,
    topic: str,
    match: Callable[[ConsumerRecord[bytes, bytes]], bool],
    timeout_s: float = 20.0,
) -> ConsumerRecord[bytes, bytes]:
    """The first record of `topic` (read from the start, no group) that `match`es."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(timeout_s):
            async for record in consumer:
                if match(record):
                    return record
    finally:
        await consumer.stop()
    raise AssertionError(f"no matching record on {topic}")
