"""Every handler process (and so every relay) SIGKILLed while the outbox drains: after restart
every event is published, none is lost; duplicates are allowed (consumers dedupe by event_id)."""

import asyncio
import uuid
from collections import Counter
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.envelope import Envelope
from contracts.events import BotUpdated, DomainEvent
from contracts.topics import SERVICES, command_topic
from gateway.bus_client import BusClient, command_headers
from storage.outbox import Outbox
from storage.schema.events import outbox
from tests.integration.events.support import (
    all_published,
    event_of,
    has_event_ids,
    outbox_rows,
    workspace_records,
)
from tests.support.callers import Caller, send_command
from tests.support.stack import HandlerProcesses, wait_until_groups_answer

BOTS = 40
# Events already waiting, so that the relays are busy for a while when the processes die.
BACKLOG = 4000


async def add_backlog(db: AsyncEngine, workspace_id: UUID) -> None:
    events = [
        DomainEvent.of(BotUpdated(bot_id=uuid.uuid4(), fields=["name"]), workspace_id)
        for _ in range(BACKLOG)
    ]
    async with db.begin() as conn:
        await Outbox(conn).add(*events)


async def published(db: AsyncEngine, workspace_id: UUID) -> tuple[int, int]:
    """(published, all) outbox rows of the workspace."""
    async with db.connect() as conn:
        query = select(func.count(outbox.c.published_at), func.count()).where(
            outbox.c.workspace_id == workspace_id
        )
        done, total = (await conn.execute(query)).one()
        return int(done), int(total)


async def publish_creates(bus: BusClient, settings: Settings, caller: Caller) -> list[str]:
    """`bots.create` commands straight onto the topic, no reply awaited."""
    operation_ids = [f"relay-crash-{uuid.uuid4().hex}" for _ in range(BOTS)]
    for i, operation_id in enumerate(operation_ids):
        envelope = Envelope(
            type="bots.create",
            operation_id=operation_id,
            trace_id=operation_id,
            payload={"name": f"b{i}"},
        )
        headers = command_headers(envelope, caller.authorization)
        topic = command_topic("bots", settings.topic_prefix)
        await bus.publish(
            topic, envelope.model_dump_json().encode(), str(caller.workspace_id), headers
        )
    return operation_ids


async def test_relays_killed_mid_stream_lose_no_event(
    settings: Settings, bus: BusClient, handlers: HandlerProcesses, caller: Caller, db: AsyncEngine
) -> None:
    operation_ids = await publish_creates(bus, settings, caller)
    await add_backlog(db, caller.workspace_id)
    for _ in range(1000):  # kill them once the relays have started on the backlog
        if (await published(db, caller.workspace_id))[0] > 0:
            break
        await asyncio.sleep(0.005)
    for service in SERVICES:
        handlers.kill(service)
    done_at_kill, total_at_kill = await published(db, caller.workspace_id)
    for service in SERVICES:
        handlers.start(service)
    await wait_until_groups_answer(bus, settings, timeout_s=60)
    replies = await asyncio.gather(
        *(
            send_command(bus, settings, "bots.create", {"name": f"b{i}"}, caller, operation_id)
            for i, operation_id in enumerate(operation_ids)
        )
    )
    await all_published(db, caller.workspace_id, timeout_s=60)

    assert 0 < done_at_kill < total_at_kill, "not killed mid-stream; the test proved nothing"
    assert all(reply.status == 201 for reply in replies)
    rows = await outbox_rows(db, caller.workspace_id)
    per_operation = Counter(row["event"]["operation_id"] for row in rows)
    assert all(per_operation[operation_id] == 2 for operation_id in operation_ids)
    assert len(rows) == BACKLOG + 2 * BOTS
    expected = {row["event_id"] for row in rows}
    records = await workspace_records(settings, caller.workspace_id, has_event_ids(expected), 60)
    assert {event_of(record).event_id for record in records} == expected
