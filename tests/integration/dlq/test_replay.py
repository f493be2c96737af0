"""The DLQ replay CLI, run as an operator runs it, against the real broker and database."""

import asyncio
import json
import sys
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.envelope import Envelope
from contracts.topics import command_topic, dlq_topic
from gateway.bus_client import BusClient, command_headers
from handlers.runtime.dead_letters import DeadLetterHeader
from storage.schema.bots import bots
from storage.schema.spine import audit_log
from tests.support.callers import Caller, send_command
from tests.support.kafka import find_record, header
from tests.support.stack import ROOT, HandlerProcesses, settings_env


async def switchboard(settings: Settings, *args: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "deploy",
        *args,
        cwd=ROOT,
        env={**settings_env(settings), "COLUMNS": "200"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def dead_letters(settings: Settings, *filters: str) -> list[dict[str, Any]]:
    code, out = await switchboard(settings, "dlq", "list", "--json", *filters)
    assert code == 0, out
    return list(json.loads(out))


async def bot_count(db: AsyncEngine, caller: Caller, name: str) -> int:
    async with db.connect() as conn:
        query = (
            select(func.count())
            .select_from(bots)
            .where(bots.c.workspace_id == caller.workspace_id, bots.c.name == name)
        )
        return int((await conn.execute(query)).scalar_one())


@pytest.fixture
async def broken_bots_table(db: AsyncEngine) -> AsyncIterator[None]:
    """A real fault: the table the handler writes is gone (think: a bad migration)."""
    async with db.begin() as conn:
        await conn.execute(text("ALTER TABLE bots RENAME TO bots_broken"))
    yield
    async with db.begin() as conn:
        await conn.execute(text("ALTER TABLE IF EXISTS bots_broken RENAME TO bots"))


async def fix(db: AsyncEngine) -> None:
    async with db.begin() as conn:
        await conn.execute(text("ALTER TABLE bots_broken RENAME TO bots"))


async def test_a_failed_command_is_listed_then_replayed_once_the_fault_is_gone(
    settings: Settings,
    bus: BusClient,
    handlers: HandlerProcesses,
    caller: Caller,
    db: AsyncEngine,
    broken_bots_table: None,
) -> None:
    operation_id = f"dlq-{uuid.uuid4().hex}"
    failed = await send_command(
        bus, settings, "bots.create", {"name": "Phoenix"}, caller, operation_id
    )
    assert (failed.status, failed.error and failed.error.code) == (500, "INTERNAL")

    [letter] = await dead_letters(settings, "--operation-id", operation_id)
    assert letter["command_type"] == "bots.create"
    assert letter["workspace"] == str(caller.workspace_id)
    assert letter["error_type"] == "ProgrammingError"
    assert letter["attempts"] == "3"
    assert letter["replayed"] is False

    code, out = await switchboard(
        settings, "dlq", "replay", "--operation-id", operation_id, "--dry-run"
    )
    assert code == 0
    assert f"would replay {letter['id']}" in out
    assert (await dead_letters(settings, "--operation-id", operation_id))[0]["replayed"] is False

    await fix(db)
    code, out = await switchboard(settings, "dlq", "replay", "--operation-id", operation_id)
    assert code == 0, out
    assert "replayed: 1 ok" in out
    assert await bot_count(db, caller, "Phoenix") == 1

    code, out = await switchboard(settings, "dlq", "replay", "--operation-id", operation_id)
    assert code == 0
    assert "replayed: 0 ok" in out and "skipped: 1" in out
    assert await bot_count(db, caller, "Phoenix") == 1

    async with db.connect() as conn:
        audit = (
            await conn.execute(
                select(audit_log.c.action, audit_log.c.changes).where(
                    audit_log.c.workspace_id == caller.workspace_id,
                    audit_log.c.resource_id == letter["id"],
                )
            )
        ).all()
    assert [(row.action, row.changes["outcome"], row.changes["status"]) for row in audit] == [
        ("dlq.replayed", "ok", 201)
    ]


async def test_replaying_a_command_that_had_succeeded_has_no_second_effect(
    settings: Settings, bus: BusClient, handlers: HandlerProcesses, caller: Caller, db: AsyncEngine
) -> None:
    operation_id = f"dlq-{uuid.uuid4().hex}"
    done = await send_command(bus, settings, "bots.create", {"name": "Twice"}, caller, operation_id)
    assert done.status == 201
    # As if its reply had failed after the commit: the same record, dead-lettered.
    topic = command_topic("bots", settings.topic_prefix)
    envelope = Envelope(
        type="bots.create", operation_id=operation_id, trace_id="t", payload={"name": "Twice"}
    )
    headers = {
        **command_headers(envelope, caller.authorization),
        DeadLetterHeader.ORIGINAL_TOPIC: topic,
        DeadLetterHeader.ERROR_TYPE: "KafkaTimeoutError",
    }
    await bus.publish(
        dlq_topic(topic), envelope.model_dump_json().encode(), str(caller.workspace_id), headers
    )

    code, out = await switchboard(
        settings, "dlq", "replay", "--operation-id", operation_id, "--rate", "50"
    )
    assert code == 0, out
    assert "replayed: 1 ok" in out
    assert await bot_count(db, caller, "Twice") == 1


async def test_show_prints_one_dead_letter_with_secrets_redacted(
    settings: Settings, bus: BusClient, handlers: HandlerProcesses
) -> None:
    topic, trace = command_topic("auth", settings.topic_prefix), uuid.uuid4().hex
    await bus.publish(
        topic, b"garbage", None, {"trace_id": trace, "authorization": "Bearer s3cret"}
    )
    record = await find_record(settings, dlq_topic(topic), lambda r: header(r, "trace_id") == trace)

    code, out = await switchboard(
        settings, "dlq", "show", f"{record.topic}:{record.partition}:{record.offset}"
    )
    assert code == 0, out
    shown = json.loads(out)
    assert (shown["payload"], shown["error_type"]) == ("garbage", "PoisonMessage")
    assert shown["headers"]["authorization"] == "<redacted>"
    assert "s3cret" not in out


async def test_show_of_an_unknown_dead_letter_is_exit_4(settings: Settings, topics: None) -> None:
    code, _ = await switchboard(settings, "dlq", "show", "nope.dlq:0:0")
    assert code == 4
