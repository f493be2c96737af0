"""The gateway's cross-cutting HTTP rules (SPEC §4) with a fake bus: no Kafka, no Redis."""

from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import pytest
from aiohttp import ClientResponse, ClientSession
from aiohttp.test_utils import TestServer

from config.settings import Settings
from contracts.envelope import Reply
from contracts.errors import ErrorCode
from gateway.app import create_app
from gateway.bus_client import BusUnavailable, ReplyTimeout
from gateway.routes.spec import RouteSpec
from tests.unit.gateway.fakes import FakeBus, FakeLimiter

ROUTES = [
    RouteSpec("POST", "/v1/things", "auth.ping", "Make a thing", status=201, auth=False),
    RouteSpec("GET", "/v1/things/{thing}", "bots.ping", "Read a thing", auth=True),
]
Client = Callable[..., Coroutine[Any, Any, tuple[ClientSession, FakeBus, FakeLimiter]]]


@pytest.fixture
async def client() -> AsyncIterator[Callable[..., Any]]:
    servers: list[TestServer] = []
    sessions: list[ClientSession] = []

    async def make(
        bus: FakeBus | None = None, limiter: FakeLimiter | None = None, **settings: Any
    ) -> ClientSession:
        app = create_app(
            Settings(**settings),
            bus or FakeBus(),
            limiter or FakeLimiter(),
            routes=ROUTES,  # type: ignore[arg-type]
        )
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        sessions.append(ClientSession(base_url=str(server.make_url(""))))
        return sessions[-1]

    yield make
    for session in sessions:
        await session.close()
    for server in servers:
        await server.close()


async def assert_error(response: ClientResponse, status: int, code: ErrorCode) -> dict[str, Any]:
    assert response.status == status
    body = await response.json()
    assert set(body) == {"code", "message", "trace_id", "details"}
    assert body["code"] == code.value
    assert body["trace_id"] == response.headers["X-Trace-Id"]
    return body


async def test_unknown_route_is_404_in_the_error_format(client: Callable[..., Any]) -> None:
    api = await client()
    await assert_error(await api.get("/v1/nothing-here"), 404, ErrorCode.NOT_FOUND)


async def test_wrong_method_is_405_with_allow(client: Callable[..., Any]) -> None:
    api = await client()
    response = await api.delete("/v1/things")
    await assert_error(response, 405, ErrorCode.METHOD_NOT_ALLOWED)
    assert "POST" in response.headers["Allow"]


