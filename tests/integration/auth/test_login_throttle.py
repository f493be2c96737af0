"""The login throttle: `rate_login_per_min` attempts per client IP and email, then 429."""

import uuid
from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis

from config.settings import Settings
from gateway.app import create_app
from storage.rate_limit import RateLimiter
from tests.integration.auth.http import error_of, json_of, login
from tests.support.auth import new_email, register
from tests.support.stack import HandlerProcesses, new_bus

LIMIT = 3


@pytest.fixture
async def strict_api(
    settings: Settings, handlers: HandlerProcesses, redis: Redis
) -> AsyncIterator[ClientSession]:
    """A gateway of its own whose login limit is 3 a minute (the session's is loose)."""
    strict = settings.model_copy(update={"rate_login_per_min": LIMIT})
    bus = new_bus(strict, "login-throttle")
    await bus.start()
    server = TestServer(create_app(strict, bus, RateLimiter(redis)), host="127.0.0.1")
    await server.start_server()
    try:
        async with ClientSession(base_url=str(server.make_url(""))) as session:
            yield session
    finally:
        await server.close()
        await bus.stop()


async def test_the_fourth_attempt_in_a_minute_is_429(strict_api: ClientSession) -> None:
    account = await register(strict_api)
    for _ in range(LIMIT - 1):
        await error_of(
            await login(strict_api, account["email"], "wrong"), 401, "INVALID_CREDENTIALS"
        )
    ok = await login(strict_api, account["email"], account["password"])
    await json_of(ok, 200)
    assert ok.headers["RateLimit-Policy"]
    # Case does not buy a fresh budget: the email is compared lower-cased.
    throttled = await login(strict_api, account["email"].upper(), account["password"])
    body = await error_of(throttled, 429, "RATE_LIMITED")
    assert int(throttled.headers["Retry-After"]) >= 1
    assert throttled.headers["RateLimit-Policy"] == f'"login";q={LIMIT};w=60'
    assert body["trace_id"]


async def test_the_budget_is_per_email(strict_api: ClientSession) -> None:
    email = new_email()
    for _ in range(LIMIT):
        await login(strict_api, email, "wrong")
    await error_of(await login(strict_api, email, "wrong"), 429, "RATE_LIMITED")
    await error_of(await login(strict_api, new_email(), "wrong"), 401, "INVALID_CREDENTIALS")


async def test_other_routes_are_not_throttled(strict_api: ClientSession) -> None:
    for _ in range(LIMIT + 2):
        await register(strict_api)
    assert (await strict_api.get("/healthz")).status == 200


async def test_invalid_attempts_count_too(strict_api: ClientSession) -> None:
    """A body the route refuses (422) still spends the budget of its IP and email."""
    payload = {"email": f"not-an-email-{uuid.uuid4().hex}", "password": "x"}
    statuses = [
        (await strict_api.post("/v1/auth/login", json=payload)).status for _ in range(LIMIT + 1)
    ]
    assert statuses == [422] * LIMIT + [429]
