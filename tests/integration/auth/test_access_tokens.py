"""Access token misuse is refused by the gateway and, for integrations, by the handlers too."""

import base64
import time
import uuid
import warnings
from typing import Any

import jwt
import orjson
import pytest
from aiohttp import ClientSession

from config.settings import Settings
from gateway.bus_client import BusClient
from security.tokens import AccessTokens
from tests.integration.auth.http import bearer, error_of, json_of
from tests.support.auth import as_caller, register
from tests.support.callers import Caller, send_command


def claims_of(account: dict[str, Any], settings: Settings, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": account["user"]["id"],
        "wid": account["workspace"]["id"],
        "role": "owner",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        **changes,
    }


def signed(claims: dict[str, Any], secret: str, **header: Any) -> str:
    return jwt.encode(claims, secret, algorithm="HS256", headers={"typ": "at+jwt", **header})


def tampered(token: str, **changes: Any) -> str:
    """The same signature over a payload with `changes`."""
    head, payload, signature = token.split(".")
    claims = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(orjson.dumps({**claims, **changes})).rstrip(b"=").decode()
    return f"{head}.{forged}.{signature}"


def unsigned(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(value)).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'at+jwt'})}.{part(claims)}."


def hs512(claims: dict[str, Any], secret: str) -> str:
    """Our key, another HMAC algorithm (the dev key is short for SHA-512, hence the warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
        return jwt.encode(claims, secret, algorithm="HS512", headers={"typ": "at+jwt"})


def misused_tokens(account: dict[str, Any], settings: Settings) -> dict[str, str]:
    secret = settings.jwt_secret.get_secret_value()
    good = claims_of(account, settings)
    return {
        "another key": signed(good, "another-secret-of-at-least-32-bytes!!"),
        "alg none": unsigned(good),
        "tampered workspace": tampered(account["access_token"], wid=str(uuid.uuid4())),
        "tampered role": tampered(account["access_token"], role="member"),
        "wrong audience": signed(claims_of(account, settings, aud="someone-else"), secret),
        "wrong issuer": signed(claims_of(account, settings, iss="someone-else"), secret),
        "no typ": jwt.encode(good, secret, algorithm="HS256"),
        "unknown role": signed(claims_of(account, settings, role="integration"), secret),
        "missing jti": signed({k: v for k, v in good.items() if k != "jti"}, secret),
        "HS512": hs512(good, secret),
        "refresh token": account["refresh_token"],
        "garbage": "not-a-token",
    }


@pytest.fixture
async def account(api: ClientSession) -> dict[str, Any]:
    return await register(api)


async def test_the_gateway_refuses_every_misused_token(
    api: ClientSession, account: dict[str, Any], settings: Settings
) -> None:
    for name, token in misused_tokens(account, settings).items():
        response = await api.get("/v1/auth/me", headers=bearer(token))
        body = await error_of(response, 401, "UNAUTHORIZED")
        assert "Traceback" not in body["message"], name


async def test_the_handlers_refuse_every_misused_token(
    bus: BusClient, settings: Settings, account: dict[str, Any]
) -> None:
    for name, token in misused_tokens(account, settings).items():
        caller = Caller(uuid.uuid4(), uuid.uuid4(), "owner", token)
        reply = await send_command(bus, settings, "auth.me", {}, caller)
        assert (reply.status, reply.error and reply.error.code) == (401, "UNAUTHORIZED"), name


async def test_an_expired_access_token_is_token_expired(
    api: ClientSession, bus: BusClient, settings: Settings, account: dict[str, Any]
) -> None:
    tokens = AccessTokens(
        settings.jwt_secret.get_secret_value(), settings.jwt_issuer, settings.jwt_audience, 60
    )
    user, workspace = as_caller(account).user_id, as_caller(account).workspace_id
    expired = tokens.issue(user, workspace, "owner", now=time.time() - 120)
    await error_of(await api.get("/v1/auth/me", headers=bearer(expired)), 401, "TOKEN_EXPIRED")
    reply = await send_command(
        bus, settings, "auth.me", {}, Caller(user, workspace, "owner", expired)
    )
    assert (reply.status, reply.error and reply.error.code) == (401, "TOKEN_EXPIRED")


async def test_a_token_signed_with_our_key_for_the_account_works(
    api: ClientSession, account: dict[str, Any], settings: Settings
) -> None:
    """The control: the forgeries above fail for what they change, not for how they are made."""
    token = signed(claims_of(account, settings), settings.jwt_secret.get_secret_value())
    await json_of(await api.get("/v1/auth/me", headers=bearer(token)), 200)


async def test_a_malformed_authorization_header_is_401(api: ClientSession) -> None:
    for header in ("Basic dXNlcjpwYXNz", "Bearer", "token"):
        await error_of(
            await api.get("/v1/auth/me", headers={"Authorization": header}), 401, "UNAUTHORIZED"
        )
