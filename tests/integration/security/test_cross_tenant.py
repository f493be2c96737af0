"""Tenant isolation, route by route, generated from the route table: workspace B's owner names
workspace A's resources over HTTP and over Kafka (as an integration, with B's access token and
with B's integration token) and must get the same refusal as for ids that exist nowhere, with
nothing of A in the answer and nothing of A changed. Lists show B only its own things, and a
payload smuggling A's `workspace_id` is refused.

The plan for each route lives in `probes.py`; a route with no plan fails here.
"""

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import ClientSession
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.commands import PAYLOADS
from contracts.topics import service_of
from gateway.bus_client import BusClient
from gateway.routes import ROUTES
from gateway.routes.spec import RouteSpec
from handlers.registry import build_registry
from tests.integration.security.probes import LISTS, OWN_ONLY, PROBES, Probe, payload_of
from tests.integration.security.world import World, build_world
from tests.support.callers import Caller, send_command
from tests.support.deps import wired_deps
from tests.support.security import (
    TALLY,
    Tenant,
    assert_error_body,
    leaks,
    register_tenant,
    tenant_rows,
)

PROBED = [r for r in ROUTES if r.path_params or r.command_type in PROBES]
LISTED = [r for r in ROUTES if r.command_type in LISTS]


def _route_id(route: RouteSpec) -> str:
    return f"{route.method} {route.path}"


@pytest.fixture(scope="module")
async def tenants(gateway_url: str) -> tuple[Tenant, Tenant]:
    async with ClientSession(base_url=gateway_url) as api:
        return await register_tenant(api, "a"), await register_tenant(api, "b")


@pytest.fixture
async def world(api: ClientSession, db: AsyncEngine, tenants: tuple[Tenant, Tenant]) -> World:
    return await build_world(api, db, *tenants)


@pytest.fixture(scope="module")
async def handler_auth(settings: Settings) -> AsyncIterator[dict[str, str]]:
    """Command type -> who may run it ("user", "owner", "anonymous"), from the handler registry."""
    deps = wired_deps(settings)
    registries = [build_registry(s, deps) for s in {service_of(t) for t in PROBES}]
    yield {t: spec.auth for r in registries for t in r.types() if (spec := r.get(t))}
    await deps.redis.aclose()


def test_every_route_has_a_cross_tenant_plan() -> None:
    plans = [set(PROBES), set(LISTS), set(OWN_ONLY)]
    for route in ROUTES:
        homes = [plan for plan in plans if route.command_type in plan]
        assert len(homes) == 1, f"{_route_id(route)}: in {len(homes)} cross-tenant tables, not 1"
        if route.path_params:
            assert route.command_type in PROBES, f"{_route_id(route)} names a resource: probe it"
    known = {r.command_type for r in ROUTES}
    assert set().union(*plans) <= known, set().union(*plans) - known


async def test_the_checks_would_see_a_leak_or_a_change(world: World, db: AsyncEngine) -> None:
    """The fingerprint holds A's rows (so a change would show) and the leak scan finds A's data
    in an answer (so a leak would show)."""
    rows = await tenant_rows(db, world.a.workspace_id)
    owned = ["workspaces", "bots", "bot_versions", "threads", "messages", "audit_log"]
    owned += ["integration_tokens", "webhook_secrets"]
    assert all(rows[table] for table in owned), {t: len(rows[t]) for t in owned}
    answer = json.dumps({"items": [world.a_data["bot"], world.a_data["turn"]]})
    found = leaks(answer, world.secrets)
    assert world.a_data["bot"]["name"] in found
    assert world.a_data["turn"]["assistant_message"]["content"] in found
    assert world.a_data["bot"]["id"] not in leaks(
        answer, world.secrets, sent=world.a_data["bot"]["id"]
    )


