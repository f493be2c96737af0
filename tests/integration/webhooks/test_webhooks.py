"""Signed inbound webhooks through the gateway and the auth group: accepted once, forgeries refused."""

import uuid
from typing import Any

from aiohttp import ClientSession
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from handlers.webhooks.signature import sign
from storage.schema.webhooks import webhook_events
from tests.support.callers import Caller, mint_caller


async def new_secret(api: ClientSession, caller: Caller, source: str = "slack") -> dict[str, Any]:
    response = await api.post(
        "/v1/webhooks/secrets", json={"source": source}, headers=caller.headers
    )
    assert response.status == 201
    return dict(await response.json())


async def deliver(
    api: ClientSession,
    caller: Caller,
    body: bytes,
    event_id: str,
    signature: str | None,
    source: str = "slack",
) -> tuple[int, dict[str, Any]]:
    headers = {"X-Event-Id": event_id, "Content-Type": "application/json"}
    if signature is not None:
        headers["X-Signature"] = signature
    response = await api.post(
        f"/v1/webhooks/{caller.workspace_id}/{source}", data=body, headers=headers
    )
    return response.status, await response.json()


async def stored(db: AsyncEngine, caller: Caller, event_id: str) -> int:
    async with db.connect() as conn:
        query = (
            select(func.count())
            .select_from(webhook_events)
            .where(
                webhook_events.c.workspace_id == caller.workspace_id,
                webhook_events.c.event_id == event_id,
            )
        )
        return int((await conn.execute(query)).scalar_one())


async def test_a_signed_event_is_accepted_once_and_duplicates_are_answered_as_such(
    api: ClientSession, caller: Caller, db: AsyncEngine, redis: Redis
) -> None:
    secret = (await new_secret(api, caller))["secret"]
    body, event_id = b'{"text": "hello"}', uuid.uuid4().hex
    assert await deliver(api, caller, body, event_id, sign(secret, body)) == (
        202,
        {"status": "accepted"},
    )
    assert await deliver(api, caller, body, event_id, sign(secret, body)) == (
        202,
        {"status": "duplicate"},
    )
    await redis.delete(f"webhook:{caller.workspace_id}:slack:{event_id}")  # Postgres still knows
    assert await deliver(api, caller, body, event_id, sign(secret, body)) == (
        202,
        {"status": "duplicate"},
    )
    assert await stored(db, caller, event_id) == 1


async def test_a_forged_or_missing_signature_is_401_and_nothing_is_stored(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    secret = (await new_secret(api, caller))["secret"]
    body, event_id = b'{"text": "evil"}', uuid.uuid4().hex
    forged = await deliver(api, caller, body, event_id, sign("not-the-secret", body))
    tampered = await deliver(api, caller, b'{"text": "evil!"}', event_id, sign(secret, body))
    missing = await deliver(api, caller, body, event_id, None)
    assert [status for status, _ in (forged, tampered, missing)] == [401, 401, 401]
    assert forged[1]["code"] == "UNAUTHORIZED"
    assert await stored(db, caller, event_id) == 0
    # The genuine event is still accepted afterwards: the forgeries left no mark.
    assert await deliver(api, caller, body, event_id, sign(secret, body)) == (
        202,
        {"status": "accepted"},
    )


async def test_secrets_are_listed_without_the_secret_and_a_revoked_one_stops_working(
    api: ClientSession, caller: Caller, other_caller: Caller
) -> None:
    created = await new_secret(api, caller, source="github")
    listing = await (await api.get("/v1/webhooks/secrets", headers=caller.headers)).json()
    assert listing["items"] == [
        {"id": created["id"], "source": "github", "created_at": created["created_at"]}
    ]
    foreign = await api.delete(
        f"/v1/webhooks/secrets/{created['id']}", headers=other_caller.headers
    )
    assert foreign.status == 404
    revoked = await api.delete(f"/v1/webhooks/secrets/{created['id']}", headers=caller.headers)
    assert revoked.status == 204
    body = b"{}"
    status, _ = await deliver(
        api, caller, body, uuid.uuid4().hex, sign(created["secret"], body), source="github"
    )
    assert status == 401
    assert (await (await api.get("/v1/webhooks/secrets", headers=caller.headers)).json())[
        "items"
    ] == []


async def test_a_secret_of_another_workspace_does_not_sign_for_this_one(
    api: ClientSession, caller: Caller, other_caller: Caller
) -> None:
    theirs = (await new_secret(api, other_caller))["secret"]
    await new_secret(api, caller)
    body = b'{"x": 1}'
    status, _ = await deliver(api, caller, body, uuid.uuid4().hex, sign(theirs, body))
    assert status == 401


async def test_only_the_owner_manages_secrets(api: ClientSession, settings: Settings) -> None:
    member = mint_caller(settings, role="member")
    response = await api.post(
        "/v1/webhooks/secrets", json={"source": "slack"}, headers=member.headers
    )
    assert response.status == 403
