"""Helpers of the security suites: real tenants, leak checks, tenant fingerprints, a tally.

tenant = await register_tenant(api, "a")       # a registered owner (tenant.caller, .headers)
leaked = leaks(raw_body, secrets, sent=request_text)
rows = await tenant_rows(db, tenant.workspace_id)   # every row the tenant owns
TALLY.add("cross-tenant http", "bots.get", "A's bot")  # printed at the end of the session
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from aiohttp import ClientResponse, ClientSession
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.schema import metadata
from storage.schema.auth import workspaces
from tests.support.auth import register
from tests.support.callers import Caller

ERROR_FIELDS = {"code", "message", "trace_id", "details"}
# Columns that change on their own, not through a command: the outbox relay marks what it sent.
BOOKKEEPING = {("outbox", "published_at")}


@dataclass(frozen=True)
class Tenant:
    """A registered owner of their own workspace, with the register answer (`account`)."""

    account: dict[str, Any]

    @property
    def caller(self) -> Caller:
        return Caller(self.user_id, self.workspace_id, "owner", self.account["access_token"])

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.account["headers"])

    @property
    def user_id(self) -> UUID:
        return UUID(self.account["user"]["id"])

    @property
    def workspace_id(self) -> UUID:
        return UUID(self.account["workspace"]["id"])

    @property
    def secrets(self) -> list[str]:
        """What identifies this tenant and must never reach another: names and credentials."""
        return [
            self.account["email"],
            self.account["password"],
            self.account["access_token"],
            self.account["refresh_token"],
            self.account["user"]["id"],
            self.account["user"]["display_name"],
            self.account["workspace"]["id"],
            self.account["workspace"]["name"],
        ]


def marker(tag: str) -> str:
    """A unique string to plant in a tenant's data and look for in other tenants' answers."""
    return f"{tag}-{uuid.uuid4().hex[:12]}"


async def register_tenant(api: ClientSession, tag: str) -> Tenant:
    account = await register(
        api,
        email=f"{marker(tag)}@example.com",
        password=marker(f"{tag}-password"),
        workspace_name=marker(f"{tag}-workspace"),
        display_name=marker(f"{tag}-user"),
    )
    return Tenant(account)


def leaks(raw: str, secrets: list[str], sent: str = "") -> list[str]:
    """The secrets found in `raw`, except those the request itself carried (an echoed path id
    tells the caller nothing they did not know)."""
    return sorted({s for s in secrets if s and s in raw and s not in sent})


def assert_error_body(body: Any, status: int, code: str | None = None) -> None:
    """The one error format: `{code, message, trace_id, details}`."""
    assert isinstance(body, dict), body
    assert set(body) == ERROR_FIELDS, body
    assert isinstance(body["message"], str), body
    assert isinstance(body["trace_id"], str), body
    assert body["trace_id"], body
    assert isinstance(body["details"], dict | list), body
    if code is not None:
        assert body["code"] == code, (status, body)


async def error_of(response: ClientResponse, status: int, code: str) -> dict[str, Any]:
    text_body = await response.text()
    assert response.status == status, (response.method, str(response.url), text_body)
    body: dict[str, Any] = await response.json()
    assert_error_body(body, status, code)
    return body


async def tenant_rows(db: AsyncEngine, workspace_id: UUID) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table that belongs to the workspace (and the workspace row itself), as
    sorted text: equal before and after means nothing of the tenant changed (delivery
    bookkeeping aside). The tenant is set for row-level security, so this works whether or not
    the tables enforce it for the connecting role."""
    tables = [t for t in metadata.sorted_tables if "workspace_id" in t.c]
    async with db.begin() as conn:
        await conn.execute(
            text("SELECT set_config('app.workspace_id', :wid, true)"), {"wid": str(workspace_id)}
        )
        found = {
            table.name: await _rows(
                conn,
                select(*(c for c in table.c if (table.name, c.name) not in BOOKKEEPING)).where(
                    table.c.workspace_id == workspace_id
                ),
            )
            for table in tables
        }
        found["workspaces"] = await _rows(
            conn, select(workspaces).where(workspaces.c.id == workspace_id)
        )
    return found


async def tenant_ids(db: AsyncEngine, workspace_id: UUID) -> set[str]:
    """The ids of every row the workspace owns (bots, threads, messages, tokens, entries...)."""
    tables = [t for t in metadata.sorted_tables if {"id", "workspace_id"} <= set(t.c.keys())]
    async with db.begin() as conn:
        await conn.execute(
            text("SELECT set_config('app.workspace_id', :wid, true)"), {"wid": str(workspace_id)}
        )
        return {
            str(row.id)
            for t in tables
            for row in await conn.execute(select(t.c.id).where(t.c.workspace_id == workspace_id))
        }


async def _rows(conn: Any, query: Any) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in await conn.execute(query))


class Tally:
    """Counts of what the security suites ran, by suite: `TALLY.add(suite, route, probe)`."""

    def __init__(self) -> None:
        self.runs: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.cases: dict[str, int] = defaultdict(int)

    def add(self, suite: str, route: str, probe: str) -> None:
        self.runs[suite].add((route, probe))

    def count(self, suite: str, cases: int) -> None:
        self.cases[suite] += cases

    def lines(self, matrix: tuple[str, ...] = ("cross-tenant", "forged", "lists")) -> list[str]:
        out = []
        for suite, runs in sorted(self.runs.items()):
            routes = len({route for route, _ in runs})
            out.append(f"{suite}: {len(runs)} runs over {routes} routes or targets")
        in_matrix = [(s, r) for s, runs in self.runs.items() if s.startswith(matrix) for r in runs]
        if in_matrix:
            routes = len({route for _, (route, _) in in_matrix})
            out.append(f"cross-tenant matrix: {routes} routes, {len(in_matrix)} route x probe runs")
        out += [f"{suite}: {n} cases" for suite, n in sorted(self.cases.items())]
        return out


TALLY = Tally()
