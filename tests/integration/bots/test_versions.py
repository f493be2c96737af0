"""Instruction versions: numbered previous + 1 without gaps under concurrency, never rewritten."""

import asyncio
import uuid
from typing import Any

from aiohttp import ClientSession

from tests.integration.bots.http import audit_of, json_of, put_instruction, walk
from tests.support.bots import create_bot
from tests.support.callers import Caller

PARALLEL = 20


async def test_parallel_instruction_changes_number_versions_2_to_21_without_gaps(
    api: ClientSession, caller: Caller
) -> None:
    bot = await create_bot(api, caller, instruction="v1")

    async def put(i: int) -> tuple[int, str]:
        response = await api.put(
            f"/v1/bots/{bot['id']}/instruction",
            json={"instruction": f"parallel {i}"},
            headers={**caller.headers, "X-Operation-Id": f"par-{uuid.uuid4().hex}"},
        )
        version = (await json_of(response, 200))["version"]
        return version["number"], version["instruction"]

    answered = await asyncio.gather(*(put(i) for i in range(PARALLEL)))
    assert sorted(number for number, _ in answered) == list(range(2, PARALLEL + 2))
    versions = [
        v for page in await walk(api, caller, f"/v1/bots/{bot['id']}/versions", 100) for v in page
    ]
    assert [v["number"] for v in versions] == list(range(1, PARALLEL + 2))
    assert dict(answered) == {v["number"]: v["instruction"] for v in versions[1:]}
    got = await json_of(await api.get(f"/v1/bots/{bot['id']}", headers=caller.headers), 200)
    assert got["current_version"] == PARALLEL + 1
    assert got["instruction"] == dict(answered)[PARALLEL + 1]


async def test_the_current_instruction_and_config_again_make_no_version_and_no_audit_entry(
    api: ClientSession, caller: Caller
) -> None:
    bot = await create_bot(api, caller, instruction="Same.")
    omitted_or_equal: list[dict[str, Any]] = [{}, {"config": {}}]
    for body in omitted_or_equal:
        same = await put_instruction(api, caller, bot["id"], "Same.", **body)
        assert same["version"]["number"] == 1
        assert same["bot"] == bot
    versions = await walk(api, caller, f"/v1/bots/{bot['id']}/versions", 100)
    assert [v["number"] for v in versions[0]] == [1]
    assert [e["action"] for e in await audit_of(api, caller, bot["id"])] == ["bot.created"]


async def test_a_changed_config_alone_is_a_new_version(api: ClientSession, caller: Caller) -> None:
    bot = await create_bot(api, caller, instruction="Same.")
    changed = await put_instruction(api, caller, bot["id"], "Same.", config={"temperature": 0.5})
    assert (changed["version"]["number"], changed["version"]["config"]) == (2, {"temperature": 0.5})
    assert changed["bot"]["current_version"] == 2


async def test_an_omitted_config_keeps_the_current_one(api: ClientSession, caller: Caller) -> None:
    bot = await create_bot(api, caller)
    await put_instruction(api, caller, bot["id"], "A", config={"model": "echo", "n": [1, 2]})
    kept = await put_instruction(api, caller, bot["id"], "B")
    assert kept["version"]["number"] == 3
    assert kept["version"]["config"] == {"model": "echo", "n": [1, 2]}
    cleared = await put_instruction(api, caller, bot["id"], "B", config={})
    assert (cleared["version"]["number"], cleared["version"]["config"]) == (4, {})


async def test_a_version_never_changes_once_written(api: ClientSession, caller: Caller) -> None:
    bot = await create_bot(api, caller, instruction="one")
    written = (await put_instruction(api, caller, bot["id"], "two", config={"x": 1}))["version"]
    await put_instruction(api, caller, bot["id"], "three", config={"x": 2})
    path = f"/v1/bots/{bot['id']}/versions/2"
    assert await json_of(await api.get(path, headers=caller.headers), 200) == written
    assert set(written) == {"number", "instruction", "config", "created_by", "created_at"}
    assert written["created_by"] == str(caller.user_id)


async def test_set_instruction_answers_the_bot_and_its_new_version(
    api: ClientSession, caller: Caller
) -> None:
    bot = await create_bot(api, caller, name="Kept", instruction="old")
    answer = await put_instruction(api, caller, bot["id"], "new")
    assert answer["bot"] == {
        **bot,
        "current_version": 2,
        "instruction": "new",
        "updated_at": answer["bot"]["updated_at"],
    }
    assert answer["bot"]["updated_at"] > bot["updated_at"]
    assert answer["version"]["number"] == 2
    got = await json_of(await api.get(f"/v1/bots/{bot['id']}", headers=caller.headers), 200)
    assert got == answer["bot"]
