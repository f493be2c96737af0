"""One audit entry per configuration change, with its operation, trace, actor, before and after."""

import uuid
from datetime import datetime
from typing import Any
from unittest.mock import ANY

from aiohttp import ClientSession
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.schema.spine import audit_log
from tests.integration.bots.http import audit_of, json_of, walk
from tests.support.bots import create_bot
from tests.support.callers import Caller

AUDIT_FIELDS = {
    "id",
    "action",
    "actor_user_id",
    "resource_type",
    "resource_id",
    "operation_id",
    "trace_id",
    "changes",
    "created_at",
}


def traced(caller: Caller, name: str) -> dict[str, str]:
    """Headers naming the operation and trace, unique per test run."""
    run = uuid.uuid4().hex[:8]
    return {
        **caller.headers,
        "X-Operation-Id": f"{name}-op-{run}",
        "X-Trace-Id": f"{name}-trace-{run}",
    }


async def test_every_change_writes_exactly_one_entry_with_its_operation_and_trace(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    sent = {name: traced(caller, name) for name in ("create", "update", "put", "delete")}
    bot = await json_of(
        await api.post(
            "/v1/bots", json={"name": "Audited", "instruction": "v1"}, headers=sent["create"]
        ),
        201,
    )
    path = f"/v1/bots/{bot['id']}"
    await json_of(
        await api.patch(path, json={"name": "Renamed", "description": ""}, headers=sent["update"]),
        200,
    )
    await json_of(
        await api.put(f"{path}/instruction", json={"instruction": "v2"}, headers=sent["put"]), 200
    )
    assert (await api.delete(path, headers=sent["delete"])).status == 204

    entries = await audit_of(api, caller, bot["id"])
    expected: list[tuple[str, str, dict[str, Any]]] = [
        (
            "delete",
            "bot.archived",
            {"before": {"archived_at": None}, "after": {"archived_at": ANY}},
        ),
        (
            "put",
            "bot.instruction_updated",
            {"before": {"current_version": 1}, "after": {"current_version": 2}},
        ),
        ("update", "bot.updated", {"before": {"name": "Audited"}, "after": {"name": "Renamed"}}),
        (
            "create",
            "bot.created",
            {"after": {"name": "Audited", "description": "", "current_version": 1}},
        ),
    ]
    assert len(entries) == len(expected)
    for entry, (request, action, changes) in zip(entries, expected, strict=True):
        assert set(entry) == AUDIT_FIELDS
        assert entry["action"] == action
        assert (entry["resource_type"], entry["resource_id"]) == ("bot", bot["id"])
        assert entry["actor_user_id"] == str(caller.user_id)
        assert entry["operation_id"] == sent[request]["X-Operation-Id"]
        assert entry["trace_id"] == sent[request]["X-Trace-Id"]
        assert entry["changes"] == changes
    archived_at = datetime.fromisoformat(entries[0]["changes"]["after"]["archived_at"])
    assert archived_at >= datetime.fromisoformat(bot["created_at"])

    async with db.connect() as conn:
        stored = await conn.scalar(
            select(func.count()).select_from(audit_log).where(audit_log.c.resource_id == bot["id"])
        )
    assert stored == len(expected)


async def test_the_audit_log_shows_only_the_callers_workspace_newest_first(
    api: ClientSession, caller: Caller, other_caller: Caller
) -> None:
    made = [await create_bot(api, caller, name=f"b{i}") for i in range(3)]
    theirs = await create_bot(api, other_caller)
    pages = await walk(api, caller, "/v1/audit", 1)
    assert [len(p) for p in pages] == [1, 1, 1]
    assert [p[0]["resource_id"] for p in pages] == [b["id"] for b in reversed(made)]
    others = await json_of(await api.get("/v1/audit", headers=other_caller.headers), 200)
    assert [e["resource_id"] for e in others["items"]] == [theirs["id"]]


async def test_the_audit_log_filters_by_resource(api: ClientSession, caller: Caller) -> None:
    first, second = await create_bot(api, caller), await create_bot(api, caller)
    only_first = await audit_of(api, caller, first["id"])
    assert [e["resource_id"] for e in only_first] == [first["id"]]
    by_type = await json_of(
        await api.get("/v1/audit", params={"resource_type": "bot"}, headers=caller.headers), 200
    )
    assert {e["resource_id"] for e in by_type["items"]} == {first["id"], second["id"]}
    none = await json_of(
        await api.get("/v1/audit", params={"resource_type": "thread"}, headers=caller.headers), 200
    )
    assert none == {"items": [], "next_cursor": None}