async def test_malformed_json_is_400(client: Callable[..., Any]) -> None:
    api = await client()
    response = await api.post(
        "/v1/things", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    await assert_error(response, 400, ErrorCode.BAD_REQUEST)


async def test_a_json_array_body_is_400(client: Callable[..., Any]) -> None:
    api = await client()
    await assert_error(await api.post("/v1/things", json=[1, 2]), 400, ErrorCode.BAD_REQUEST)


async def test_a_body_over_the_limit_is_413_and_nothing_is_published(
    client: Callable[..., Any],
) -> None:
    bus = FakeBus()
    api = await client(bus=bus)
    big = b'{"x": "' + b"a" * (1024 * 1024) + b'"}'
    response = await api.post("/v1/things", data=big, headers={"Content-Type": "application/json"})
    await assert_error(response, 413, ErrorCode.PAYLOAD_TOO_LARGE)
    assert bus.sent == []


async def test_a_non_json_content_type_is_415(client: Callable[..., Any]) -> None:
    api = await client()
    response = await api.post(
        "/v1/things", data=b"a=b", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    await assert_error(response, 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE)


async def test_schema_violations_are_422_with_the_fields_and_nothing_is_published(
    client: Callable[..., Any],
) -> None:
    bus = FakeBus()
    api = await client(bus=bus)
    body = await assert_error(
        await api.post("/v1/things", json={"extra": 1}), 422, ErrorCode.VALIDATION_ERROR
    )
    assert [f["field"] for f in body["details"]["fields"]] == ["extra"]
    assert bus.sent == []


@pytest.mark.parametrize("operation_id", ["", "has space", "x" * 129, "semi;colon"])
async def test_a_malformed_operation_id_is_422(
    client: Callable[..., Any], operation_id: str
) -> None:
    api = await client()
    response = await api.post("/v1/things", json={}, headers={"X-Operation-Id": operation_id})
    await assert_error(response, 422, ErrorCode.VALIDATION_ERROR)


async def test_the_operation_id_is_taken_from_either_header_or_generated(
    client: Callable[..., Any],
) -> None:
    bus = FakeBus(reply=Reply.success(201, {"id": 1}))
    api = await client(bus=bus)
    given = await api.post("/v1/things", json={}, headers={"X-Operation-Id": "op-1"})
    alias = await api.post("/v1/things", json={}, headers={"Idempotency-Key": "op:2"})
    generated = await api.post("/v1/things", json={})
    assert given.headers["X-Operation-Id"] == "op-1"
    assert alias.headers["X-Operation-Id"] == "op:2"
    assert generated.headers["X-Operation-Id"].startswith("gw-")
    assert [s[1].operation_id for s in bus.sent] == [
        "op-1",
        "op:2",
        generated.headers["X-Operation-Id"],
    ]


async def test_the_trace_id_comes_from_the_request_or_traceparent_and_travels(
    client: Callable[..., Any],
) -> None:
    bus = FakeBus()
    api = await client(bus=bus)
    given = await api.post("/v1/things", json={}, headers={"X-Trace-Id": "trace-abc-123"})
    parent = await api.post(
        "/v1/things",
        json={},
        headers={"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
    )
    assert given.headers["X-Trace-Id"] == "trace-abc-123"
    assert parent.headers["X-Trace-Id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert [s[1].trace_id for s in bus.sent] == [
        "trace-abc-123",
        "4bf92f3577b34da6a3ce929d0e0e4736",
    ]


async def test_a_reply_renders_status_body_and_replay_header(client: Callable[..., Any]) -> None:
    reply = Reply.success(201, {"id": "x"}).model_copy(update={"replayed": True})
    api = await client(bus=FakeBus(reply=reply))
    response = await api.post("/v1/things", json={})
    assert response.status == 201
    assert await response.json() == {"id": "x"}
    assert response.headers["Idempotent-Replayed"] == "true"


async def test_an_error_reply_renders_in_the_error_format(client: Callable[..., Any]) -> None:
    api = await client(
        bus=FakeBus(reply=Reply.failure(ErrorCode.EMAIL_TAKEN, "taken", {"email": "a@b.c"}))
    )
    body = await assert_error(await api.post("/v1/things", json={}), 409, ErrorCode.EMAIL_TAKEN)
    assert body["details"] == {"email": "a@b.c"}


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (ReplyTimeout(), 504, ErrorCode.UPSTREAM_TIMEOUT),
        (BusUnavailable("down"), 503, ErrorCode.UNAVAILABLE),
    ],
)
async def test_bus_failures_map_to_504_and_503(
    client: Callable[..., Any], error: Exception, status: int, code: ErrorCode
) -> None:
    api = await client(bus=FakeBus(error=error))
    response = await api.post("/v1/things", json={}, headers={"X-Operation-Id": "op-9"})
    await assert_error(response, status, code)
    assert response.headers["X-Operation-Id"] == "op-9"


async def test_protected_routes_need_a_valid_bearer_token(client: Callable[..., Any]) -> None:
    api = await client()
    await assert_error(await api.get("/v1/things/1"), 401, ErrorCode.UNAUTHORIZED)
    bad = await api.get("/v1/things/1", headers={"Authorization": "Bearer nope"})
    await assert_error(bad, 401, ErrorCode.UNAUTHORIZED)


async def test_over_the_rate_limit_is_429_with_retry_after_and_ratelimit_headers(
    client: Callable[..., Any],
) -> None:
    api = await client(limiter=FakeLimiter(allowance=2))
    ok = [await api.post("/v1/things", json={}) for _ in range(2)]
    limited = await api.post("/v1/things", json={})
    assert [r.status for r in ok] == [200, 200]
    assert "RateLimit" in ok[0].headers
    await assert_error(limited, 429, ErrorCode.RATE_LIMITED)
    assert limited.headers["Retry-After"] == "3"
    assert limited.headers["RateLimit-Policy"].startswith('"anonymous";q=')


async def test_cors_preflight_answers_configured_origins_only(client: Callable[..., Any]) -> None:
    api = await client(cors_origins=["https://app.example"])
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = await api.options(
        "/v1/things", headers={"Origin": "https://app.example", **preflight}
    )
    refused = await api.options(
        "/v1/things", headers={"Origin": "https://evil.example", **preflight}
    )
    assert allowed.status == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert "Access-Control-Allow-Origin" not in refused.headers


async def test_every_response_carries_security_headers(client: Callable[..., Any]) -> None:
    api = await client()
    for response in (await api.get("/healthz"), await api.get("/v1/missing")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


async def test_internal_errors_leak_no_stack_trace(client: Callable[..., Any]) -> None:
    api = await client(bus=FakeBus(error=RuntimeError("secret detail /path/to/file.py")))
    response = await api.post("/v1/things", json={})
    body = await assert_error(response, 500, ErrorCode.INTERNAL)
    assert "secret" not in str(body)
    assert "Traceback" not in str(body)
