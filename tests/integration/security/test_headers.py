"""Security headers on every kind of answer, and CORS only for the configured origins."""

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import ClientResponse, ClientSession
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis

from config.settings import Settings
from gateway.app import create_app
from storage.rate_limit import RateLimiter
from tests.support.auth import new_email
from tests.support.callers import Caller
from tests.support.security import TALLY
from tests.support.stack import HandlerProcesses, new_bus

ALLOWED = "https://app.example.com"
Call = Callable[[ClientSession, Caller], Awaitable[ClientResponse]]

SAMPLE: dict[str, tuple[int, Call]] = {
    "healthz": (200, lambda api, c: api.get("/healthz")),
    "openapi": (200, lambda api, c: api.get("/openapi.json")),
    "metrics": (200, lambda api, c: api.get("/metrics")),
    "list bots": (200, lambda api, c: api.get("/v1/bots", headers=c.headers)),
    "create bot": (201, lambda api, c: api.post("/v1/bots", json={"name": "h"}, headers=c.headers)),
    "archive a missing bot": (
        404,
        lambda api, c: api.delete(
            "/v1/bots/00000000-0000-4000-8000-000000000000", headers=c.headers
        ),
    ),
    "no token": (401, lambda api, c: api.get("/v1/bots")),
    "malformed json": (
        400,
        lambda api, c: api.post(
            "/v1/bots", data=b"{", headers={**c.headers, "Content-Type": "application/json"}
        ),
    ),
    "invalid body": (422, lambda api, c: api.post("/v1/bots", json={}, headers=c.headers)),
    "unknown route": (404, lambda api, c: api.get("/v1/nothing-here")),
    "wrong method": (405, lambda api, c: api.put("/v1/bots", headers=c.headers)),
    "too large": (
        413,
        lambda api, c: api.post(
            "/v1/bots",
            data=b"x" * (1024 * 1024 + 1),
            headers={**c.headers, "Content-Type": "application/json"},
        ),
    ),
    "register: tokens in the body": (
        201,
        lambda api, c: api.post(
            "/v1/auth/register", json={"email": new_email(), "password": "long enough secret"}
        ),
    ),
    "invalid register (anonymous)": (
        422,
        lambda api, c: api.post("/v1/auth/register", json={"email": "x", "password": "y"}),
    ),
}


def _assert_security_headers(response: ClientResponse) -> None:
    assert response.headers.get("X-Content-Type-Options") == "nosniff", dict(response.headers)
    assert response.headers.get("Cache-Control") == "no-store", dict(response.headers)
    assert response.headers.get("X-Frame-Options") == "DENY", dict(response.headers)
    assert response.headers.get("Referrer-Policy") == "no-referrer", dict(response.headers)
    assert response.headers.get("X-Trace-Id"), dict(response.headers)


@pytest.mark.parametrize("name", SAMPLE)
async def test_every_answer_carries_the_security_headers(
    name: str, api: ClientSession, caller: Caller
) -> None:
    status, call = SAMPLE[name]
    response = await call(api, caller)
    assert response.status == status, await response.text()
    _assert_security_headers(response)
    TALLY.add("security headers", name, "nosniff, no-store")


@pytest.fixture
async def cors_api(
    settings: Settings, redis: Redis, handlers: HandlerProcesses
) -> AsyncIterator[ClientSession]:
    """A gateway of our own that allows one browser origin."""
    configured = settings.model_copy(update={"cors_origins": [ALLOWED]})
    bus = new_bus(configured, "cors")
    await bus.start()
    server = TestServer(create_app(configured, bus, RateLimiter(redis)), host="127.0.0.1")
    await server.start_server()
    async with ClientSession(base_url=str(server.make_url(""))) as session:
        yield session
    await server.close()
    await bus.stop()


def _preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


async def test_cors_answers_the_configured_origin(cors_api: ClientSession, caller: Caller) -> None:
    response = await cors_api.get("/v1/bots", headers={**caller.headers, "Origin": ALLOWED})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in response.headers.get("Vary", "")
    assert "X-Trace-Id" in response.headers["Access-Control-Expose-Headers"]
    _assert_security_headers(response)
    preflight = await cors_api.options("/v1/bots", headers=_preflight(ALLOWED))
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    _assert_security_headers(preflight)


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example.com",
        "https://app.example.com.evil.com",
        "https://evil-app.example.com",
        "http://app.example.com",
        "https://APP.example.com",
        "https://app.example.com:8443",
        "null",
        "*",
    ],
)
async def test_cors_ignores_any_other_origin(
    origin: str, cors_api: ClientSession, api: ClientSession, caller: Caller
) -> None:
    for gateway in (cors_api, api):  # api: the session's gateway, no origin configured at all
        response = await gateway.get("/v1/bots", headers={**caller.headers, "Origin": origin})
        assert response.status == 200
        assert "Access-Control-Allow-Origin" not in response.headers, dict(response.headers)
        assert "Access-Control-Allow-Credentials" not in response.headers
        preflight = await gateway.options("/v1/bots", headers=_preflight(origin))
        assert "Access-Control-Allow-Origin" not in preflight.headers, dict(preflight.headers)
        assert "Access-Control-Allow-Methods" not in preflight.headers
        _assert_security_headers(preflight)
    TALLY.add("CORS", "foreign origin", origin)


async def test_the_session_gateway_allows_no_origin(api: ClientSession, caller: Caller) -> None:
    response = await api.get("/v1/bots", headers={**caller.headers, "Origin": ALLOWED})
    assert "Access-Control-Allow-Origin" not in response.headers
