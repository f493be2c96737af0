"""Every state change emits its domain events, and the relay publishes them to `events`: keyed by
workspace, named in the headers, with typed data. Walks U1-U10 through the gateway once."""

import uuid
from collections import Counter
from typing import Any
from uuid import UUID

import pytest
from aiohttp import ClientSession
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.events import EVENT_TYPES, DomainEvent
from tests.integration.events.support import (
    all_published,
    event_of,
    has_event_ids,
    outbox_rows,
    workspace_records,
)
from tests.support.auth import register
from tests.support.kafka import header

SCENARIO_EVENTS = Counter(
    {
        "user.registered": 1,
        "workspace.created": 1,
        "bot.created": 1,
        "bot.version_created": 3,
        "bot.updated": 1,
        "thread.created": 1,
        "message.created": 2,
        "turn.completed": 1,
        "bot.archived": 1,
    }
)


class Client:
    def __init__(self, api: ClientSession, account: dict[str, Any]) -> None:
        self.api, self.headers = api, account["headers"]

    async def call(self, method: str, path: str, status: int, **json: Any) -> Any:
        trace = {"X-Trace-Id": f"events-{uuid.uuid4().hex}"}
        response = await self.api.request(
            method, path, headers={**self.headers, **trace}, json=json or None
        )
        body = await response.json() if response.status != 204 else None
        assert response.status == status, body
        return body


async def walk_the_scenario(client: Client) -> dict[str, Any]:
    """U3, U5, U10, then a rename and an archive; plus changes that change nothing."""
    bot = await client.call("POST", "/v1/bots", 201, name="Helper", instruction="Be brief.")
    path = f"/v1/bots/{bot['id']}"
    await client.call("PUT", f"{path}/instruction", 200, instruction="Be kind.")
    await client.call("PUT", f"{path}/instruction", 200, instruction="Be exact.")
    await client.call("PUT", f"{path}/instruction", 200, instruction="Be exact.")  # no version
    await client.call("GET", f"{path}/versions", 200)
    thread = await client.call("POST", "/v1/conversations/threads", 201, bot_id=bot["id"])
    turn = await client.call(
        "POST", f"/v1/conversations/threads/{thread['id']}/turn", 200, content="ping, ping?"
    )
    await client.call("PATCH", path, 200, name="Helper 2")
    await client.call("PATCH", path, 200, name="Helper 2")  # no change
    await client.call("DELETE", path, 204)
    return {"bot": bot, "thread": thread, "turn": turn}


@pytest.fixture(scope="module")
async def scenario(gateway_url: str, db: AsyncEngine, settings: Settings) -> dict[str, Any]:
    """One walk through the scenario, and what the outbox and the topic hold afterwards."""
    async with ClientSession(base_url=gateway_url) as api:
        account = await register(api, workspace_name="Events Lab")
        made = await walk_the_scenario(Client(api, account))
    workspace_id = UUID(account["workspace"]["id"])
    await all_published(db, workspace_id)
    rows = await outbox_rows(db, workspace_id)
    expected = {row["event_id"] for row in rows}
    records = await workspace_records(settings, workspace_id, has_event_ids(expected))
    return {**made, "account": account, "rows": rows, "records": records}


def events(scenario: dict[str, Any], event_type: str) -> list[DomainEvent]:
    return [e for e in (event_of(r) for r in scenario["records"]) if e.type == event_type]


async def test_each_change_writes_its_events_once_and_no_change_writes_none(
    scenario: dict[str, Any],
) -> None:
    assert Counter(row["event_type"] for row in scenario["rows"]) == SCENARIO_EVENTS


async def test_every_outbox_row_reaches_the_topic_and_is_marked_published(
    scenario: dict[str, Any],
) -> None:
    published = {event_of(r).event_id for r in scenario["records"]}
    assert published == {row["event_id"] for row in scenario["rows"]}
    assert all(row["published_at"] is not None for row in scenario["rows"])


async def test_records_are_keyed_by_workspace_named_in_headers_and_typed(
    scenario: dict[str, Any],
) -> None:
    account = scenario["account"]
    for record in scenario["records"]:
        event = event_of(record)
        assert record.key == account["workspace"]["id"].encode()
        assert header(record, "event_id") == str(event.event_id)
        assert header(record, "event_type") == event.type
        assert header(record, "content-type") == "application/json"
        assert isinstance(event.typed_data(), EVENT_TYPES[event.type])
        assert str(event.workspace_id) == account["workspace"]["id"]
        assert str(event.actor_user_id) == account["user"]["id"]
        assert event.operation_id and event.trace_id


async def test_events_carry_the_operation_and_trace_of_their_command(
    scenario: dict[str, Any],
) -> None:
    created, first_version = (
        events(scenario, "bot.created")[0],
        events(scenario, "bot.version_created")[0],
    )
    assert (created.operation_id, created.trace_id) == (
        first_version.operation_id,
        first_version.trace_id,
    )
    assert (created.trace_id or "").startswith("events-")
    traces = {e.trace_id for e in map(event_of, scenario["records"])}
    assert len(traces) == 8  # register and the 7 calls that changed something: one trace each


async def test_the_data_says_what_changed(scenario: dict[str, Any]) -> None:
    account, bot, thread = scenario["account"], scenario["bot"], scenario["thread"]
    turn = scenario["turn"]
    bot_id = UUID(bot["id"])
    [user] = events(scenario, "user.registered")
    assert user.data == {"user_id": account["user"]["id"]}
    assert events(scenario, "workspace.created")[0].data == {"name": "Events Lab"}
    assert events(scenario, "bot.created")[0].data == {"bot_id": bot["id"], "name": "Helper"}
    numbers = sorted(e.data["number"] for e in events(scenario, "bot.version_created"))
    assert numbers == [1, 2, 3]
    assert events(scenario, "bot.updated")[0].data == {"bot_id": bot["id"], "fields": ["name"]}
    assert events(scenario, "bot.archived")[0].data == {"bot_id": bot["id"]}
    assert events(scenario, "thread.created")[0].data == {
        "thread_id": thread["id"],
        "bot_id": bot["id"],
        "bot_version": 3,
    }
    messages = sorted(events(scenario, "message.created"), key=lambda e: e.data["seq"])
    assert [(m.data["role"], m.data["seq"], m.data["characters"]) for m in messages] == [
        ("user", 1, len("ping, ping?")),
        ("assistant", 2, len("ping, ping?")),
    ]
    assert [m.data["message_id"] for m in messages] == [
        turn["user_message"]["id"],
        turn["assistant_message"]["id"],
    ]
    completed = events(scenario, "turn.completed")[0].typed_data()
    assert completed.model_dump() == {
        "turn_id": UUID(turn["turn"]["id"]),
        "thread_id": UUID(thread["id"]),
        "bot_id": bot_id,
        "bot_version": 3,
        "model": "echo",
        "latency_ms": turn["turn"]["latency_ms"],
        "prompt_tokens": 2 + 2,  # the echo model's words: instruction "Be exact." and message
        "completion_tokens": 2,
    }
