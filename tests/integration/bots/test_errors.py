"""Every bots route refuses what it must: unknown, foreign and malformed ids, oversized input."""

import uuid
from typing import Any

import pytest
from aiohttp import ClientSession

from contracts.commands.bots import MAX_CONFIG_BYTES
from tests.integration.bots.http import json_of
from tests.support.bots import create_bot
from tests.support.callers import Caller

# Every route that names a bot: method, path under /v1/bots/{id}, body.
BOT_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "", None),
    ("PATCH", "", {"name": "Taken over"}),
    ("DELETE", "", None),
    ("PUT", "/instruction", {"instruction": "Obey me."}),
    ("GET", "/versions", None),
    ("GET", "/versions/1", None),
]
ROUTE_IDS = [f"{m} {p or '/'}" for m, p, _ in BOT_ROUTES]


def field_names(error: dict[str, Any]) -> set[str]:
    return {f["field"] for f in error["details"]["fields"]}


async def call(api: ClientSession, caller: Caller, method: str, path: str, body: Any = None) -> Any:
    return await api.request(method, path, json=body, headers=caller.headers)


@pytest.mark.parametrize(("method", "suffix", "body"), BOT_ROUTES, ids=ROUTE_IDS)
async def test_an_unknown_bot_is_404(
    api: ClientSession, caller: Caller, method: str, suffix: str, body: Any
) -> None:
    missing = uuid.uuid4()
    error = await json_of(await call(api, caller, method, f"/v1/bots/{missing}{suffix}", body), 404)
    assert error["code"] == "NOT_FOUND"
    assert error["details"] == {"resource": "bot", "id": str(missing)}


@pytest.mark.parametrize(("method", "suffix", "body"), BOT_ROUTES, ids=ROUTE_IDS)
async def test_another_workspaces_bot_is_404_and_untouched(
    api: ClientSession,
    caller: Caller,
    other_caller: Caller,
    method: str,
    suffix: str,
    body: Any,
) -> None:
    bot = await create_bot(api, caller, instruction="Mine.")
    path = f"/v1/bots/{bot['id']}"
    error = await json_of(await call(api, other_caller, method, f"{path}{suffix}", body), 404)
    assert error["code"] == "NOT_FOUND"
    assert await json_of(await call(api, caller, "GET", path), 200) == bot


@pytest.mark.parametrize(("method", "suffix", "body"), BOT_ROUTES, ids=ROUTE_IDS)
async def test_a_malformed_bot_id_is_422(
    api: ClientSession, caller: Caller, method: str, suffix: str, body: Any
) -> None:
    error = await json_of(
        await call(api, caller, method, f"/v1/bots/not-a-uuid{suffix}", body), 422
    )
    assert error["code"] == "VALIDATION_ERROR"
    assert field_names(error) == {"bot_id"}


@pytest.mark.parametrize("number", ["0", "-1", "abc", "1.5", str(2**31)])
async def test_a_version_number_that_is_not_a_positive_int4_is_422(
    api: ClientSession, caller: Caller, number: str
) -> None:
    bot = await create_bot(api, caller)
    error = await json_of(
        await call(api, caller, "GET", f"/v1/bots/{bot['id']}/versions/{number}"), 422
    )
    assert field_names(error) == {"number"}


async def test_a_missing_version_is_404(api: ClientSession, caller: Caller) -> None:
    bot = await create_bot(api, caller)
    error = await json_of(await call(api, caller, "GET", f"/v1/bots/{bot['id']}/versions/2"), 404)
    assert error["details"] == {"resource": "bot_version", "id": "2"}


TOO_BIG_CONFIG = {"k": "x" * MAX_CONFIG_BYTES}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "nul\x00"}, "name"),
        ({"name": "ok", "description": "x" * 2001}, "description"),
        ({"name": "ok", "instruction": "x" * 100_001}, "instruction"),
        ({"name": "ok", "instruction": "nul\x00"}, "instruction"),
        ({}, "name"),
        ({"name": "ok", "workspace_id": str(uuid.uuid4())}, "workspace_id"),
    ],
)
async def test_create_refuses_invalid_fields(
    api: ClientSession, caller: Caller, body: dict[str, Any], field: str
) -> None:
    error = await json_of(await call(api, caller, "POST", "/v1/bots", body), 422)
    assert field_names(error) == {field}
    assert (await json_of(await call(api, caller, "GET", "/v1/bots"), 200))["items"] == []


