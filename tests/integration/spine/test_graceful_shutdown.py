"""SIGTERM under load: the group finishes or hands back its in-flight commands; none is lost
and none has two effects once it is back."""

import asyncio
import signal
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.envelope import Envelope
from contracts.topics import command_topic
from gateway.bus_client import BusClient, command_headers
from storage.schema.bots import bots
from tests.support.callers import Caller, send_command
from tests.support.stack import HandlerProcesses, wait_until_groups_answer

COMMANDS = 60


async def bot_count(db: AsyncEngine, caller: Caller) -> int:
    async with db.connect() as conn:
        query = (
            select(func.count()).select_from(bots).where(bots.c.workspace_id == caller.workspace_id)
        )
        return int((await conn.execute(query)).scalar_one())


async def test_sigterm_mid_stream_loses_nothing_and_doubles_nothing(
    settings: Settings, bus: BusClient, handlers: HandlerProcesses, caller: Caller, db: AsyncEngine
) -> None:
    topic = command_topic("bots", settings.topic_prefix)
    operations = [(f"term-{uuid.uuid4().hex}", {"name": f"bot-{i}"}) for i in range(COMMANDS)]
    for operation_id, payload in operations:
        envelope = Envelope(
            type="bots.create", operation_id=operation_id, trace_id=operation_id, payload=payload
        )
        headers = command_headers(envelope, caller.authorization)
        await bus.publish(
            topic, envelope.model_dump_json().encode(), str(caller.workspace_id), headers
        )
    for _ in range(400):
        if await bot_count(db, caller) >= 3:
            break
        await asyncio.sleep(0.01)

    exit_code = await asyncio.to_thread(handlers.stop, "bots", signal.SIGTERM)
    stopped_at = await bot_count(db, caller)
    handlers.start("bots")
    await wait_until_groups_answer(bus, settings, timeout_s=60)
    replies = await asyncio.gather(
        *(
            send_command(bus, settings, "bots.create", payload, caller, op)
            for op, payload in operations
        )
    )

    assert exit_code == 0, "the group did not shut down cleanly on SIGTERM"
    assert stopped_at < COMMANDS, "everything finished before the signal; the test proved nothing"
    assert all(reply.status == 201 for reply in replies)
    assert len({reply.body["id"] for reply in replies}) == COMMANDS
    assert await bot_count(db, caller) == COMMANDS
