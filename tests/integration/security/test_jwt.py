"""Forged, altered and misused tokens are 401, at the gateway and at every handler group.

Each forged access token claims to be a real owner (the victim): were one accepted, the victim's
workspace would gain a bot. The gateway checks tokens at the edge; a command published straight
to Kafka is checked again by the handler, so both roads are tried.
"""

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import jwt
import pytest
from aiohttp import ClientSession
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from gateway.bus_client import BusClient
from security.tokens import ACCESS_TYP
from tests.support.callers import Caller, send_command
from tests.support.security import TALLY, Tenant, error_of, register_tenant, tenant_rows

Forge = Callable[[Settings, Tenant], str]


@pytest.fixture(scope="module")
async def victim(gateway_url: str) -> AsyncIterator[Tenant]:
    async with ClientSession(base_url=gateway_url) as api:
        yield await register_tenant(api, "victim")


def _claims(settings: Settings, who: Tenant, **changes: Any) -> dict[str, Any]:
    """The claims of a genuine access token of `who`; a change to None drops the claim."""
    now = int(time.time())
    claims = {
        "sub": str(who.user_id),
        "wid": str(who.workspace_id),
        "role": "owner",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        **changes,
    }
    return {k: v for k, v in claims.items() if v is not None}


def _signed(
    claims: dict[str, Any], key: str, algorithm: str = "HS256", typ: str | None = ACCESS_TYP
) -> str:
    return jwt.encode(claims, key, algorithm=algorithm, headers={"typ": typ})


def _ours(settings: Settings, who: Tenant, typ: str | None = ACCESS_TYP, **changes: Any) -> str:
    """Signed with the real key: only the claims or header make it wrong."""
    return _signed(
        _claims(settings, who, **changes), settings.jwt_secret.get_secret_value(), typ=typ
    )


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _edited(settings: Settings, who: Tenant) -> str:
    """A genuine token of another workspace's owner, its `wid` and `sub` edited to the victim's."""
    header, _, signature = _ours(settings, who, wid=str(uuid.uuid4()), sub=str(uuid.uuid4())).split(
        "."
    )
    return ".".join([header, _b64(_claims(settings, who)), signature])


def _alg_none(settings: Settings, who: Tenant, keep_signature: bool) -> str:
    genuine = _ours(settings, who)
    header = _b64({"alg": "none", "typ": ACCESS_TYP})
    payload = genuine.split(".")[1]
    return f"{header}.{payload}.{genuine.split('.')[2] if keep_signature else ''}"


def _hs512(claims: dict[str, Any], key: str) -> str:
    """By hand: pyjwt warns (an error here) that our key is short for SHA-512."""
    signing_input = f"{_b64({'alg': 'HS512', 'typ': ACCESS_TYP})}.{_b64(claims)}"
    mac = hmac.new(key.encode(), signing_input.encode(), hashlib.sha512).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


FORGED: dict[str, Forge] = {
    "signed with another key": lambda s, w: _signed(_claims(s, w), "not-our-key-" + "x" * 32),
    "alg none": lambda s, w: _alg_none(s, w, keep_signature=False),
    "alg none, signature kept": lambda s, w: _alg_none(s, w, keep_signature=True),
    "HS512 with our key": lambda s, w: _hs512(_claims(s, w), s.jwt_secret.get_secret_value()),
    "typ missing": lambda s, w: _ours(s, w, typ=None),
    "typ JWT": lambda s, w: _ours(s, w, typ="JWT"),
    "typ of another token kind": lambda s, w: _ours(s, w, typ="rt+jwt"),
    "payload edited, signature kept": _edited,
    "wrong aud": lambda s, w: _ours(s, w, aud="someone-else"),
    "wrong iss": lambda s, w: _ours(s, w, iss="https://evil.example.com"),
    "no exp": lambda s, w: _ours(s, w, exp=None),
    "no wid": lambda s, w: _ours(s, w, wid=None),
    "no jti": lambda s, w: _ours(s, w, jti=None),
    "wid not a uuid": lambda s, w: _ours(s, w, wid="*"),
    "role admin": lambda s, w: _ours(s, w, role="admin"),
    "role integration in a JWT": lambda s, w: _ours(s, w, role="integration"),
    "a refresh token": lambda s, w: w.account["refresh_token"],
    "a refresh token posing as an integration token": lambda s, w: (
        "sbi_" + w.account["refresh_token"].partition("_")[2]
    ),
    "garbage": lambda s, w: "not.a.jwt",
}
EXPIRED = "expired"
FORGED[EXPIRED] = lambda s, w: _ours(s, w, iat=int(time.time()) - 3600, exp=int(time.time()) - 60)


def _code(name: str) -> str:
    return "TOKEN_EXPIRED" if name == EXPIRED else "UNAUTHORIZED"


async def test_the_forgers_genuine_token_works_so_each_forgery_fails_for_its_one_flaw(
    api: ClientSession, bus: BusClient, settings: Settings, victim: Tenant
) -> None:
    token = _ours(settings, victim)
    response = await api.get("/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200, await response.text()
    caller = Caller(victim.user_id, victim.workspace_id, "owner", token)
    for command_type in ["auth.me", "conversations.list_threads"]:
        reply = await send_command(bus, settings, command_type, {}, caller)
        assert reply.status == 200, reply


@pytest.mark.parametrize("name", FORGED)
async def test_a_forged_token_is_401_at_the_gateway(
    name: str, api: ClientSession, settings: Settings, victim: Tenant, db: AsyncEngine
) -> None:
    before = await tenant_rows(db, victim.workspace_id)
    headers = {"Authorization": f"Bearer {FORGED[name](settings, victim)}"}
    await error_of(await api.get("/v1/auth/me", headers=headers), 401, _code(name))
    await error_of(await api.get("/v1/bots", headers=headers), 401, _code(name))
    created = await api.post("/v1/bots", json={"name": "forged"}, headers=headers)
    await error_of(created, 401, _code(name))
    assert await tenant_rows(db, victim.workspace_id) == before
    TALLY.add("JWT misuse", "gateway", name)


@pytest.mark.parametrize("name", FORGED)
async def test_a_forged_token_is_401_at_every_handler_group(
    name: str, bus: BusClient, settings: Settings, victim: Tenant, db: AsyncEngine
) -> None:
    before = await tenant_rows(db, victim.workspace_id)
    forged = Caller(victim.user_id, victim.workspace_id, "owner", FORGED[name](settings, victim))
    for command_type, payload in [
        ("auth.me", {}),
        ("bots.create", {"name": "forged"}),
        ("conversations.list_threads", {}),
        ("webhooks.create_secret", {"source": "forged"}),
    ]:
        reply = await send_command(bus, settings, command_type, payload, forged)
        where = f"{command_type} with {name}: {reply}"
        assert (reply.status, reply.error and reply.error.code) == (401, _code(name)), where
    assert await tenant_rows(db, victim.workspace_id) == before
    TALLY.add("JWT misuse", "kafka", name)


async def test_an_access_token_is_not_a_refresh_token(
    api: ClientSession, bus: BusClient, settings: Settings, victim: Tenant
) -> None:
    for token in [victim.account["access_token"], _ours(settings, victim)]:
        response = await api.post("/v1/auth/refresh", json={"refresh_token": token})
        await error_of(response, 401, "UNAUTHORIZED")
        reply = await send_command(bus, settings, "auth.refresh", {"refresh_token": token})
        assert (reply.status, reply.error and reply.error.code) == (401, "UNAUTHORIZED"), reply
    TALLY.add("JWT misuse", "refresh", "an access token")
