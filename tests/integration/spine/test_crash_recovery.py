"""A handler process killed (SIGKILL) mid-stream: after restart every command has exactly one effect."""

import asyncio
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.envelope import Envelope
from contracts.topics import command_topic
from gateway.bus_client import BusClient, command_headers
from storage.schema.bots import bots
from storage.schema.spine import processed_operations
from tests.support.callers import Caller, send_command
from tests.support.stack import HandlerProcesses, wait_until_groups_answer

COMMANDS = 60


async def count(db: AsyncEngine, caller: Caller) -> tuple[int, int]:
    async with db.connect() as conn:
        made = (
            select(func.count()).select_from(bots).where(bots.c.workspace_id == caller.workspace_id)
        )
        ops = (
            select(func.count())
            .select_from(processed_operations)
            .where(processed_operations.c.workspace_id == caller.workspace_id)
        )
        return int((await conn.execute(made)).scalar_one()), int(
            (await conn.execute(ops)).scalar_one()
        )


async def test_a_killed_handler_resumes_with_exactly_one_effect_per_command(
    settings: Settings, bus: BusClient, handlers: HandlerProcesses, caller: Caller, db: AsyncEngine
) -> None:
    operation_ids = [f"crash-{uuid.uuid4().hex}" for _ in range(COMMANDS)]
    topic = command_topic("bots", settings.topic_prefix)
    for i, operation_id in enumerate(operation_ids):
        envelope = Envelope(
            type="bots.create",
            operation_id=operation_id,
            trace_id=operation_id,
            payload={"name": f"bot-{i}"},
        )
        value = envelope.model_dump_json().encode()
        headers = command_headers(envelope, caller.authorization)
        await bus.publish(topic, value, str(caller.workspace_id), headers)

    for _ in range(400):  # kill it in the middle of the stream
        if (await count(db, caller))[0] >= 3:
            break
        await asyncio.sleep(0.01)
    handlers.kill("bots")
    killed_at = (await count(db, caller))[0]
    handlers.start("bots")
    await wait_until_groups_answer(bus, settings, timeout_s=60)

    replies = await asyncio.gather(
        *(
            send_command(bus, settings, "bots.create", {"name": f"bot-{i}"}, caller, operation_id)
            for i, operation_id in enumerate(operation_ids)
        )
    )
    assert killed_at < COMMANDS, "the process finished before the kill; the test proved nothing"
    assert all(reply.status == 201 for reply in replies)
    assert len({reply.body["id"] for reply in replies}) == COMMANDS
    assert await count(db, caller) == (COMMANDS, COMMANDS)
