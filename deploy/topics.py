"""Creates the command, dead-letter and event topics; safe to run any number of times."""

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from contracts.topics import COMMAND_PARTITIONS, all_topics

# Dead letters are kept a month: long enough to notice, diagnose and replay.
DLQ_CONFIG = {"retention.ms": str(30 * 24 * 3600 * 1000)}


def desired_topics(prefix: str) -> list[NewTopic]:
    topics = []
    for name in all_topics(prefix):
        config = DLQ_CONFIG if name.endswith(".dlq") else {}
        topics.append(NewTopic(name, COMMAND_PARTITIONS, 1, topic_configs=config))
    return topics


async def ensure_topics(bootstrap: str, prefix: str = "") -> list[str]:
    """Create what is missing; return the names created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in desired_topics(prefix) if t.name not in existing]
        if missing:
            await admin.create_topics(missing)
        return [t.name for t in missing]
    finally:
        await admin.close()


async def delete_topics(bootstrap: str, prefix: str) -> None:
    """Remove a prefixed deployment's topics (tests clean up after themselves)."""
    if not prefix:
        raise ValueError("refusing to delete the unprefixed production topics")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        doomed = [t for t in existing if t.startswith(prefix)]
        if doomed:
            await admin.delete_topics(doomed)
    finally:
        await admin.close()
