"""Threads through the gateway and the real broker: open, get, list (U5), and every refusal."""

import uuid
from typing import Any

import pytest
from aiohttp import ClientSession
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from gateway.bus_client import BusClient
from tests.integration.conversations.support import (
    THREADS,
    add_version,
    archive_bot,
    create_bot,
    open_thread,
)
from tests.support.callers import Caller, send_command


async def test_u5_open_a_thread_then_find_it_listed_and_by_id(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot_id = await create_bot(db, caller.workspace_id)

    thread = await open_thread(api, caller, bot_id, title="Support chat")

    assert thread["bot_id"] == str(bot_id)
    assert thread["bot_version"] == 1
    assert thread["title"] == "Support chat"
    assert uuid.UUID(thread["id"]) and thread["created_at"]
    listed = await api.get(THREADS, headers=caller.headers)
    assert listed.status == 200
    assert await listed.json() == {"items": [thread], "next_cursor": None}
    fetched = await api.get(f"{THREADS}/{thread['id']}", headers=caller.headers)
    assert fetched.status == 200
    assert await fetched.json() == thread


async def test_a_thread_without_title_has_an_empty_title(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id))
    assert thread["title"] == ""


async def test_a_thread_pins_the_version_current_when_it_was_opened(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot_id = await create_bot(db, caller.workspace_id)
    first = await open_thread(api, caller, bot_id)

    await add_version(db, bot_id, "A new instruction.")
    second = await open_thread(api, caller, bot_id)

    assert (first["bot_version"], second["bot_version"]) == (1, 2)
    refetched = await api.get(f"{THREADS}/{first['id']}", headers=caller.headers)
    assert (await refetched.json())["bot_version"] == 1


async def test_threads_are_listed_newest_first_across_pages(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot_id = await create_bot(db, caller.workspace_id)
    opened = [(await open_thread(api, caller, bot_id, title=f"t{i}"))["id"] for i in range(5)]

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(3):
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = await (await api.get(THREADS, params=params, headers=caller.headers)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]

    assert seen == list(reversed(opened))
    assert cursor is None


async def test_threads_can_be_filtered_by_bot(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    first_bot = await create_bot(db, caller.workspace_id)
    second_bot = await create_bot(db, caller.workspace_id)
    wanted = await open_thread(api, caller, first_bot)
    await open_thread(api, caller, second_bot)

    response = await api.get(THREADS, params={"bot_id": str(first_bot)}, headers=caller.headers)

    assert [item["id"] for item in (await response.json())["items"]] == [wanted["id"]]


async def test_another_workspace_sees_none_of_the_threads(
    api: ClientSession, caller: Caller, other_caller: Caller, db: AsyncEngine
) -> None:
    bot_id = await create_bot(db, caller.workspace_id)
    thread = await open_thread(api, caller, bot_id)

    listed = await api.get(THREADS, headers=other_caller.headers)
    filtered = await api.get(THREADS, params={"bot_id": str(bot_id)}, headers=other_caller.headers)
    fetched = await api.get(f"{THREADS}/{thread['id']}", headers=other_caller.headers)

    assert (await listed.json())["items"] == []
    assert (await filtered.json())["items"] == []
    assert fetched.status == 404
    assert (await fetched.json())["code"] == "NOT_FOUND"


async def test_a_thread_of_a_since_archived_bot_stays_readable(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot_id = await create_bot(db, caller.workspace_id)
    thread = await open_thread(api, caller, bot_id)
    await archive_bot(db, bot_id)

    fetched = await api.get(f"{THREADS}/{thread['id']}", headers=caller.headers)

    assert fetched.status == 200
    assert await fetched.json() == thread


async def _create_status(api: ClientSession, caller: Caller, body: dict[str, Any]) -> int:
    response = await api.post(THREADS, json=body, headers=caller.headers)
    error = await response.json()
    assert set(error) == {"code", "message", "trace_id", "details"}
    return response.status


async def test_a_thread_needs_a_live_bot_of_the_callers_workspace(
    api: ClientSession, caller: Caller, other_caller: Caller, db: AsyncEngine
) -> None:
    foreign_bot = await create_bot(db, other_caller.workspace_id)
    archived_bot = await create_bot(db, caller.workspace_id)
    await archive_bot(db, archived_bot)

    for bot_id in (uuid.uuid4(), foreign_bot, archived_bot):
        assert await _create_status(api, caller, {"bot_id": str(bot_id)}) == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"bot_id": "not-a-uuid"},
        {"bot_id": str(uuid.uuid4()), "title": "x" * 201},
        {"bot_id": str(uuid.uuid4()), "workspace_id": str(uuid.uuid4())},
    ],
    ids=["no bot", "bad bot id", "title too long", "workspace in payload"],
)
async def test_a_bad_thread_request_is_422(
    api: ClientSession, caller: Caller, body: dict[str, Any]
) -> None:
    assert await _create_status(api, caller, body) == 422


async def test_a_title_of_200_characters_is_accepted(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id), "x" * 200)
    assert len(thread["title"]) == 200


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "101"}, {"cursor": "garbage"}, {"bot_id": "nope"}],
    ids=["limit 0", "limit 101", "bad cursor", "bad bot id"],
)
async def test_a_bad_list_query_is_422(
    api: ClientSession, caller: Caller, params: dict[str, str]
) -> None:
    response = await api.get(THREADS, params=params, headers=caller.headers)
    assert response.status == 422
    assert (await response.json())["code"] == "VALIDATION_ERROR"


async def test_a_bad_thread_id_is_422_and_an_unknown_one_404(
    api: ClientSession, caller: Caller
) -> None:
    bad = await api.get(f"{THREADS}/not-a-uuid", headers=caller.headers)
    unknown = await api.get(f"{THREADS}/{uuid.uuid4()}", headers=caller.headers)
    assert (bad.status, unknown.status) == (422, 404)


async def test_threads_need_a_bearer_token(api: ClientSession) -> None:
    listed = await api.get(THREADS)
    created = await api.post(THREADS, json={"bot_id": str(uuid.uuid4())})
    assert (listed.status, created.status) == (401, 401)


async def test_a_workspace_id_in_a_command_sent_on_the_bus_is_refused(
    bus: BusClient, settings: Settings, caller: Caller, other_caller: Caller, db: AsyncEngine
) -> None:
    """Integrations bypass the gateway's validation: the handler refuses it too."""
    bot_id = await create_bot(db, other_caller.workspace_id)
    payload = {"bot_id": str(bot_id), "workspace_id": str(other_caller.workspace_id)}

    reply = await send_command(bus, settings, "conversations.create_thread", payload, caller)

    assert reply.status == 422
    assert reply.error is not None and reply.error.code == "VALIDATION_ERROR"
