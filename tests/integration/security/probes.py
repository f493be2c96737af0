"""What the cross-tenant suite tries on each route, keyed by command type (one per route).

Every route of `ROUTES` is in exactly one table (`test_every_route_has_a_cross_tenant_plan`
enforces it, so a new route cannot be forgotten):
- `PROBES`: the route names a resource (a path parameter, or an id in its body): B sends A's
  ids; the answer must be `status`/`code` (404 NOT_FOUND, but a signed webhook is 401), exactly
  as for ids that exist nowhere, with nothing of A in it and nothing changed in A.
- `LISTS`: the route lists the caller's things (or who the caller is): B sees only its own.
- `OWN_ONLY`: the route acts on the caller alone and can name nothing of another workspace.

A probe's `payload` is the command payload (path and query parameters and body by name), as
an integration publishes it; the HTTP suite splits it back into path, query and body.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from handlers.webhooks.signature import sign
from tests.integration.security.world import World

Payload = Callable[[World], dict[str, Any]]
Check = Callable[[World, dict[str, Any]], None]


@dataclass(frozen=True)
class Probe:
    name: str
    payload: Payload
    status: int = 404
    code: str = "NOT_FOUND"


def _signed_by(key: Callable[[World], str]) -> Payload:
    """A webhook for A's workspace and source, signed with `key` (not A's secret)."""

    def payload(w: World) -> dict[str, Any]:
        body = '{"event": "probe"}'
        return {
            "workspace_id": w.ids["workspace_id"],
            "source": w.ids["source"],
            "event_id": uuid.uuid4().hex,
            "signature": sign(key(w), body.encode()) if key(w) else "",
            "body": body,
        }

    return payload


def _ids(*names: str, **extra: Any) -> Payload:
    return lambda w: {**{n: w.ids[n] for n in names}, **extra}


PROBES: dict[str, list[Probe]] = {
    "bots.get": [Probe("A's bot", _ids("bot_id"))],
    "bots.update": [
        Probe("rename A's bot", _ids("bot_id", name="renamed by B", description="by B"))
    ],
    "bots.archive": [Probe("archive A's bot", _ids("bot_id"))],
    "bots.set_instruction": [
        Probe("new version of A's bot", _ids("bot_id", instruction="B's", config={"b": 1}))
    ],
    "bots.list_versions": [Probe("A's versions", _ids("bot_id"))],
    "bots.get_version": [
        Probe("A's version 1", _ids("bot_id", number=1)),
        Probe("A's version 2", _ids("bot_id", number=2)),
    ],
    "conversations.create_thread": [Probe("thread on A's bot", _ids("bot_id", title="B's thread"))],
    "conversations.get_thread": [Probe("A's thread", _ids("thread_id"))],
    "conversations.list_messages": [Probe("A's messages", _ids("thread_id"))],
    "conversations.turn": [Probe("turn in A's thread", _ids("thread_id", content="B says hi"))],
    "auth.revoke_integration_token": [Probe("revoke A's token", _ids("token_id"))],
    "webhooks.delete_secret": [Probe("revoke A's secret", _ids("secret_id"))],
    "webhooks.receive": [
        Probe(
            "signed with B's secret of that source",
            _signed_by(lambda w: str(w.b_data["secret"]["secret"])),
            401,
            "UNAUTHORIZED",
        ),
        Probe("unsigned", _signed_by(lambda w: ""), 401, "UNAUTHORIZED"),
    ],
}


def _ids_of(items: list[dict[str, Any]]) -> set[str]:
    return {item["id"] for item in items}


def _only(key: str) -> Check:
    """B's own `key` resource is listed, and nothing of A's (of this test or any before)."""

    def check(w: World, body: dict[str, Any]) -> None:
        assert w.b_data[key]["id"] in _ids_of(body["items"]), body
        assert not _ids_of(body["items"]) & w.a_ids, body

    return check


def _empty(_: World, body: dict[str, Any]) -> None:
    assert body["items"] == [], body


def _b_audit(w: World, body: dict[str, Any]) -> None:
    assert {e["actor_user_id"] for e in body["items"]} <= {str(w.b.user_id)}, body


def _b_usage(w: World, body: dict[str, Any]) -> None:
    assert not {item["bot_id"] for item in body["items"]} & w.a_ids, body


def _window(**extra: Any) -> Payload:
    """Usage from yesterday to the day after tomorrow, in daily buckets (UTC)."""
    today = datetime.now(UTC).date()
    span = {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=2))}
    return lambda w: {**span, "bucket": "day", **{k: w.ids[v] for k, v in extra.items()}}


def _b_itself(w: World, body: dict[str, Any]) -> None:
    assert body["user"]["id"] == str(w.b.user_id), body
    assert body["workspace"]["id"] == str(w.b.workspace_id), body


@dataclass(frozen=True)
class ListProbe:
    name: str
    query: Payload
    check: Check


LISTS: dict[str, list[ListProbe]] = {
    "auth.me": [ListProbe("who am I", lambda w: {}, _b_itself)],
    "bots.list": [ListProbe("all bots", lambda w: {"limit": 100}, _only("bot"))],
    "conversations.list_threads": [
        ListProbe("all threads", lambda w: {"limit": 100}, _only("thread")),
        ListProbe("threads of A's bot", _ids("bot_id"), _empty),
    ],
    "audit.list": [
        ListProbe("all entries", lambda w: {"limit": 100}, _b_audit),
        ListProbe("after A's cursor", lambda w: {"limit": 100, "cursor": w.a_cursor}, _b_audit),
        ListProbe(
            "entries of A's bot",
            lambda w: {"resource_type": "bot", "resource_id": w.ids["bot_id"]},
            _empty,
        ),
        ListProbe(
            "entries of A's bot, any type", lambda w: {"resource_id": w.ids["bot_id"]}, _empty
        ),
        ListProbe(
            "entries of A's workspace",
            lambda w: {"resource_type": "workspace", "resource_id": w.ids["workspace_id"]},
            _empty,
        ),
    ],
    "auth.list_integration_tokens": [
        ListProbe("all tokens", lambda w: {"limit": 100}, _only("token"))
    ],
    "webhooks.list_secrets": [ListProbe("all secrets", lambda w: {}, _only("secret"))],
    "analytics.usage": [
        ListProbe("usage of the workspace", _window(), _b_usage),
        ListProbe("usage of A's bot", _window(bot_id="bot_id"), _empty),
    ],
}

OWN_ONLY: dict[str, Payload] = {
    # Anonymous: the credentials are the whole request; there is no tenant to name.
    "auth.register": lambda w: {"email": f"{uuid.uuid4().hex}@example.com", "password": "x" * 12},
    "auth.login": lambda w: {"email": w.b.account["email"], "password": w.b.account["password"]},
    "auth.refresh": lambda w: {"refresh_token": w.b.account["refresh_token"]},
    "auth.logout": lambda w: {"refresh_token": w.b.account["refresh_token"]},
    # Creations land in the caller's workspace; their bodies reference nothing else.
    "bots.create": lambda w: {"name": "made by B"},
    "auth.create_integration_token": lambda w: {"name": "made by B"},
    "webhooks.create_secret": lambda w: {"source": "made-by-b"},
}


def payload_of(command_type: str, world: World) -> dict[str, Any]:
    """A valid payload of any route, naming A's resources where the route names one."""
    if command_type in PROBES:
        return PROBES[command_type][0].payload(world)
    if command_type in LISTS:
        return LISTS[command_type][0].query(world)
    return OWN_ONLY[command_type](world)
