"""Integration tokens: minted by an owner, used on directly published commands, revoked."""

import uuid
from typing import Any
from uuid import UUID

from aiohttp import ClientSession
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from gateway.bus_client import BusClient
from security.tokens import token_digest
from storage.schema.auth import integration_tokens
from tests.integration.auth.http import audit_rows, error_of, json_of
from tests.support.auth import register
from tests.support.callers import Caller, mint_caller, send_command

TOKENS = "/v1/auth/integration-tokens"


def integration(account: dict[str, Any], token: str) -> Caller:
    """An integration publishing with `token` (the Caller's ids only pick the partition)."""
    return Caller(
        UUID(account["user"]["id"]), UUID(account["workspace"]["id"]), "integration", token
    )


async def create(
    api: ClientSession, account: dict[str, Any], name: str = "ci", **headers: str
) -> Any:
    response = await api.post(
        TOKENS, json={"name": name}, headers={**account["headers"], **headers}
    )
    return await json_of(response, 201)


async def test_create_list_use_revoke(
    api: ClientSession, bus: BusClient, settings: Settings, db: AsyncEngine
) -> None:
    account = await register(api)
    created = await create(api, account, " nightly sync ")
    assert set(created) == {"id", "name", "token", "created_at"}
    assert created["name"] == "nightly sync"
    assert created["token"].startswith("sbi_")

    listed = await json_of(await api.get(TOKENS, headers=account["headers"]), 200)
    assert listed == {
        "items": [
            {
                "id": created["id"],
                "name": "nightly sync",
                "created_at": created["created_at"],
                "last_used_at": None,
            }
        ],
        "next_cursor": None,
    }

    reply = await send_command(bus, settings, "auth.me", {}, integration(account, created["token"]))
    assert reply.ok, reply
    assert reply.body == {
        "user": account["user"],
        "workspace": account["workspace"],
        "role": "integration",
    }
    used = await json_of(await api.get(TOKENS, headers=account["headers"]), 200)
    assert used["items"][0]["last_used_at"] is not None

    revoked = await api.delete(f"{TOKENS}/{created['id']}", headers=account["headers"])
    assert revoked.status == 204
    reply = await send_command(bus, settings, "auth.me", {}, integration(account, created["token"]))
    assert (reply.status, reply.error and reply.error.code) == (401, "UNAUTHORIZED")
    assert (await json_of(await api.get(TOKENS, headers=account["headers"]), 200))["items"] == []

    actions = [(r.action, r.resource_id) for r in await audit_rows(db, account["workspace"]["id"])]
    assert actions[-2:] == [
        ("integration_token.created", created["id"]),
        ("integration_token.revoked", created["id"]),
    ]
    async with db.connect() as conn:
        stored = (
            await conn.execute(
                select(integration_tokens).where(integration_tokens.c.id == created["id"])
            )
        ).one()
    assert stored.token_hash == token_digest(created["token"])
    assert str(stored.created_by) == account["user"]["id"]


async def test_the_list_is_paginated_newest_first(api: ClientSession) -> None:
    account = await register(api)
    made = [await create(api, account, f"t{i}") for i in range(3)]
    first = await json_of(
        await api.get(TOKENS, params={"limit": "2"}, headers=account["headers"]), 200
    )
    assert [t["name"] for t in first["items"]] == ["t2", "t1"]
    second = await json_of(
        await api.get(
            TOKENS,
            params={"limit": "2", "cursor": first["next_cursor"]},
            headers=account["headers"],
        ),
        200,
    )
    assert [t["id"] for t in second["items"]] == [made[0]["id"]]
    assert second["next_cursor"] is None
    await error_of(
        await api.get(TOKENS, params={"limit": "0"}, headers=account["headers"]),
        422,
        "VALIDATION_ERROR",
    )
    await error_of(
        await api.get(TOKENS, params={"cursor": "bogus"}, headers=account["headers"]),
        422,
        "VALIDATION_ERROR",
    )


async def test_an_integration_token_cannot_mint_integration_tokens(
    api: ClientSession, bus: BusClient, settings: Settings
) -> None:
    account = await register(api)
    created = await create(api, account)
    reply = await send_command(
        bus,
        settings,
        "auth.create_integration_token",
        {"name": "x"},
        integration(account, created["token"]),
    )
    assert (reply.status, reply.error and reply.error.code) == (403, "FORBIDDEN")


async def test_a_member_gets_403(api: ClientSession, settings: Settings) -> None:
    account = await register(api)
    member = mint_caller(settings, role="member", workspace_id=UUID(account["workspace"]["id"]))
    for method, path in (("POST", TOKENS), ("GET", TOKENS), ("DELETE", f"{TOKENS}/{uuid.uuid4()}")):
        response = await api.request(
            method, path, json={"name": "x"} if method == "POST" else None, headers=member.headers
        )
        await error_of(response, 403, "FORBIDDEN")


async def test_another_workspaces_token_is_404_and_stays_alive(
    api: ClientSession, bus: BusClient, settings: Settings
) -> None:
    owner, stranger = await register(api), await register(api)
    created = await create(api, owner)
    response = await api.delete(f"{TOKENS}/{created['id']}", headers=stranger["headers"])
    body = await error_of(response, 404, "NOT_FOUND")
    assert created["token"] not in str(body)
    assert (await json_of(await api.get(TOKENS, headers=stranger["headers"]), 200))["items"] == []
    reply = await send_command(bus, settings, "auth.me", {}, integration(owner, created["token"]))
    assert reply.ok


async def test_revoking_twice_or_an_unknown_id_is_404(api: ClientSession) -> None:
    account = await register(api)
    created = await create(api, account)
    path = f"{TOKENS}/{created['id']}"
    assert (await api.delete(path, headers=account["headers"])).status == 204
    await error_of(await api.delete(path, headers=account["headers"]), 404, "NOT_FOUND")
    await error_of(
        await api.delete(f"{TOKENS}/{uuid.uuid4()}", headers=account["headers"]), 404, "NOT_FOUND"
    )
    await error_of(
        await api.delete(f"{TOKENS}/not-a-uuid", headers=account["headers"]),
        422,
        "VALIDATION_ERROR",
    )


async def test_create_validates_the_name(api: ClientSession) -> None:
    account = await register(api)
    for payload in ({}, {"name": ""}, {"name": "n" * 201}, {"name": "ok", "scopes": []}):
        response = await api.post(TOKENS, json=payload, headers=account["headers"])
        await error_of(response, 422, "VALIDATION_ERROR")


async def test_a_replayed_create_answers_the_same_token_with_a_new_secret(
    api: ClientSession, bus: BusClient, settings: Settings
) -> None:
    account = await register(api)
    operation = {"X-Operation-Id": f"mint-{uuid.uuid4().hex}"}
    first = await create(api, account, "replayed", **operation)
    response = await api.post(
        TOKENS, json={"name": "replayed"}, headers={**account["headers"], **operation}
    )
    second = await json_of(response, 201)
    assert response.headers["Idempotent-Replayed"] == "true"
    assert {k: second[k] for k in ("id", "name", "created_at")} == {
        k: first[k] for k in ("id", "name", "created_at")
    }
    assert second["token"] != first["token"]
    assert (
        len((await json_of(await api.get(TOKENS, headers=account["headers"]), 200))["items"]) == 1
    )
    old = await send_command(bus, settings, "auth.me", {}, integration(account, first["token"]))
    new = await send_command(bus, settings, "auth.me", {}, integration(account, second["token"]))
    assert (old.status, new.status) == (401, 200)
