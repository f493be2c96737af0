"""Small HTTP helpers shared by the bots tests."""

from typing import Any

from aiohttp import ClientResponse, ClientSession

from tests.support.callers import Caller


async def json_of(response: ClientResponse, status: int) -> Any:
    assert response.status == status, await response.text()
    return await response.json()


async def put_instruction(
    api: ClientSession, caller: Caller, bot_id: str, instruction: str, **extra: Any
) -> dict[str, Any]:
    """PUT /instruction, expecting 200; `{bot, version}`."""
    response = await api.put(
        f"/v1/bots/{bot_id}/instruction",
        json={"instruction": instruction, **extra},
        headers=caller.headers,
    )
    body: dict[str, Any] = await json_of(response, 200)
    return body


async def walk(
    api: ClientSession, caller: Caller, path: str, limit: int, **query: str
) -> list[list[dict[str, Any]]]:
    """Every page of a list route, following `next_cursor` to the end."""
    pages: list[list[dict[str, Any]]] = []
    params: dict[str, str] = {"limit": str(limit), **query}
    while True:
        page = await json_of(await api.get(path, params=params, headers=caller.headers), 200)
        pages.append(page["items"])
        if page["next_cursor"] is None:
            return pages
        params["cursor"] = page["next_cursor"]


async def audit_of(api: ClientSession, caller: Caller, bot_id: str) -> list[dict[str, Any]]:
    """The audit entries of one bot, newest first."""
    pages = await walk(api, caller, "/v1/audit", 100, resource_type="bot", resource_id=bot_id)
    return [entry for page in pages for entry in page]
