"""The spec's scenarios end to end through the gateway: U1 register, U3 bot versions, U5 threads,
U10 a turn and its messages. Nothing here is minted or inserted by hand."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import ClientSession

from tests.integration.analytics.conftest import usage_when


class Client:
    """A signed-in user of the API, as a real client would hold one."""

    def __init__(self, api: ClientSession, session: dict[str, Any]) -> None:
        self.api = api
        self.headers = {"Authorization": f"Bearer {session['access_token']}"}

    async def call(self, method: str, path: str, status: int, **kwargs: Any) -> Any:
        response = await self.api.request(method, path, headers=self.headers, **kwargs)
        body = await response.json() if response.status != 204 else None
        assert response.status == status, body
        return body


async def test_u1_register_creates_a_user_a_workspace_and_tokens(api: ClientSession) -> None:
    email = f"Ada.{uuid.uuid4().hex[:8]}@Example.com"
    response = await api.post(
        "/v1/auth/register",
        json={"email": email, "password": "correct horse", "workspace_name": "Lab"},
    )
    assert response.status == 201
    session = await response.json()
    assert session["user"]["email"] == email.lower()
    assert session["workspace"]["name"] == "Lab"
    assert session["token_type"] == "Bearer"
    assert session["expires_in"] > 0
    me = await Client(api, session).call("GET", "/v1/auth/me", 200)
    assert (me["user"]["id"], me["workspace"]["id"], me["role"]) == (
        session["user"]["id"],
        session["workspace"]["id"],
        "owner",
    )


async def test_u3_u5_u10_bot_versions_threads_and_a_turn(api: ClientSession) -> None:
    email = f"grace.{uuid.uuid4().hex[:8]}@example.com"
    register = await api.post("/v1/auth/register", json={"email": email, "password": "hopper1906"})
    client = Client(api, await register.json())

    bot = await client.call(
        "POST", "/v1/bots", 201, json={"name": "Helper", "instruction": "Be brief."}
    )
    await client.call(
        "PUT", f"/v1/bots/{bot['id']}/instruction", 200, json={"instruction": "Be kind."}
    )
    updated = await client.call(
        "PUT", f"/v1/bots/{bot['id']}/instruction", 200, json={"instruction": "Be exact."}
    )
    assert updated["version"]["number"] == 3
    versions = await client.call("GET", f"/v1/bots/{bot['id']}/versions", 200)
    assert [v["number"] for v in versions["items"]] == [1, 2, 3]
    second = await client.call("GET", f"/v1/bots/{bot['id']}/versions/2", 200)
    assert second["instruction"] == "Be kind."

    thread = await client.call(
        "POST", "/v1/conversations/threads", 201, json={"bot_id": bot["id"], "title": "Hi"}
    )
    assert thread["bot_version"] == 3
    threads = await client.call("GET", f"/v1/conversations/threads?bot_id={bot['id']}", 200)
    assert [t["id"] for t in threads["items"]] == [thread["id"]]

    turn = await client.call(
        "POST", f"/v1/conversations/threads/{thread['id']}/turn", 200, json={"content": "ping?"}
    )
    assert turn["turn"]["status"] == "completed"
    assert turn["turn"]["model"] == "echo"
    assert turn["assistant_message"]["content"] == "ping?"
    messages = await client.call("GET", f"/v1/conversations/threads/{thread['id']}/messages", 200)
    assert [(m["role"], m["content"], m["seq"]) for m in messages["items"]] == [
        ("user", "ping?", 1),
        ("assistant", "ping?", 2),
    ]


async def test_after_the_scenarios_the_usage_api_reports_that_workspace_only(
    api: ClientSession,
) -> None:
    """handlers -> outbox -> relay -> `events` -> analytics sink -> usage query, end to end."""
    clients = []
    for turns in (3, 1):
        register = await api.post(
            "/v1/auth/register",
            json={"email": f"u{uuid.uuid4().hex[:10]}@example.com", "password": "pw-123456"},
        )
        client = Client(api, await register.json())
        bot = await client.call("POST", "/v1/bots", 201, json={"name": "Counted"})
        thread = await client.call(
            "POST", "/v1/conversations/threads", 201, json={"bot_id": bot["id"]}
        )
        for n in range(turns):
            await client.call(
                "POST",
                f"/v1/conversations/threads/{thread['id']}/turn",
                200,
                json={"content": f"t{n}"},
            )
        clients.append((client, bot["id"], turns))

    now = datetime.now(UTC)
    window = {
        "from": (now - timedelta(hours=1)).isoformat(),
        "to": (now + timedelta(hours=1)).isoformat(),
    }
    for client, bot_id, turns in clients:
        items = await usage_when(
            api, client.headers, lambda rows, n=turns: sum(r["turns"] for r in rows) == n, **window
        )
        assert {item["bot_id"] for item in items} == {bot_id}
        assert sum(item["messages"] for item in items) == 2 * turns
        assert sum(item["failed_turns"] for item in items) == 0
        assert all(item["p50_latency_ms"] is not None for item in items)
        assert sum(item["completion_tokens"] for item in items) == turns
