"""`POST /v1/auth/login` and `GET /v1/auth/me`."""

import uuid

from aiohttp import ClientSession
from argon2 import PasswordHasher
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from gateway.bus_client import BusClient
from security.passwords import HASH_PREFIX
from storage.schema.auth import refresh_tokens, users
from tests.integration.auth.http import bearer, error_of, json_of, login
from tests.support.auth import as_caller, new_email, register
from tests.support.callers import mint_caller, send_command


async def test_login_answers_the_register_shape_with_a_new_session(
    api: ClientSession, db: AsyncEngine
) -> None:
    account = await register(api, display_name="Lin")
    body = await json_of(await login(api, account["email"].upper(), account["password"]), 200)
    assert (body["user"], body["workspace"]) == (account["user"], account["workspace"])
    assert body["token_type"] == "Bearer"
    assert body["refresh_token"] not in (account["refresh_token"],)
    async with db.connect() as conn:
        families = (
            await conn.execute(
                select(refresh_tokens.c.family_id).where(
                    refresh_tokens.c.user_id == account["user"]["id"]
                )
            )
        ).all()
    assert len({row.family_id for row in families}) == 2  # register's session and login's
    me = await json_of(await api.get("/v1/auth/me", headers=bearer(body["access_token"])), 200)
    assert me == {"user": account["user"], "workspace": account["workspace"], "role": "owner"}


async def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    api: ClientSession,
) -> None:
    account = await register(api)
    wrong = await error_of(
        await login(api, account["email"], "wrong-password"), 401, "INVALID_CREDENTIALS"
    )
    unknown = await error_of(
        await login(api, new_email(), account["password"]), 401, "INVALID_CREDENTIALS"
    )
    assert {k: v for k, v in wrong.items() if k != "trace_id"} == {
        k: v for k, v in unknown.items() if k != "trace_id"
    }


async def test_login_validates_its_body(api: ClientSession) -> None:
    for payload in (
        {"email": "nope", "password": "x"},
        {"email": new_email()},
        {"email": new_email(), "password": "x", "remember": True},
    ):
        await error_of(await api.post("/v1/auth/login", json=payload), 422, "VALIDATION_ERROR")


async def test_a_replayed_login_answers_a_fresh_session(api: ClientSession) -> None:
    account = await register(api)
    operation = {"X-Operation-Id": f"login-{uuid.uuid4().hex}"}
    first = await login(api, account["email"], account["password"], **operation)
    second = await login(api, account["email"], account["password"], **operation)
    one, two = await json_of(first, 200), await json_of(second, 200)
    assert second.headers["Idempotent-Replayed"] == "true"
    assert (two["user"], two["workspace"]) == (one["user"], one["workspace"])
    assert two["refresh_token"] != one["refresh_token"]
    await json_of(await api.get("/v1/auth/me", headers=bearer(two["access_token"])), 200)


async def test_a_hash_made_with_old_parameters_is_upgraded_at_login(
    api: ClientSession, db: AsyncEngine
) -> None:
    account = await register(api)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(account["password"])
    async with db.begin() as conn:
        await conn.execute(
            update(users).where(users.c.email == account["email"]).values(password_hash=weak)
        )
    await json_of(await login(api, account["email"], account["password"]), 200)
    async with db.connect() as conn:
        stored = (
            await conn.execute(
                select(users.c.password_hash).where(users.c.email == account["email"])
            )
        ).scalar_one()
    assert stored != weak
    assert stored.startswith(HASH_PREFIX)


async def test_me_without_a_token_is_401(api: ClientSession) -> None:
    await error_of(await api.get("/v1/auth/me"), 401, "UNAUTHORIZED")


async def test_me_for_a_token_whose_account_does_not_exist_is_401(
    api: ClientSession, settings: Settings
) -> None:
    ghost = mint_caller(settings)
    await error_of(await api.get("/v1/auth/me", headers=ghost.headers), 401, "UNAUTHORIZED")


async def test_me_over_the_bus_with_the_registered_token(
    api: ClientSession, bus: BusClient, settings: Settings
) -> None:
    account = await register(api)
    reply = await send_command(bus, settings, "auth.me", {}, as_caller(account))
    assert reply.ok, reply
    assert reply.body["user"] == account["user"]
    assert reply.body["role"] == "owner"
