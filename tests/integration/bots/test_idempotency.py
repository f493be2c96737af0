"""The same operation id twice has one effect; the second answer is the first, replayed."""

import uuid

from aiohttp import ClientSession
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.schema.bots import bots
from tests.integration.bots.http import audit_of, json_of, walk
from tests.support.bots import create_bot
from tests.support.callers import Caller


def with_operation(caller: Caller, operation_id: str) -> dict[str, str]:
    return {**caller.headers, "X-Operation-Id": operation_id}


async def test_a_repeated_create_makes_one_bot_and_replays_the_first_answer(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    headers = with_operation(caller, f"create-{uuid.uuid4().hex}")
    first = await api.post("/v1/bots", json={"name": "Once"}, headers=headers)
    second = await api.post("/v1/bots", json={"name": "Once"}, headers=headers)
    assert (first.status, second.status) == (201, 201)
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert await second.json() == await first.json()
    async with db.connect() as conn:
        made = await conn.scalar(
            select(func.count()).select_from(bots).where(bots.c.workspace_id == caller.workspace_id)
        )
    assert made == 1
    assert len(await audit_of(api, caller, (await first.json())["id"])) == 1


async def test_the_same_operation_id_with_another_body_is_refused(
    api: ClientSession, caller: Caller
) -> None:
    headers = with_operation(caller, f"create-{uuid.uuid4().hex}")
    await json_of(await api.post("/v1/bots", json={"name": "One"}, headers=headers), 201)
    reused = await api.post("/v1/bots", json={"name": "Two"}, headers=headers)
    assert (await json_of(reused, 422))["code"] == "IDEMPOTENCY_KEY_REUSED"
    names = [b["name"] for page in await walk(api, caller, "/v1/bots", 100) for b in page]
    assert names == ["One"]


async def test_a_repeated_instruction_change_makes_one_version(
    api: ClientSession, caller: Caller
) -> None:
    bot = await create_bot(api, caller, instruction="v1")
    headers = with_operation(caller, f"put-{uuid.uuid4().hex}")
    path = f"/v1/bots/{bot['id']}/instruction"
    answers = [await api.put(path, json={"instruction": "v2"}, headers=headers) for _ in range(2)]
    assert [(await json_of(a, 200))["version"]["number"] for a in answers] == [2, 2]
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    versions = await walk(api, caller, f"/v1/bots/{bot['id']}/versions", 100)
    assert [v["number"] for v in versions[0]] == [1, 2]


async def test_a_repeated_archive_replays_204_instead_of_404(
    api: ClientSession, caller: Caller
) -> None:
    bot = await create_bot(api, caller)
    headers = with_operation(caller, f"delete-{uuid.uuid4().hex}")
    answers = [await api.delete(f"/v1/bots/{bot['id']}", headers=headers) for _ in range(2)]
    assert [a.status for a in answers] == [204, 204]
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    assert [e["action"] for e in await audit_of(api, caller, bot["id"])] == [
        "bot.archived",
        "bot.created",
    ]
