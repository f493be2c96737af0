"""Turns through the gateway and the real broker: the exchange (U10), its records, its order
under concurrency, replays, and every refusal."""

import asyncio
import uuid

import pytest
from aiohttp import ClientSession
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.conversations.support import (
    THREADS,
    add_version,
    archive_bot,
    assert_gap_free_exchanges,
    create_bot,
    open_thread,
    post_turn,
    stored_messages,
    stored_turns,
)
from tests.support.callers import Caller


async def test_u10_a_turn_answers_and_the_thread_reads_user_then_assistant(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id))

    response = await post_turn(api, caller, thread["id"], "Hello, bot!")

    assert response.status == 200
    result = await response.json()
    assert result["turn"]["status"] == "completed"
    assert result["turn"]["model"] == "echo"
    assert result["turn"]["latency_ms"] >= 0
    assert result["user_message"]["content"] == "Hello, bot!"
    assert result["assistant_message"]["content"] == "Hello, bot!"
    listed = await api.get(f"{THREADS}/{thread['id']}/messages", headers=caller.headers)
    assert listed.status == 200
    page = await listed.json()
    assert page == {
        "items": [result["user_message"], result["assistant_message"]],
        "next_cursor": None,
    }
    assert [(m["seq"], m["role"]) for m in page["items"]] == [(1, "user"), (2, "assistant")]
    assert {m["turn_id"] for m in page["items"]} == {result["turn"]["id"]}


async def test_a_turn_records_the_model_call(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot_id = await create_bot(db, caller.workspace_id, instruction="Answer in three words.")
    thread = await open_thread(api, caller, bot_id)
    await post_turn(api, caller, thread["id"], "one two")

    response = await post_turn(api, caller, thread["id"], "three four five", "turn-op-2")

    turn_id = (await response.json())["turn"]["id"]
    [_, turn] = await stored_turns(db, thread["id"])
    assert str(turn["id"]) == turn_id
    assert turn["status"] == "completed"
    assert turn["model"] == "echo"
    assert (turn["bot_id"], turn["bot_version"]) == (bot_id, 1)
    assert turn["operation_id"] == "turn-op-2"
    # Echo counts words: instruction 4 + history 2 + 2 + new message 3; the answer 3.
    assert (turn["prompt_tokens"], turn["completion_tokens"]) == (11, 3)
    assert turn["latency_ms"] is not None and turn["latency_ms"] >= 0
    assert turn["completed_at"] is not None and turn["error"] is None


async def test_turns_use_the_pinned_instruction_not_the_newest(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot_id = await create_bot(db, caller.workspace_id, instruction="short")
    thread = await open_thread(api, caller, bot_id)
    await add_version(db, bot_id, "a much longer instruction of seven words")

    await post_turn(api, caller, thread["id"], "hi")

    [turn] = await stored_turns(db, thread["id"])
    assert (turn["bot_version"], turn["prompt_tokens"]) == (1, 2)


async def test_messages_page_in_seq_order(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id))
    for i in range(3):
        await post_turn(api, caller, thread["id"], f"message {i}")

    seqs: list[int] = []
    cursor: str | None = None
    for _ in range(3):
        params = {"limit": "4"} | ({"cursor": cursor} if cursor else {})
        response = await api.get(
            f"{THREADS}/{thread['id']}/messages", params=params, headers=caller.headers
        )
        page = await response.json()
        seqs += [m["seq"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seqs == [1, 2, 3, 4, 5, 6]


async def test_concurrent_turns_keep_every_thread_gap_free_and_alternating(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot_id = await create_bot(db, caller.workspace_id)
    thread_ids = [(await open_thread(api, caller, bot_id))["id"] for _ in range(5)]

    responses = await asyncio.gather(
        *(post_turn(api, caller, t, f"turn {i}") for i in range(10) for t in thread_ids)
    )

    assert [r.status for r in responses] == [200] * 50
    for thread_id in thread_ids:
        await assert_gap_free_exchanges(db, thread_id, turns=10)


async def test_a_replayed_turn_answers_the_same_without_a_second_exchange(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id))
    operation_id = f"turn-{uuid.uuid4().hex}"

    first = await post_turn(api, caller, thread["id"], "only once", operation_id)
    again = await post_turn(api, caller, thread["id"], "only once", operation_id)

    assert (first.status, again.status) == (200, 200)
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await again.json() == await first.json()
    assert await stored_messages(db, thread["id"]) == [
        (1, "user", "only once"),
        (2, "assistant", "only once"),
    ]
    assert len(await stored_turns(db, thread["id"])) == 1


async def test_an_operation_id_reused_for_another_turn_is_422(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id))
    await post_turn(api, caller, thread["id"], "first", "reused-op")

    response = await post_turn(api, caller, thread["id"], "second", "reused-op")

    assert response.status == 422
    assert (await response.json())["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert len(await stored_messages(db, thread["id"])) == 2


@pytest.mark.parametrize("content", ["", "x" * 32_001], ids=["empty", "over 32000"])
async def test_content_out_of_bounds_is_422(
    api: ClientSession, caller: Caller, db: AsyncEngine, content: str
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id))

    response = await post_turn(api, caller, thread["id"], content)

    assert response.status == 422
    assert (await response.json())["details"]["fields"][0]["field"] == "content"
    assert await stored_messages(db, thread["id"]) == []


async def test_content_of_exactly_32000_characters_is_echoed(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id))

    response = await post_turn(api, caller, thread["id"], "y" * 32_000)

    assert response.status == 200
    assert (await response.json())["assistant_message"]["content"] == "y" * 32_000


async def test_another_workspace_can_neither_read_nor_continue_a_thread(
    api: ClientSession, caller: Caller, other_caller: Caller, db: AsyncEngine
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id))
    await post_turn(api, caller, thread["id"], "private")

    read = await api.get(f"{THREADS}/{thread['id']}/messages", headers=other_caller.headers)
    turn = await post_turn(api, other_caller, thread["id"], "intrusion")

    assert (read.status, turn.status) == (404, 404)
    assert len(await stored_messages(db, thread["id"])) == 2


