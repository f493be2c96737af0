"""Events of the unhappy paths: a turn whose model failed (`turn.failed`, in the failed turn's own
transaction) and a dead letter replayed by the operator (`dlq.replayed`)."""

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.envelope import Envelope
from contracts.errors import DomainError
from contracts.events import DeadLetterReplayed, TurnFailed
from contracts.topics import command_topic, dlq_topic
from gateway.bus_client import BusClient, command_headers
from handlers.conversations.turn import turn_handler
from handlers.runtime.dead_letters import DeadLetterHeader
from storage.uow import UnitOfWork
from tests.integration.conversations.support import create_bot
from tests.integration.conversations.test_turn_use_case import (
    FlakyModel,
    open_thread,
    turn_command,
)
from tests.integration.dlq.test_replay import switchboard
from tests.integration.events.support import (
    event_of,
    has_event_ids,
    outbox_rows,
    rows_of_operation,
    workspace_records,
)
from tests.support.callers import Caller, send_command
from tests.support.kafka import header
from tests.support.stack import HandlerProcesses


async def test_a_failed_turn_emits_turn_failed_and_its_retry_the_completed_turn(
    settings: Settings, handlers: HandlerProcesses, db: AsyncEngine, caller: Caller
) -> None:
    uow = UnitOfWork(db)
    thread_id = await open_thread(uow, caller, await create_bot(db, caller.workspace_id))
    model, operation_id = FlakyModel(), f"ev-{uuid.uuid4().hex}"
    run_turn = turn_handler(model)
    cmd, ctx = turn_command(caller, thread_id, "anyone?", operation_id)

    with pytest.raises(DomainError) as failure:
        await run_turn(cmd, ctx, uow)
    model.failing = False
    await run_turn(cmd, ctx, uow)

    assert await rows_of_operation(db, operation_id) == [
        "turn.failed",
        "message.created",
        "message.created",
        "turn.completed",
    ]
    [failed] = [
        r for r in await outbox_rows(db, caller.workspace_id) if r["event_type"] == "turn.failed"
    ]
    records = await workspace_records(
        settings, caller.workspace_id, has_event_ids({failed["event_id"]})
    )
    [record] = [r for r in records if header(r, "event_type") == "turn.failed"]
    data = event_of(record).typed_data()
    assert isinstance(data, TurnFailed)
    assert failure.value.details == {"turn_id": str(data.turn_id)}
    assert (data.thread_id, data.model, data.error) == (thread_id, "flaky", "the provider is down")


async def test_replaying_a_dead_letter_emits_dlq_replayed_and_no_second_effect_event(
    settings: Settings, bus: BusClient, handlers: HandlerProcesses, caller: Caller, db: AsyncEngine
) -> None:
    operation_id = f"ev-{uuid.uuid4().hex}"
    done = await send_command(
        bus, settings, "bots.create", {"name": "Lazarus"}, caller, operation_id
    )
    assert done.status == 201
    # As if its reply had failed after the commit: the same record, dead-lettered.
    topic = command_topic("bots", settings.topic_prefix)
    envelope = Envelope(
        type="bots.create", operation_id=operation_id, trace_id="t-ev", payload={"name": "Lazarus"}
    )
    headers = {
        **command_headers(envelope, caller.authorization),
        DeadLetterHeader.ORIGINAL_TOPIC: topic,
        DeadLetterHeader.ERROR_TYPE: "KafkaTimeoutError",
    }
    await bus.publish(
        dlq_topic(topic), envelope.model_dump_json().encode(), str(caller.workspace_id), headers
    )

    code, out = await switchboard(settings, "dlq", "replay", "--operation-id", operation_id)

    assert code == 0, out
    assert await rows_of_operation(db, operation_id) == [
        "bot.created",
        "bot.version_created",
        "dlq.replayed",
    ]
    [replayed] = [
        r for r in await outbox_rows(db, caller.workspace_id) if r["event_type"] == "dlq.replayed"
    ]
    records = await workspace_records(
        settings, caller.workspace_id, has_event_ids({replayed["event_id"]})
    )
    [record] = [r for r in records if header(r, "event_type") == "dlq.replayed"]
    event = event_of(record)
    data = event.typed_data()
    assert isinstance(data, DeadLetterReplayed)
    assert data.outcome == "ok"
    assert data.dead_letter_id.startswith(dlq_topic(topic) + ":")
    assert (event.operation_id, event.trace_id, event.actor_user_id) == (operation_id, "t-ev", None)
