"""`POST /v1/auth/refresh` and `/logout`: rotation, reuse detection, expiry, replays."""

import asyncio
import uuid
from typing import Any

from aiohttp import ClientSession
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from security.tokens import token_digest
from storage.schema.auth import refresh_tokens
from tests.integration.auth.http import bearer, error_of, json_of, refresh
from tests.support.auth import register

PAIR_FIELDS = {"access_token", "refresh_token", "token_type", "expires_in"}


async def token_row(db: AsyncEngine, token: str) -> Any:
    async with db.connect() as conn:
        return (
            await conn.execute(
                select(refresh_tokens).where(refresh_tokens.c.token_hash == token_digest(token))
            )
        ).one()


async def test_refresh_rotates_within_the_family(api: ClientSession, db: AsyncEngine) -> None:
    account = await register(api)
    pair = await json_of(await refresh(api, account["refresh_token"]), 200)
    assert set(pair) == PAIR_FIELDS
    assert pair["refresh_token"] != account["refresh_token"]
    me = await json_of(await api.get("/v1/auth/me", headers=bearer(pair["access_token"])), 200)
    assert me["user"] == account["user"]
    old, new = (
        await token_row(db, account["refresh_token"]),
        await token_row(db, pair["refresh_token"]),
    )
    assert old.used_at is not None and old.revoked_at is None
    assert (new.family_id, new.parent_id) == (old.family_id, old.id)
    assert new.expires_at == old.expires_at  # an absolute lifetime: rotation does not extend it
    assert (new.used_at, new.revoked_at) == (None, None)
    again = await json_of(await refresh(api, pair["refresh_token"]), 200)
    assert again["refresh_token"] not in (pair["refresh_token"], account["refresh_token"])


async def test_a_reused_token_revokes_the_family_newest_token_included(
    api: ClientSession, db: AsyncEngine
) -> None:
    account = await register(api)
    first = await json_of(await refresh(api, account["refresh_token"]), 200)
    second = await json_of(await refresh(api, first["refresh_token"]), 200)
    body = await error_of(await refresh(api, account["refresh_token"]), 401, "REFRESH_TOKEN_REUSED")
    assert body["message"]
    await error_of(await refresh(api, second["refresh_token"]), 401, "UNAUTHORIZED")
    newest = await token_row(db, second["refresh_token"])
    assert newest.revoked_at is not None
    # Presenting a used token again keeps being reuse.
    await error_of(await refresh(api, first["refresh_token"]), 401, "REFRESH_TOKEN_REUSED")


async def test_another_session_of_the_same_user_survives_a_reuse(api: ClientSession) -> None:
    account = await register(api)
    other = await json_of(
        await api.post(
            "/v1/auth/login", json={"email": account["email"], "password": account["password"]}
        ),
        200,
    )
    await json_of(await refresh(api, account["refresh_token"]), 200)
    await error_of(await refresh(api, account["refresh_token"]), 401, "REFRESH_TOKEN_REUSED")
    await json_of(await refresh(api, other["refresh_token"]), 200)


async def test_two_concurrent_refreshes_of_one_token_cannot_both_succeed(
    api: ClientSession,
) -> None:
    account = await register(api)
    responses = await asyncio.gather(*(refresh(api, account["refresh_token"]) for _ in range(4)))
    statuses = sorted(r.status for r in responses)
    assert statuses == [200, 401, 401, 401]
    winner = next(r for r in responses if r.status == 200)
    codes = {(await r.json())["code"] for r in responses if r.status == 401}
    assert codes == {"REFRESH_TOKEN_REUSED"}
    # The losers were reuse: the winner's new token belongs to a revoked family.
    await error_of(await refresh(api, (await winner.json())["refresh_token"]), 401, "UNAUTHORIZED")