async def test_unknown_and_malformed_threads(api: ClientSession, caller: Caller) -> None:
    unknown = uuid.uuid4()
    assert (await post_turn(api, caller, unknown, "hello")).status == 404
    assert (await api.get(f"{THREADS}/{unknown}/messages", headers=caller.headers)).status == 404
    assert (await post_turn(api, caller, "not-a-uuid", "hello")).status == 422
    assert (await api.get(f"{THREADS}/nope/messages", headers=caller.headers)).status == 422


@pytest.mark.parametrize(
    "params", [{"limit": "0"}, {"limit": "101"}, {"cursor": "garbage"}], ids=str
)
async def test_a_bad_message_page_query_is_422(
    api: ClientSession, caller: Caller, db: AsyncEngine, params: dict[str, str]
) -> None:
    thread = await open_thread(api, caller, await create_bot(db, caller.workspace_id))
    response = await api.get(
        f"{THREADS}/{thread['id']}/messages", params=params, headers=caller.headers
    )
    assert response.status == 422


async def test_no_turn_on_a_thread_whose_bot_was_archived(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot_id = await create_bot(db, caller.workspace_id)
    thread = await open_thread(api, caller, bot_id)
    await post_turn(api, caller, thread["id"], "before")
    await archive_bot(db, bot_id)

    refused = await post_turn(api, caller, thread["id"], "after")
    history = await api.get(f"{THREADS}/{thread['id']}/messages", headers=caller.headers)

    assert refused.status == 404
    assert (await refused.json())["details"] == {"resource": "bot", "id": str(bot_id)}
    assert [m["content"] for m in (await history.json())["items"]] == ["before", "before"]


async def test_a_turn_needs_a_bearer_token(api: ClientSession) -> None:
    response = await api.post(f"{THREADS}/{uuid.uuid4()}/turn", json={"content": "hi"})
    assert response.status == 401
