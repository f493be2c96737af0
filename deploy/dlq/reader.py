"""Reads every `*.commands.dlq` topic from its start to its end as of now (no consumer group)."""

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from contracts.topics import SERVICES, command_topic, dlq_topic
from deploy.dlq.letters import DeadLetter, Filters


def dlq_topics(prefix: str) -> list[str]:
    return [dlq_topic(command_topic(service, prefix)) for service in SERVICES]


async def read_dead_letters(bootstrap: str, prefix: str, filters: Filters) -> list[DeadLetter]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        request_timeout_ms=10000,
    )
    await consumer.start()
    try:
        partitions = await _partitions(bootstrap, dlq_topics(prefix))
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        letters: list[DeadLetter] = []
        while await _behind(consumer, ends):
            batches = await consumer.getmany(timeout_ms=1000)
            for records in batches.values():
                letters.extend(
                    letter
                    for letter in map(DeadLetter.from_record, records)
                    if filters.match(letter)
                )
        return sorted(letters, key=lambda letter: letter.timestamp)
    finally:
        await consumer.stop()


async def _behind(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for partition, end in ends.items():
        if await consumer.position(partition) < end:
            return True
    return False


async def _partitions(bootstrap: str, topics: list[str]) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        described = await admin.describe_topics([t for t in topics if t in existing])
    finally:
        await admin.close()
    return [
        TopicPartition(topic["topic"], partition["partition"])
        for topic in described
        for partition in topic["partitions"]
    ]


async def kafka_reachable(bootstrap: str) -> None:
    """Raises if the cluster does not answer (the CLI turns that into exit code 3)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await admin.start()
    await admin.close()