async def test_unknown_and_malformed_refresh_tokens_are_401(api: ClientSession) -> None:
    account = await register(api)
    await error_of(await refresh(api, "sbr_" + "x" * 43), 401, "UNAUTHORIZED")
    await error_of(await refresh(api, account["access_token"]), 401, "UNAUTHORIZED")
    await error_of(
        await api.post("/v1/auth/refresh", json={"refresh_token": ""}), 422, "VALIDATION_ERROR"
    )
    await error_of(await api.post("/v1/auth/refresh", json={}), 422, "VALIDATION_ERROR")


async def test_an_expired_refresh_token_is_token_expired(
    api: ClientSession, db: AsyncEngine
) -> None:
    account = await register(api)
    async with db.begin() as conn:
        await conn.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.token_hash == token_digest(account["refresh_token"]))
            .values(expires_at=refresh_tokens.c.issued_at)
        )
    await error_of(await refresh(api, account["refresh_token"]), 401, "TOKEN_EXPIRED")


async def test_logout_revokes_the_family(api: ClientSession, db: AsyncEngine) -> None:
    account = await register(api)
    pair = await json_of(await refresh(api, account["refresh_token"]), 200)
    response = await api.post("/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert response.status == 204
    assert await response.read() == b""
    await error_of(await refresh(api, pair["refresh_token"]), 401, "UNAUTHORIZED")
    assert (await token_row(db, pair["refresh_token"])).revoked_at is not None
    assert (await token_row(db, account["refresh_token"])).revoked_at is not None


async def test_logout_with_an_unknown_token_is_still_204(api: ClientSession) -> None:
    response = await api.post("/v1/auth/logout", json={"refresh_token": "sbr_unknown"})
    assert response.status == 204
    await error_of(await api.post("/v1/auth/logout", json={}), 422, "VALIDATION_ERROR")


async def test_a_replayed_refresh_supersedes_the_first_answer(
    api: ClientSession, db: AsyncEngine
) -> None:
    """The client lost the first answer (say, a gateway timeout) and retries the operation."""
    account = await register(api)
    operation = {"X-Operation-Id": f"refresh-{uuid.uuid4().hex}"}
    lost = await json_of(await refresh(api, account["refresh_token"], **operation), 200)
    replayed = await refresh(api, account["refresh_token"], **operation)
    kept = await json_of(replayed, 200)
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert set(kept) == PAIR_FIELDS
    assert kept["refresh_token"] != lost["refresh_token"]
    sibling, superseded = (
        await token_row(db, kept["refresh_token"]),
        await token_row(db, lost["refresh_token"]),
    )
    assert (sibling.parent_id, sibling.family_id) == (superseded.parent_id, superseded.family_id)
    assert superseded.used_at is not None
    # A third attempt of the same operation supersedes again; the family stays alive.
    third = await json_of(await refresh(api, account["refresh_token"], **operation), 200)
    await json_of(await refresh(api, third["refresh_token"]), 200)


async def test_a_replay_after_the_client_moved_on_is_reuse(api: ClientSession) -> None:
    account = await register(api)
    operation = {"X-Operation-Id": f"refresh-{uuid.uuid4().hex}"}
    first = await json_of(await refresh(api, account["refresh_token"], **operation), 200)
    latest = await json_of(await refresh(api, first["refresh_token"]), 200)
    replayed = await refresh(api, account["refresh_token"], **operation)
    await error_of(replayed, 401, "REFRESH_TOKEN_REUSED")
    await error_of(await refresh(api, latest["refresh_token"]), 401, "UNAUTHORIZED")


async def test_a_superseded_token_presented_later_is_reuse(api: ClientSession) -> None:
    account = await register(api)
    operation = {"X-Operation-Id": f"refresh-{uuid.uuid4().hex}"}
    lost = await json_of(await refresh(api, account["refresh_token"], **operation), 200)
    kept = await json_of(await refresh(api, account["refresh_token"], **operation), 200)
    await error_of(await refresh(api, lost["refresh_token"]), 401, "REFRESH_TOKEN_REUSED")
    await error_of(await refresh(api, kept["refresh_token"]), 401, "UNAUTHORIZED")
