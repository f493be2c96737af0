"""Scenario U3: create a bot, set its instruction twice, list versions 1, 2, 3, read version 2."""

from aiohttp import ClientSession

from tests.integration.bots.http import json_of, put_instruction
from tests.support.bots import create_bot
from tests.support.callers import Caller


async def test_u3_create_set_instruction_twice_list_versions_read_version_2(
    api: ClientSession, caller: Caller
) -> None:
    bot = await create_bot(api, caller, name="Helper", instruction="Be brief.")
    assert bot["current_version"] == 1
    assert bot["instruction"] == "Be brief."

    second = await put_instruction(api, caller, bot["id"], "Be kind.")
    third = await put_instruction(api, caller, bot["id"], "Be exact.", config={"temperature": 0})
    assert [second["version"]["number"], third["version"]["number"]] == [2, 3]
    assert third["bot"]["current_version"] == 3
    assert third["bot"]["instruction"] == "Be exact."

    versions = await json_of(
        await api.get(f"/v1/bots/{bot['id']}/versions", headers=caller.headers), 200
    )
    assert [(v["number"], v["instruction"]) for v in versions["items"]] == [
        (1, "Be brief."),
        (2, "Be kind."),
        (3, "Be exact."),
    ]
    assert versions["next_cursor"] is None

    version_2 = await json_of(
        await api.get(f"/v1/bots/{bot['id']}/versions/2", headers=caller.headers), 200
    )
    assert version_2 == versions["items"][1]
    assert version_2["config"] == {}
    assert version_2["created_by"] == str(caller.user_id)