def _split(route: RouteSpec, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Path, and request keyword arguments, of a command payload sent over HTTP."""
    path = route.path.format(**{n: payload[n] for n in route.path_params})
    rest = {k: v for k, v in payload.items() if k not in route.path_params}
    if route.raw_body:
        headers = {"X-Event-Id": rest["event_id"], "X-Signature": rest["signature"]}
        return path, {"data": rest["body"].encode(), "headers": headers}
    if route.has_body:
        return path, {"json": rest}
    return path, {"params": {k: str(v) for k, v in rest.items()}}


async def _http(
    api: ClientSession, route: RouteSpec, payload: dict[str, Any], w: World
) -> tuple[int, str]:
    path, kwargs = _split(route, payload)
    headers = {**(w.b.headers if route.auth else {}), **kwargs.pop("headers", {})}
    response = await api.request(route.method, path, headers=headers, **kwargs)
    return response.status, await response.text()


def _ghost(payload: dict[str, Any], w: World) -> dict[str, Any]:
    """The same payload with A's ids replaced by ids that exist nowhere."""
    mine = {v for k, v in w.ids.items() if k != "source"}
    return {
        k: str(uuid.uuid4()) if isinstance(v, str) and v in mine else v for k, v in payload.items()
    }


def _normalized(raw: str, payload: dict[str, Any]) -> Any:
    """An answer with the ids it was asked about (and its trace id) blanked out."""
    for name, value in payload.items():
        if isinstance(value, str) and len(value) >= 8:
            raw = raw.replace(value, f"<{name}>")
    body = json.loads(raw)
    body.pop("trace_id", None)
    if isinstance(body.get("error"), dict):
        body["error"].pop("trace_id", None)
    return body


def _refused(
    status: int, raw: str, expected: tuple[int, str], w: World, sent: Any, where: str
) -> None:
    assert status == expected[0], f"{where}: {status} {raw}"
    body = json.loads(raw)
    error = body["error"] if "error" in body and "ok" in body else body
    if "ok" in body:
        assert body["ok"] is False, f"{where}: {raw}"
        assert error["code"] == expected[1], f"{where}: {raw}"
    else:
        assert_error_body(error, status, expected[1])
    assert leaks(raw, w.secrets, sent=json.dumps(sent)) == [], f"{where}: A's data in {raw}"


Send = Callable[[dict[str, Any]], Awaitable[tuple[int, str]]]


async def _probe(
    send: Send, probe: Probe, expected: tuple[int, str], w: World, db: AsyncEngine, where: str
) -> None:
    """A's ids get the expected refusal, exactly the one ids that exist nowhere get (so the
    answer cannot tell that A's resource exists), with nothing of A in it or changed in A."""
    before = await tenant_rows(db, w.a.workspace_id)
    payload = probe.payload(w)
    where = f"{where} [{probe.name}] {payload}"
    status, raw = await send(payload)
    _refused(status, raw, expected, w, payload, where)
    ghost = _ghost(payload, w)
    ghost_status, ghost_raw = await send(ghost)
    assert (status, _normalized(raw, payload)) == (ghost_status, _normalized(ghost_raw, ghost)), (
        f"{where}: answered unlike for unknown ids: {raw} / {ghost_raw}"
    )
    assert await tenant_rows(db, w.a.workspace_id) == before, f"{where} changed A"


@pytest.mark.parametrize("route", PROBED, ids=_route_id)
async def test_a_foreign_resource_is_not_found_over_http(
    route: RouteSpec, api: ClientSession, world: World, db: AsyncEngine
) -> None:
    async def send(payload: dict[str, Any]) -> tuple[int, str]:
        return await _http(api, route, payload, world)

    for probe in PROBES.get(route.command_type) or pytest.fail(f"no probe for {_route_id(route)}"):
        expected = (probe.status, probe.code)
        await _probe(send, probe, expected, world, db, f"{_route_id(route)} as B")
        TALLY.add("cross-tenant over HTTP", _route_id(route), probe.name)


def _integration_caller(w: World) -> Caller:
    return Caller(w.b.user_id, w.b.workspace_id, "integration", w.b_data["token"]["token"])


def _expected(
    probe: Probe, route: RouteSpec, auth: dict[str, str], integration: bool
) -> tuple[int, str]:
    if integration and auth[route.command_type] == "owner":
        return 403, "FORBIDDEN"  # the role decides, before any lookup: it tells nothing about A
    return probe.status, probe.code


@pytest.mark.parametrize("credential", ["access token", "integration token"])
@pytest.mark.parametrize("route", PROBED, ids=_route_id)
async def test_a_foreign_resource_is_not_found_over_kafka(
    route: RouteSpec,
    credential: str,
    bus: BusClient,
    settings: Settings,
    world: World,
    db: AsyncEngine,
    handler_auth: dict[str, str],
) -> None:
    integration = credential == "integration token"
    caller = _integration_caller(world) if integration else world.b.caller

    async def send(payload: dict[str, Any]) -> tuple[int, str]:
        return await _kafka(bus, settings, route, payload, caller)

    for probe in PROBES.get(route.command_type) or pytest.fail(f"no probe for {_route_id(route)}"):
        expected = _expected(probe, route, handler_auth, integration)
        await _probe(
            send, probe, expected, world, db, f"{route.command_type} with B's {credential}"
        )
        TALLY.add(f"cross-tenant over Kafka ({credential})", _route_id(route), probe.name)


async def _kafka(
    bus: BusClient, settings: Settings, route: RouteSpec, payload: dict[str, Any], caller: Caller
) -> tuple[int, str]:
    reply = await send_command(bus, settings, route.command_type, payload, caller)
    return reply.status, reply.model_dump_json()


@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
async def test_a_forged_workspace_id_in_a_published_payload_is_refused(
    route: RouteSpec, bus: BusClient, settings: Settings, world: World, db: AsyncEngine
) -> None:
    before = await tenant_rows(db, world.a.workspace_id)
    payload = {**payload_of(route.command_type, world), "workspace_id": world.ids["workspace_id"]}
    status, raw = await _kafka(bus, settings, route, payload, world.b.caller)
    where = f"{route.command_type} with B's token and A's workspace_id {payload}"
    if "workspace_id" in PAYLOADS[route.command_type].model_fields:  # the signed webhook's
        probe = PROBES[route.command_type][0]
        _refused(status, raw, (probe.status, probe.code), world, payload, where)
    else:
        _refused(status, raw, (422, "VALIDATION_ERROR"), world, payload, where)
        fields = json.loads(raw)["error"]["details"]["fields"]
        assert "workspace_id" in {f["field"] for f in fields}, where
    assert await tenant_rows(db, world.a.workspace_id) == before, f"{where} changed A"
    TALLY.add("forged workspace_id over Kafka", _route_id(route), "A's workspace_id")


@pytest.mark.parametrize("route", LISTED, ids=_route_id)
async def test_lists_show_the_caller_only_its_own_things(
    route: RouteSpec, api: ClientSession, bus: BusClient, settings: Settings, world: World
) -> None:
    for probe in LISTS[route.command_type]:
        query = probe.query(world)
        where = f"{_route_id(route)} [{probe.name}] as B {query}"
        path, kwargs = _split(route, query)
        response = await api.request(route.method, path, headers=world.b.headers, **kwargs)
        raw = await response.text()
        assert response.status == 200, f"{where}: {raw}"
        probe.check(world, json.loads(raw))
        assert leaks(raw, world.secrets, sent=json.dumps(query)) == [], f"{where}: {raw}"
        reply = await send_command(bus, settings, route.command_type, query, world.b.caller)
        assert reply.status == 200, f"{where} over Kafka: {reply}"
        probe.check(world, reply.body)
        assert leaks(reply.model_dump_json(), world.secrets, sent=json.dumps(query)) == [], where
        TALLY.add("lists over HTTP and Kafka", _route_id(route), probe.name)
