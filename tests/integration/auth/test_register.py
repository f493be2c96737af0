"""`POST /v1/auth/register`: the account, its audit trail, validation, duplicates, replays."""

import asyncio
import uuid
from typing import Any

import pytest
from aiohttp import ClientSession
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from gateway.bus_client import BusClient
from storage.schema.auth import users, workspace_members, workspaces
from storage.schema.spine import processed_operations
from tests.integration.auth.http import audit_rows, bearer, error_of, json_of
from tests.support.auth import PASSWORD, new_email, register
from tests.support.callers import send_command
from tests.support.stack import HandlerProcesses

SESSION_FIELDS = {"user", "workspace", "access_token", "refresh_token", "token_type", "expires_in"}


async def test_register_creates_user_workspace_and_owner_membership(
    api: ClientSession, db: AsyncEngine, settings: Settings
) -> None:
    email = new_email()
    body = await register(api, email, workspace_name=" Acme ", display_name="Ada")
    assert set(body) == SESSION_FIELDS | {"email", "password", "headers"}
    assert body["user"] == {"id": body["user"]["id"], "email": email, "display_name": "Ada"}
    assert body["workspace"] == {"id": body["workspace"]["id"], "name": "Acme"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.access_token_ttl_s
    assert body["refresh_token"].startswith("sbr_")
    async with db.connect() as conn:
        user = (await conn.execute(select(users).where(users.c.id == body["user"]["id"]))).one()
        member = (
            await conn.execute(
                select(workspace_members).where(workspace_members.c.user_id == user.id)
            )
        ).one()
    assert user.email == email
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert (str(member.workspace_id), member.role) == (body["workspace"]["id"], "owner")


async def test_register_writes_one_audit_entry_for_the_user_and_one_for_the_workspace(
    api: ClientSession, db: AsyncEngine
) -> None:
    trace_id = f"trace-{uuid.uuid4().hex}"
    response = await api.post(
        "/v1/auth/register",
        json={"email": new_email(), "password": PASSWORD},
        headers={"X-Trace-Id": trace_id, "X-Operation-Id": "register-audit-1"},
    )
    body = await json_of(response, 201)
    user_id, workspace_id = body["user"]["id"], body["workspace"]["id"]
    rows = await audit_rows(db, workspace_id)
    assert sorted((r.action, r.resource_type, r.resource_id) for r in rows) == [
        ("user.created", "user", user_id),
        ("workspace.created", "workspace", workspace_id),
    ]
    for row in rows:
        assert str(row.actor_user_id) == user_id
        assert (row.trace_id, row.operation_id) == (trace_id, "register-audit-1")
        assert "password" not in str(row.changes)


async def test_names_default_to_the_local_part_of_the_email(api: ClientSession) -> None:
    local = f"grace-{uuid.uuid4().hex[:8]}"
    body = await register(api, f"{local}@Example.COM")
    assert body["user"]["display_name"] == local
    assert body["workspace"]["name"] == local
    assert body["user"]["email"] == f"{local}@example.com"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "a@b", "password": PASSWORD}, "email"),
        ({"email": "two@@example.com", "password": PASSWORD}, "email"),
        ({"email": "sp ace@example.com", "password": PASSWORD}, "email"),
        ({"email": "x" * 300 + "@example.com", "password": PASSWORD}, "email"),
        ({"email": "ok@example.com", "password": "short"}, "password"),
        ({"email": "ok@example.com", "password": "p" * 129}, "password"),
        ({"email": "ok@example.com"}, "password"),
        ({"password": PASSWORD}, "email"),
        ({"email": "ok@example.com", "password": PASSWORD, "workspace_name": ""}, "workspace_name"),
        (
            {"email": "ok@example.com", "password": PASSWORD, "workspace_name": "w" * 201},
            "workspace_name",
        ),
        ({"email": "ok@example.com", "password": PASSWORD, "display_name": "   "}, "display_name"),
        (
            {"email": "ok@example.com", "password": PASSWORD, "display_name": "d" * 201},
            "display_name",
        ),
        ({"email": "ok@example.com", "password": PASSWORD, "role": "owner"}, "role"),
        ({"email": 42, "password": PASSWORD}, "email"),
    ],
)
async def test_invalid_registrations_are_422_naming_the_field(
    api: ClientSession, payload: dict[str, Any], field: str
) -> None:
    body = await error_of(
        await api.post("/v1/auth/register", json=payload), 422, "VALIDATION_ERROR"
    )
    assert field in [f["field"] for f in body["details"]["fields"]], body


async def test_handlers_validate_too_for_directly_published_commands(
    bus: BusClient, settings: Settings, handlers: HandlerProcesses
) -> None:
    reply = await send_command(
        bus, settings, "auth.register", {"email": "nope", "password": PASSWORD, "extra": 1}
    )
    assert (reply.status, reply.error and reply.error.code) == (422, "VALIDATION_ERROR")
    fields = {f["field"] for f in reply.error.details["fields"]}  # type: ignore[union-attr,index]
    assert fields == {"email", "extra"}


