"""No secret reaches a handler log: passwords (right or wrong), password hashes, access, refresh
and integration tokens, webhook secrets, whichever road they took and however the command ended.

The secrets are made inside the test, and only what the groups logged during the test is read,
once each group has logged a last, marked command: the scan neither depends on test order nor
reads a half-flushed file.
Besides the exact values, the scan looks for the shapes of secrets (an argon2 hash, a JWT, our
token prefixes), which also catches secrets minted by commands the test does not see.
"""

import asyncio
import re
import secrets
import uuid
from typing import Any

import pytest
from aiohttp import ClientSession
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.topics import SERVICES, Service
from gateway.bus_client import BusClient
from handlers.webhooks.signature import sign
from storage.db import create_engine
from storage.schema.auth import users
from tests.support.auth import new_email, register
from tests.support.callers import Caller, send_command
from tests.support.security import TALLY, leaks
from tests.support.stack import HandlerProcesses

SHAPES = {
    "argon2 hash": re.compile(r"\$argon2(id|i|d)\$"),
    "JWT": re.compile(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*"),
    "refresh token": re.compile(r"\bsbr_[\w-]{20,}"),
    "integration token": re.compile(r"\bsbi_[\w-]{20,}"),
    "webhook secret": re.compile(r"\bwhsec_[\w-]{20,}"),
}
# One read per group, marked with a trace id: once it is in a log, so is everything before it.
LAST_READS: dict[Service, str] = {
    "auth": "/v1/auth/me",
    "bots": "/v1/bots",
    "conversations": "/v1/conversations/threads",
    "analytics": "/v1/analytics/usage?from=2026-01-01&to=2026-01-02",
}


async def _json(api: ClientSession, method: str, path: str, status: int, **kw: Any) -> Any:
    response = await api.request(method, path, **kw)
    assert response.status == status, (method, path, await response.text())
    return await response.json() if status != 204 else None


async def _sessions(api: ClientSession, found: list[str]) -> dict[str, Any]:
    """Register, fail a login, log in, rotate, reuse, log out; every secret goes to `found`."""
    email, password, wrong = new_email(), f"pw-{secrets.token_urlsafe(12)}", f"no-{uuid.uuid4()}"
    account = await register(api, email=email, password=password)
    await _json(api, "POST", "/v1/auth/login", 401, json={"email": email, "password": wrong})
    login = await _json(
        api, "POST", "/v1/auth/login", 200, json={"email": email, "password": password}
    )
    rotated = await _json(
        api, "POST", "/v1/auth/refresh", 200, json={"refresh_token": login["refresh_token"]}
    )
    await _json(
        api, "POST", "/v1/auth/refresh", 401, json={"refresh_token": login["refresh_token"]}
    )
    unknown = f"sbr_{secrets.token_urlsafe(32)}"
    await _json(api, "POST", "/v1/auth/refresh", 401, json={"refresh_token": unknown})
    await _json(
        api, "POST", "/v1/auth/logout", 204, json={"refresh_token": account["refresh_token"]}
    )
    found += [password, wrong, unknown]
    for pair in (account, login, rotated):
        found += [pair["access_token"], pair["refresh_token"]]
    return account


async def _integrations(
    api: ClientSession,
    bus: BusClient,
    settings: Settings,
    account: dict[str, Any],
    found: list[str],
) -> None:
    """An integration token used, revoked and refused; a webhook secret used and forged."""
    headers = account["headers"]
    token = await _json(
        api, "POST", "/v1/auth/integration-tokens", 201, json={"name": "ci"}, headers=headers
    )
    integration = Caller(
        uuid.uuid4(), uuid.UUID(account["workspace"]["id"]), "integration", token["token"]
    )
    assert (await send_command(bus, settings, "bots.list", {}, integration)).status == 200
    await _json(api, "DELETE", f"/v1/auth/integration-tokens/{token['id']}", 204, headers=headers)
    assert (await send_command(bus, settings, "auth.me", {}, integration)).status == 401
    secret = await _json(
        api, "POST", "/v1/webhooks/secrets", 201, json={"source": "logscan"}, headers=headers
    )
    body = b'{"event": "log scan"}'
    for signature, status in [(sign(secret["secret"], body), 202), ("sha256=00", 401)]:
        hook = {"X-Event-Id": uuid.uuid4().hex, "X-Signature": signature}
        path = f"/v1/webhooks/{account['workspace']['id']}/logscan"
        await _json(api, "POST", path, status, data=body, headers=hook)
    found += [token["token"], secret["secret"]]


async def _failures(bus: BusClient, settings: Settings, found: list[str]) -> None:
    """Commands carrying secrets that are refused by the handler's validation."""
    kept = f"sbr_{secrets.token_urlsafe(32)}"
    reply = await send_command(bus, settings, "auth.refresh", {"refresh_token": kept, "x": 1})
    assert reply.status == 422
    password = f"pw-{secrets.token_urlsafe(12)}"
    register = {"email": new_email(), "password": password, "display_name": "x" * 201}
    reply = await send_command(bus, settings, "auth.register", register)
    assert reply.status == 422
    found += [kept, password]


async def _password_hashes(db: AsyncEngine, emails: list[str]) -> list[str]:
    async with db.connect() as conn:
        rows = await conn.execute(select(users.c.password_hash).where(users.c.email.in_(emails)))
        return [row.password_hash for row in rows]


async def _flushed_logs(
    api: ClientSession, handlers: HandlerProcesses, headers: dict[str, str]
) -> dict[Service, str]:
    assert set(LAST_READS) == set(SERVICES), "give every handler group a marked read"
    marks = {service: f"logscan-{uuid.uuid4().hex}" for service in SERVICES}
    for service, path in LAST_READS.items():
        await _json(api, "GET", path, 200, headers={**headers, "X-Trace-Id": marks[service]})
    for _ in range(200):
        logs = {service: handlers.log(service) for service in SERVICES}
        if all(marks[service] in logs[service] for service in SERVICES):
            return logs
        await asyncio.sleep(0.05)
    raise AssertionError("the handler logs never showed the marked reads")


async def test_no_handler_log_holds_a_secret(
    api: ClientSession,
    bus: BusClient,
    settings: Settings,
    db: AsyncEngine,
    handlers: HandlerProcesses,
) -> None:
    # Only what this test made the groups write is read: another test's leak is not this one's.
    start = {service: len(handlers.log(service)) for service in SERVICES}
    found: list[str] = []
    account = await _sessions(api, found)
    fresh = await register(api)  # its session stays live: its tokens are used for the last reads
    await _integrations(api, bus, settings, fresh, found)
    await _failures(bus, settings, found)
    found += [fresh["password"], fresh["access_token"], fresh["refresh_token"]]
    hashes = await _password_hashes(db, [account["email"], fresh["email"]])
    assert len(hashes) == 2
    found += hashes
    logs = await _flushed_logs(api, handlers, fresh["headers"])
    for service, whole in logs.items():
        log = whole[start[service] :]
        assert leaks(log, found) == [], f"{service} log holds secrets"
        shapes = [name for name, shape in SHAPES.items() if shape.search(log)]
        assert shapes == [], f"{service} log holds something shaped like: {shapes}"
        TALLY.add("log scan", service, f"{len(found)} secrets, {len(SHAPES)} shapes")


async def test_the_handlers_database_errors_do_not_quote_parameters(database: str) -> None:
    """What the dead-letter path logs is `str(exc)`: it must not carry the statement's values."""
    engine = create_engine(database, 1)
    secret = f"$argon2id$v=19$m=65536,t=3,p=4${secrets.token_urlsafe(16)}"
    try:
        with pytest.raises(DBAPIError) as failure:
            async with engine.connect() as conn:
                await conn.execute(
                    text("SELECT CAST(:secret AS text) || CAST(1 / 0 AS text)"), {"secret": secret}
                )
    finally:
        await engine.dispose()
    error = str(failure.value)
    assert "division by zero" in error  # a server-side failure, as in production
    assert secret not in error
