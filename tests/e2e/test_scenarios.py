"""The spec's scenarios end to end through the gateway: U1 register, U3 bot versions, U5 threads,
U10 a turn and its messages. Nothing here is minted or inserted by hand."""

import uuid
from typing import Any

from aiohttp import ClientSession


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
