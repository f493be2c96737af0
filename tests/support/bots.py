"""Bots for tests of other services: `bot = await create_bot(api, caller, instruction="...")`."""

from typing import Any

from aiohttp import ClientSession

from tests.support.callers import Caller


async def create_bot(api: ClientSession, caller: Caller, **fields: Any) -> dict[str, Any]:
    """Create a bot through the gateway (name defaults to "Test bot"); the 201 body."""
    response = await api.post(
        "/v1/bots", json={"name": "Test bot", **fields}, headers=caller.headers
    )
    assert response.status == 201, await response.text()
    body: dict[str, Any] = await response.json()
    return body