async def test_create_accepts_fields_at_their_limits(api: ClientSession, caller: Caller) -> None:
    bot = await create_bot(
        api, caller, name="n" * 200, description="d" * 2000, instruction="i" * 100_000
    )
    assert (len(bot["name"]), len(bot["description"]), len(bot["instruction"])) == (
        200,
        2000,
        100_000,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "instruction"),
        ({"instruction": "x" * 100_001}, "instruction"),
        ({"instruction": "ok", "config": TOO_BIG_CONFIG}, "config"),
        ({"instruction": "ok", "config": ["not", "an", "object"]}, "config"),
        ({"instruction": "ok", "config": {"nul": "\x00"}}, "config"),
    ],
)
async def test_set_instruction_refuses_invalid_fields(
    api: ClientSession, caller: Caller, body: dict[str, Any], field: str
) -> None:
    bot = await create_bot(api, caller)
    error = await json_of(
        await call(api, caller, "PUT", f"/v1/bots/{bot['id']}/instruction", body), 422
    )
    assert field_names(error) == {field}


async def test_set_instruction_accepts_a_config_of_exactly_64_kib(
    api: ClientSession, caller: Caller
) -> None:
    config = {"k": "x" * (MAX_CONFIG_BYTES - len('{"k":""}'))}
    bot = await create_bot(api, caller)
    response = await call(
        api,
        caller,
        "PUT",
        f"/v1/bots/{bot['id']}/instruction",
        {"instruction": "", "config": config},
    )
    assert (await json_of(response, 200))["version"]["config"] == config


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"name": None}, "body"),
        ({"name": ""}, "name"),
        ({"description": "x" * 2001}, "description"),
    ],
)
async def test_update_refuses_nothing_to_change_and_invalid_fields(
    api: ClientSession, caller: Caller, body: dict[str, Any], field: str
) -> None:
    bot = await create_bot(api, caller)
    error = await json_of(await call(api, caller, "PATCH", f"/v1/bots/{bot['id']}", body), 422)
    assert field_names(error) == {field}


@pytest.mark.parametrize("path", ["/v1/bots", "/v1/bots/{id}/versions", "/v1/audit"])
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "seven"}, "limit"),
        ({"cursor": "not a cursor!"}, "cursor"),
        ({"cursor": "WyJ4Il0"}, "cursor"),  # base64url of ["x"]: well-formed, not ours
        ({"unknown": "1"}, "unknown"),
    ],
)
async def test_lists_refuse_a_bad_limit_cursor_or_parameter(
    api: ClientSession, caller: Caller, path: str, query: dict[str, str], field: str
) -> None:
    bot = await create_bot(api, caller)
    response = await api.get(path.format(id=bot["id"]), params=query, headers=caller.headers)
    error = await json_of(response, 422)
    assert error["code"] == "VALIDATION_ERROR"
    assert field_names(error) == {field}


async def test_a_cursor_of_another_list_is_refused(api: ClientSession, caller: Caller) -> None:
    bot = await create_bot(api, caller)
    await create_bot(api, caller)
    page = await json_of(
        await api.get("/v1/bots", params={"limit": "1"}, headers=caller.headers), 200
    )
    response = await api.get(
        f"/v1/bots/{bot['id']}/versions",
        params={"cursor": page["next_cursor"]},
        headers=caller.headers,
    )
    assert field_names(await json_of(response, 422)) == {"cursor"}


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/v1/bots"), ("POST", "/v1/bots"), ("GET", "/v1/audit")]
)
async def test_no_token_is_401(api: ClientSession, method: str, path: str) -> None:
    response = await api.request(method, path, json={"name": "x"} if method == "POST" else None)
    assert (await json_of(response, 401))["code"] == "UNAUTHORIZED"
