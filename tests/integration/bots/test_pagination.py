"""Keyset pagination of bots and versions: every item once, in order, stable under inserts."""

import asyncio
from datetime import datetime
from typing import Any

from aiohttp import ClientSession

from tests.integration.bots.http import json_of, put_instruction, walk
from tests.support.bots import create_bot
from tests.support.callers import Caller

BOTS = 250
BATCH = 50


async def create_many(api: ClientSession, caller: Caller, count: int) -> list[dict[str, Any]]:
    made: list[dict[str, Any]] = []
    for start in range(0, count, BATCH):
        batch = range(start, min(start + BATCH, count))
        made += await asyncio.gather(*(create_bot(api, caller, name=f"bot {i}") for i in batch))
    return made


def newest_first(bots: list[dict[str, Any]]) -> list[str]:
    """The ids in the keyset's order: creation time, then id (uuid order is lowercase text order)."""
    ordered = sorted(
        bots, key=lambda b: (datetime.fromisoformat(b["created_at"]), b["id"]), reverse=True
    )
    return [b["id"] for b in ordered]


async def test_walking_250_bots_by_7_serves_each_once_newest_first(
    api: ClientSession, caller: Caller
) -> None:
    made = await create_many(api, caller, BOTS)
    pages = await walk(api, caller, "/v1/bots", 7)
    assert [len(p) for p in pages] == [7] * (BOTS // 7) + [BOTS % 7]
    assert [b["id"] for page in pages for b in page] == newest_first(made)
    default = await json_of(await api.get("/v1/bots", headers=caller.headers), 200)
    assert default["items"] == pages[0] + pages[1] + pages[2][:6]
    assert default["next_cursor"] is not None


async def test_bots_created_during_a_walk_neither_repeat_nor_hide_older_ones(
    api: ClientSession, caller: Caller
) -> None:
    made = await create_many(api, caller, 30)
    first = await json_of(
        await api.get("/v1/bots", params={"limit": "10"}, headers=caller.headers), 200
    )
    await create_many(api, caller, 5)
    rest = await walk(api, caller, "/v1/bots", 10, cursor=first["next_cursor"])
    seen = [b["id"] for b in first["items"]] + [b["id"] for page in rest for b in page]
    assert seen == newest_first(made)


async def test_versions_are_paged_by_ascending_number(api: ClientSession, caller: Caller) -> None:
    bot = await create_bot(api, caller, instruction="v1")
    for n in range(2, 6):
        await put_instruction(api, caller, bot["id"], f"v{n}")
    pages = await walk(api, caller, f"/v1/bots/{bot['id']}/versions", 2)
    assert [[v["number"] for v in page] for page in pages] == [[1, 2], [3, 4], [5]]
    assert [v["instruction"] for page in pages for v in page] == [f"v{n}" for n in range(1, 6)]