async def test_a_taken_email_is_409_whatever_its_case(api: ClientSession) -> None:
    email = new_email()
    await register(api, email)
    response = await api.post(
        "/v1/auth/register", json={"email": email.upper(), "password": "another-password"}
    )
    body = await error_of(response, 409, "EMAIL_TAKEN")
    assert body["trace_id"]


async def test_concurrent_registrations_of_one_email_through_the_gateway_one_wins(
    api: ClientSession, db: AsyncEngine
) -> None:
    email = new_email()
    responses = await asyncio.gather(
        *(
            api.post(
                "/v1/auth/register",
                json={"email": email if i % 2 else email.upper(), "password": PASSWORD},
                headers={"X-Operation-Id": f"race-{uuid.uuid4().hex}"},
            )
            for i in range(10)
        )
    )
    statuses = sorted(r.status for r in responses)
    assert statuses == [201] + [409] * 9
    async with db.connect() as conn:
        count = len((await conn.execute(select(users.c.id).where(users.c.email == email))).all())
    assert count == 1


async def test_concurrent_registrations_published_on_many_partitions_one_wins(
    bus: BusClient, settings: Settings, db: AsyncEngine, handlers: HandlerProcesses
) -> None:
    """Published without a key, the commands spread over partitions and the group's workers,
    so they really do race in Postgres (through the gateway one email keeps one partition)."""
    email = new_email()
    replies = await asyncio.gather(
        *(
            send_command(bus, settings, "auth.register", {"email": email, "password": PASSWORD})
            for _ in range(10)
        )
    )
    assert sorted(r.status for r in replies) == [201] + [409] * 9
    assert {r.error.code for r in replies if r.error} == {"EMAIL_TAKEN"}
    async with db.connect() as conn:
        found = (await conn.execute(select(users.c.id).where(users.c.email == email))).all()
        spaces = (
            await conn.execute(
                select(workspace_members.c.workspace_id).where(
                    workspace_members.c.user_id == found[0].id
                )
            )
        ).all()
    assert (len(found), len(spaces)) == (1, 1)


async def test_a_replayed_register_answers_the_same_account_with_fresh_tokens(
    api: ClientSession, db: AsyncEngine
) -> None:
    operation = {"X-Operation-Id": f"register-{uuid.uuid4().hex}"}
    payload = {"email": new_email(), "password": PASSWORD}
    first = await api.post("/v1/auth/register", json=payload, headers=operation)
    second = await api.post("/v1/auth/register", json=payload, headers=operation)
    one, two = await json_of(first, 201), await json_of(second, 201)
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert (two["user"], two["workspace"]) == (one["user"], one["workspace"])
    assert two["access_token"] != one["access_token"]
    assert two["refresh_token"] != one["refresh_token"]
    for tokens in (one, two):  # both sessions work
        me = await json_of(
            await api.get("/v1/auth/me", headers=bearer(tokens["access_token"])), 200
        )
        assert me["user"] == one["user"]
    async with db.connect() as conn:
        spaces = (
            await conn.execute(
                select(workspaces.c.id).where(workspaces.c.id == one["workspace"]["id"])
            )
        ).all()
    assert len(spaces) == 1
    assert len(await audit_rows(db, one["workspace"]["id"])) == 2


async def test_the_same_operation_id_with_another_password_is_idempotency_key_reused(
    api: ClientSession,
) -> None:
    operation = {"X-Operation-Id": f"register-{uuid.uuid4().hex}"}
    email = new_email()
    await json_of(
        await api.post(
            "/v1/auth/register", json={"email": email, "password": PASSWORD}, headers=operation
        ),
        201,
    )
    response = await api.post(
        "/v1/auth/register", json={"email": email, "password": "other-password"}, headers=operation
    )
    await error_of(response, 422, "IDEMPOTENCY_KEY_REUSED")


async def test_no_secret_reaches_the_idempotency_inbox(api: ClientSession, db: AsyncEngine) -> None:
    account = await register(api)
    await json_of(
        await api.post(
            "/v1/auth/login", json={"email": account["email"], "password": account["password"]}
        ),
        200,
    )
    await json_of(
        await api.post("/v1/auth/refresh", json={"refresh_token": account["refresh_token"]}), 200
    )
    created = await api.post(
        "/v1/auth/integration-tokens", json={"name": "ci"}, headers=account["headers"]
    )
    await json_of(created, 201)
    async with db.connect() as conn:
        rows = (
            await conn.execute(
                select(processed_operations.c.command_type, processed_operations.c.reply).where(
                    processed_operations.c.command_type.like("auth.%")
                )
            )
        ).all()
        password_hash = (
            await conn.execute(
                select(users.c.password_hash).where(users.c.email == account["email"])
            )
        ).scalar_one()
    kinds = {row.command_type for row in rows}
    assert {"auth.register", "auth.login", "auth.refresh", "auth.create_integration_token"} <= kinds
    for row in rows:
        stored = str(row.reply)
        for secret in (
            "access_token",
            "'refresh_token'",
            "'token'",
            "sbr_",
            "sbi_",
            "eyJ",
            "$argon2",
        ):
            assert secret not in stored, (row.command_type, stored)
        assert password_hash not in stored
        assert account["password"] not in stored
