"""Exactly one event per change: a replayed or duplicated operation id emits nothing new, and a
refused command emits nothing at all (the events share the effect's transaction)."""

import asyncio
import uuid
from typing import Any

from aiohttp import ClientSession
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from gateway.bus_client import BusClient
from tests.integration.events.support import rows_of_operation
from tests.support.auth import new_email, register
from tests.support.callers import Caller, send_command
from tests.support.stack import HandlerProcesses


async def twice(
    api: ClientSession, method: str, path: str, headers: dict[str, str], **body: Any
) -> Any:
    """The same request under the same operation id, twice; the first answer's body."""
    operation = {**headers, "X-Operation-Id": f"ev-{uuid.uuid4().hex}"}
    first = await api.request(method, path, headers=operation, json=body)
    second = await api.request(method, path, headers=operation, json=body)
    assert first.status < 300, await first.text()
    assert (second.status, second.headers.get("Idempotent-Replayed")) == (first.status, "true")
    return operation["X-Operation-Id"], await first.json()


async def test_replayed_operations_emit_their_events_once(
    api: ClientSession, db: AsyncEngine
) -> None:
    email = new_email()
    register_op, _ = await twice(
        api, "POST", "/v1/auth/register", {}, email=email, password="correct-horse"
    )
    headers = (await register(api))["headers"]
    bot_op, bot = await twice(api, "POST", "/v1/bots", headers, name="Once")
    version_op, _ = await twice(
        api, "PUT", f"/v1/bots/{bot['id']}/instruction", headers, instruction="Be brief."
    )
    thread_op, thread = await twice(
        api, "POST", "/v1/conversations/threads", headers, bot_id=bot["id"]
    )
    turn_op, _ = await twice(
        api, "POST", f"/v1/conversations/threads/{thread['id']}/turn", headers, content="hi"
    )

    assert await rows_of_operation(db, register_op) == ["user.registered", "workspace.created"]
    assert await rows_of_operation(db, bot_op) == ["bot.created", "bot.version_created"]
    assert await rows_of_operation(db, version_op) == ["bot.version_created"]
    assert await rows_of_operation(db, thread_op) == ["thread.created"]
    assert await rows_of_operation(db, turn_op) == [
        "message.created",
        "message.created",
        "turn.completed",
    ]


async def test_concurrent_duplicates_of_one_operation_emit_once(
    settings: Settings,
    bus: BusClient,
    handlers: HandlerProcesses,
    caller: Caller,
    db: AsyncEngine,
) -> None:
    operation_id = f"ev-{uuid.uuid4().hex}"
    replies = await asyncio.gather(
        *(
            send_command(bus, settings, "bots.create", {"name": "Racer"}, caller, operation_id)
            for _ in range(5)
        )
    )

    assert {reply.status for reply in replies} <= {201, 409}
    assert await rows_of_operation(db, operation_id) == ["bot.created", "bot.version_created"]


async def test_refused_commands_emit_nothing(
    api: ClientSession, db: AsyncEngine, caller: Caller
) -> None:
    taken = await register(api)
    attempts = [
        ("POST", "/v1/auth/register", {}, {"email": taken["email"], "password": "12345678"}, 409),
        ("PATCH", f"/v1/bots/{uuid.uuid4()}", caller.headers, {"name": "x"}, 404),
        ("DELETE", f"/v1/bots/{uuid.uuid4()}", caller.headers, None, 404),
        ("POST", "/v1/conversations/threads", caller.headers, {"bot_id": str(uuid.uuid4())}, 404),
    ]
    for method, path, headers, body, status in attempts:
        operation_id = f"ev-{uuid.uuid4().hex}"
        response = await api.request(
            method, path, headers={**headers, "X-Operation-Id": operation_id}, json=body
        )
        assert response.status == status, await response.text()
        assert await rows_of_operation(db, operation_id) == []
