"""Exactly one effect per operation id, through the gateway, the real broker and Postgres."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from uuid import UUID

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from gateway.app import create_app
from storage.rate_limit import RateLimiter
from storage.schema.bots import bots
from tests.support.callers import Caller
from tests.support.stack import HandlerProcesses, new_bus


async def bot_count(db: AsyncEngine, workspace_id: UUID) -> int:
    async with db.connect() as conn:
        query = select(func.count()).select_from(bots).where(bots.c.workspace_id == workspace_id)
        return int((await conn.execute(query)).scalar_one())


async def test_sequential_duplicates_have_one_effect_and_replay_the_first_result(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    headers = {**caller.headers, "X-Operation-Id": f"op-{uuid.uuid4().hex}"}
    responses = [
        await api.post("/v1/bots", json={"name": "Once"}, headers=headers) for _ in range(4)
    ]
    bodies = [await r.json() for r in responses]
    assert [r.status for r in responses] == [201] * 4
    assert all(body == bodies[0] for body in bodies)
    assert [r.headers.get("Idempotent-Replayed") for r in responses] == [
        None,
        "true",
        "true",
        "true",
    ]
    assert await bot_count(db, caller.workspace_id) == 1


async def test_concurrent_duplicates_have_one_effect(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    headers = {**caller.headers, "Idempotency-Key": f"op-{uuid.uuid4().hex}"}
    responses = await asyncio.gather(
        *(api.post("/v1/bots", json={"name": "Race"}, headers=headers) for _ in range(10))
    )
    ids = {(await r.json()).get("id") for r in responses if r.status == 201}
    assert {r.status for r in responses} <= {201, 409}
    assert len(ids) == 1
    assert await bot_count(db, caller.workspace_id) == 1


async def test_the_same_operation_id_with_another_body_is_refused(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    headers = {**caller.headers, "X-Operation-Id": f"op-{uuid.uuid4().hex}"}
    first = await api.post("/v1/bots", json={"name": "First"}, headers=headers)
    second = await api.post("/v1/bots", json={"name": "Second"}, headers=headers)
    assert first.status == 201
    assert second.status == 422
    assert (await second.json())["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await bot_count(db, caller.workspace_id) == 1


async def test_operation_ids_are_scoped_to_the_workspace(
    api: ClientSession, caller: Caller, other_caller: Caller, db: AsyncEngine
) -> None:
    operation = {"X-Operation-Id": f"op-{uuid.uuid4().hex}"}
    mine = await api.post("/v1/bots", json={"name": "A"}, headers={**caller.headers, **operation})
    theirs = await api.post(
        "/v1/bots", json={"name": "A"}, headers={**other_caller.headers, **operation}
    )
    assert (mine.status, theirs.status) == (201, 201)
    assert theirs.headers.get("Idempotent-Replayed") is None
    assert (await mine.json())["id"] != (await theirs.json())["id"]


@pytest.fixture
async def impatient_api(
    settings: Settings, redis: Redis, handlers: HandlerProcesses
) -> AsyncIterator[ClientSession]:
    """A second gateway that gives up on replies after 1 ms."""
    bus = new_bus(settings.model_copy(update={"reply_timeout_s": 0.001}), "impatient")
    await bus.start()
    server = TestServer(create_app(settings, bus, RateLimiter(redis)), host="127.0.0.1")
    await server.start_server()
    async with ClientSession(base_url=str(server.make_url(""))) as session:
        yield session
    await server.close()
    await bus.stop()


async def test_a_gateway_timeout_then_a_retry_returns_the_stored_result(
    api: ClientSession, impatient_api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    headers = {**caller.headers, "X-Operation-Id": f"op-{uuid.uuid4().hex}"}
    timed_out = await impatient_api.post("/v1/bots", json={"name": "Late"}, headers=headers)
    assert timed_out.status == 504
    assert (await timed_out.json())["code"] == "UPSTREAM_TIMEOUT"
    for _ in range(100):  # the command completes on its own, after the gateway gave up
        if await bot_count(db, caller.workspace_id) == 1:
            break
        await asyncio.sleep(0.05)
    retried = await api.post("/v1/bots", json={"name": "Late"}, headers=headers)
    assert retried.status == 201
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert (await retried.json())["name"] == "Late"
    assert await bot_count(db, caller.workspace_id) == 1
