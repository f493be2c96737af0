"""An integration that talks to Switchboard over Kafka, without the HTTP gateway.

    SWITCHBOARD_INTEGRATION_TOKEN=sbi_... SWITCHBOARD_WORKSPACE_ID=<uuid> \\
        python -m deploy.examples.integration "Support bot"

It creates a bot with `bots.create` and lists the workspace's bots with `bots.list`, each time
publishing the command envelope (see /asyncapi.json) to `bots.commands` keyed by the workspace
id, and reading the reply from a reply topic of its own, matched by `correlation_id`. It uses
only aiokafka and the `contracts` package, as any integration could.
"""

import asyncio
import os
import sys
import uuid
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from contracts.envelope import Envelope, Reply
from contracts.topics import command_topic

BOOTSTRAP = os.environ.get("SWITCHBOARD_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
PREFIX = os.environ.get("SWITCHBOARD_TOPIC_PREFIX", "")


class Integration:
    def __init__(self, token: str, workspace_id: str) -> None:
        self.token, self.workspace_id = token, workspace_id
        self.reply_topic = f"{PREFIX}integration.example.{uuid.uuid4().hex[:8]}"
        self.producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all")
        self.consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, group_id=None)

    async def __aenter__(self) -> "Integration":
        admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP)
        await admin.start()
        try:
            await admin.create_topics([NewTopic(self.reply_topic, 1, 1)])
        except TopicAlreadyExistsError:
            pass
        finally:
            await admin.close()
        await self.producer.start()
        await self.consumer.start()
        partition = TopicPartition(self.reply_topic, 0)
        self.consumer.assign([partition])
        await self.consumer.seek_to_end(partition)
        await self.consumer.position(partition)  # positioned before we publish anything
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.consumer.stop()
        await self.producer.stop()
        admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP)
        await admin.start()
        await admin.delete_topics([self.reply_topic])
        await admin.close()

    async def command(self, command_type: str, payload: dict[str, Any]) -> Reply:
        envelope = Envelope(
            type=command_type,
            operation_id=f"example-{uuid.uuid4().hex}",  # reuse it to retry safely
            trace_id=uuid.uuid4().hex,
            payload=payload,
        )
        correlation_id = uuid.uuid4().hex
        headers = {
            "content-type": "application/json",
            "operation_id": envelope.operation_id,
            "trace_id": envelope.trace_id,
            "correlation_id": correlation_id,
            "reply_to": self.reply_topic,
            "authorization": f"Bearer {self.token}",
        }
        await self.producer.send_and_wait(
            command_topic("bots", PREFIX),
            envelope.model_dump_json().encode(),
            key=self.workspace_id.encode(),
            headers=[(k, v.encode()) for k, v in headers.items()],
        )
        async with asyncio.timeout(15):
            async for record in self.consumer:
                if dict(record.headers).get("correlation_id") == correlation_id.encode():
                    return Reply.model_validate(orjson.loads(record.value or b"null"))
        raise TimeoutError("no reply")


async def main(bot_name: str) -> int:
    token = os.environ["SWITCHBOARD_INTEGRATION_TOKEN"]
    async with Integration(token, os.environ["SWITCHBOARD_WORKSPACE_ID"]) as integration:
        created = await integration.command("bots.create", {"name": bot_name})
        print(
            f"bots.create -> {created.status} {orjson.dumps(created.body or created.error).decode()}"
        )
        listed = await integration.command("bots.list", {"limit": 100})
        names = [bot["name"] for bot in (listed.body or {}).get("items", [])]
        print(f"bots.list -> {listed.status} {names}")
        return 0 if created.ok and listed.ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "Example bot")))
