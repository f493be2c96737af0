"""Create, read, list, update and archive a bot through the gateway."""

from typing import Any

import pytest
from aiohttp import ClientSession
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.schema.bots import bot_versions, bots
from tests.integration.bots.http import audit_of, json_of
from tests.support.bots import create_bot
from tests.support.callers import Caller

BOT_FIELDS = {
    "id",
    "workspace_id",
    "name",
    "description",
    "current_version",
    "instruction",
    "created_at",
    "updated_at",
}


async def test_create_with_a_name_only_makes_version_1_with_an_empty_instruction(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot = await create_bot(api, caller, name="  Greeter  ")
    assert set(bot) == BOT_FIELDS
    assert bot["workspace_id"] == str(caller.workspace_id)
    assert (bot["name"], bot["description"], bot["instruction"]) == ("Greeter", "", "")
    assert bot["current_version"] == 1
    assert bot["created_at"] == bot["updated_at"]
    async with db.connect() as conn:
        version = (
            await conn.execute(select(bot_versions).where(bot_versions.c.bot_id == bot["id"]))
        ).one()
    assert (version.number, version.instruction, version.config) == (1, "", {})
    assert version.workspace_id == caller.workspace_id


async def test_get_answers_what_create_answered(api: ClientSession, caller: Caller) -> None:
    bot = await create_bot(api, caller, description="Says hello", instruction="Greet.")
    got = await json_of(await api.get(f"/v1/bots/{bot['id']}", headers=caller.headers), 200)
    assert got == bot
    assert (got["description"], got["instruction"]) == ("Says hello", "Greet.")


async def test_list_shows_the_callers_live_bots_newest_first(
    api: ClientSession, caller: Caller, other_caller: Caller
) -> None:
    first, second, third = [await create_bot(api, caller, name=n) for n in ("a", "b", "c")]
    await create_bot(api, other_caller, name="not yours")
    archived = await api.delete(f"/v1/bots/{second['id']}", headers=caller.headers)
    assert archived.status == 204
    page = await json_of(await api.get("/v1/bots", headers=caller.headers), 200)
    assert [b["id"] for b in page["items"]] == [third["id"], first["id"]]
    assert page["items"][0] == third
    assert page["next_cursor"] is None


@pytest.mark.parametrize(
    "change", [{"name": "Renamed"}, {"description": "New words"}, {"name": "N", "description": "D"}]
)
async def test_update_changes_only_the_given_fields(
    api: ClientSession, caller: Caller, change: dict[str, Any]
) -> None:
    bot = await create_bot(api, caller, name="Old", description="Old words", instruction="I")
    response = await api.patch(f"/v1/bots/{bot['id']}", json=change, headers=caller.headers)
    updated = await json_of(response, 200)
    assert updated == {**bot, **change, "updated_at": updated["updated_at"]}
    assert updated["updated_at"] > bot["updated_at"]
    got = await json_of(await api.get(f"/v1/bots/{bot['id']}", headers=caller.headers), 200)
    assert got == updated


async def test_an_update_to_the_current_values_changes_nothing_and_is_not_audited(
    api: ClientSession, caller: Caller
) -> None:
    bot = await create_bot(api, caller, name="Same", description="Same words")
    response = await api.patch(
        f"/v1/bots/{bot['id']}",
        json={"name": "Same", "description": "Same words"},
        headers=caller.headers,
    )
    assert await json_of(response, 200) == bot
    assert [e["action"] for e in await audit_of(api, caller, bot["id"])] == ["bot.created"]


async def test_an_archived_bot_is_gone_from_every_route_but_kept_in_the_database(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot = await create_bot(api, caller)
    path = f"/v1/bots/{bot['id']}"
    response = await api.delete(path, headers=caller.headers)
    assert response.status == 204
    assert await response.read() == b""
    for method, url, body in [
        ("GET", path, None),
        ("PATCH", path, {"name": "x"}),
        ("DELETE", path, None),
        ("PUT", f"{path}/instruction", {"instruction": "x"}),
        ("GET", f"{path}/versions", None),
        ("GET", f"{path}/versions/1", None),
    ]:
        gone = await api.request(method, url, json=body, headers=caller.headers)
        assert (await json_of(gone, 404))["code"] == "NOT_FOUND", (method, url)
    assert (await json_of(await api.get("/v1/bots", headers=caller.headers), 200))["items"] == []
    async with db.connect() as conn:
        archived_at = await conn.scalar(select(bots.c.archived_at).where(bots.c.id == bot["id"]))
    assert archived_at is not None
