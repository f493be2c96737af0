"""The relay rides out a database fault: it logs, backs off and publishes once the fault is gone;
no handler process dies of it."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.events import BotArchived, DomainEvent
from contracts.topics import SERVICES, Service
from gateway.bus_client import BusClient
from storage.outbox import Outbox
from tests.integration.events.support import has_event_ids, workspace_records
from tests.support.callers import Caller
from tests.support.stack import HandlerProcesses, wait_until_groups_answer

FAILED = '"outbox_relay_failed"'


@pytest.fixture
async def outbox_gone(db: AsyncEngine) -> AsyncIterator[None]:
    """A real fault: the table the relays read is gone (think: a bad migration)."""
    async with db.begin() as conn:
        await conn.execute(text("ALTER TABLE outbox RENAME TO outbox_away"))
    yield
    await bring_back(db)


async def bring_back(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        await conn.execute(text("ALTER TABLE IF EXISTS outbox_away RENAME TO outbox"))


async def every_relay_failed(handlers: HandlerProcesses, before: dict[Service, int]) -> None:
    for _ in range(100):
        if all(handlers.log(s).count(FAILED) > before[s] for s in SERVICES):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("not every relay reported the fault")


async def test_relays_log_a_database_fault_and_publish_once_it_is_gone(
    settings: Settings,
    bus: BusClient,
    handlers: HandlerProcesses,
    db: AsyncEngine,
    caller: Caller,
    outbox_gone: None,
) -> None:
    before = {s: handlers.log(s).count(FAILED) for s in SERVICES}
    await every_relay_failed(handlers, before)

    await bring_back(db)
    event = DomainEvent.of(BotArchived(bot_id=uuid.uuid4()), caller.workspace_id)
    async with db.begin() as conn:
        await Outbox(conn).add(event)

    await workspace_records(settings, caller.workspace_id, has_event_ids({event.event_id}))
    await wait_until_groups_answer(bus, settings, timeout_s=10)
