"""Two tenants for the cross-tenant suites: A owns one of everything, B probes for it.

    world = await build_world(api, db, a, b)
    world.a, world.b                       # registered owners of their own workspaces
    world.ids["bot_id"], world.ids["thread_id"], ...   # A's resources, by path parameter name
    world.a_ids                            # the ids of every row A owns (this test's and older)
    world.secrets                          # every string of A that must never reach B

The tenants are registered once per module (hashing passwords is slow); each test gets fresh
resources. A's names, texts and config are unique markers, so a leak is found by a plain substring search.
B owns resources of each kind too, so its lists are not trivially empty, and a webhook secret
for A's source name, to sign with the right source but the wrong workspace.
"""

from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.security import Tenant, marker, tenant_ids


@dataclass
class World:
    a: Tenant
    b: Tenant
    ids: dict[str, str]
    a_data: dict[str, Any]
    b_data: dict[str, Any]
    a_cursor: str
    a_ids: set[str]
    secrets: list[str] = field(default_factory=list)


async def _ok(
    api: ClientSession, method: str, path: str, tenant: Tenant, status: int, **kw: Any
) -> Any:
    response = await api.request(method, path, headers=tenant.headers, **kw)
    assert response.status == status, (method, path, await response.text())
    return await response.json() if status != 204 else None


async def _resources(api: ClientSession, tenant: Tenant, tag: str, source: str) -> dict[str, Any]:
    """One of everything a workspace can own, named with unique markers."""
    bot = await _ok(
        api,
        "POST",
        "/v1/bots",
        tenant,
        201,
        json={
            "name": marker(f"{tag}-bot"),
            "description": marker(f"{tag}-description"),
            "instruction": marker(f"{tag}-instruction-v1"),
        },
    )
    version = await _ok(
        api,
        "PUT",
        f"/v1/bots/{bot['id']}/instruction",
        tenant,
        200,
        json={
            "instruction": marker(f"{tag}-instruction-v2"),
            "config": {"k": marker(f"{tag}-config")},
        },
    )
    thread = await _ok(
        api,
        "POST",
        "/v1/conversations/threads",
        tenant,
        201,
        json={"bot_id": bot["id"], "title": marker(f"{tag}-title")},
    )
    turn = await _ok(
        api,
        "POST",
        f"/v1/conversations/threads/{thread['id']}/turn",
        tenant,
        200,
        json={"content": marker(f"{tag}-message")},
    )
    token = await _ok(
        api,
        "POST",
        "/v1/auth/integration-tokens",
        tenant,
        201,
        json={"name": marker(f"{tag}-token")},
    )
    secret = await _ok(api, "POST", "/v1/webhooks/secrets", tenant, 201, json={"source": source})
    return {
        "bot": bot,
        "version": version["version"],
        "thread": thread,
        "turn": turn,
        "token": token,
        "secret": secret,
    }


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value (dates and version numbers aside: they are not A's alone)."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) and len(value) >= 8 else []


async def build_world(api: ClientSession, db: AsyncEngine, a: Tenant, b: Tenant) -> World:
    """Fresh resources for A and B (registered once per module: hashing passwords is slow)."""
    source = marker("a-src").lower()
    a_data = await _resources(api, a, "a", source)
    b_data = await _resources(api, b, "b", source)
    ids = {
        "bot_id": a_data["bot"]["id"],
        "thread_id": a_data["thread"]["id"],
        "token_id": a_data["token"]["id"],
        "secret_id": a_data["secret"]["id"],
        "workspace_id": str(a.workspace_id),
        "source": source,
    }
    dated = {"created_at", "updated_at", "last_used_at"}
    a_ids = await tenant_ids(db, a.workspace_id)  # this test's and every earlier one's
    secrets = [
        s
        for s in {*a.secrets, *a_ids, *_strings(_without(a_data, dated))}
        if s not in {"user", "assistant", "echo", "completed", source}
    ]
    audit = await _ok(api, "GET", "/v1/audit", a, 200, params={"limit": "1"})
    return World(a, b, ids, a_data, b_data, audit["next_cursor"], a_ids, secrets)


def _without(value: Any, keys: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    return value
