"""What the fuzzing found, pinned: one fixed request per finding, and what makes a generated case
show the same cause.

`test_fuzz.py` replays each pinned request (an `xfail(strict=True)` test while the finding is in
`OPEN`), and while it is open the fuzzer counts a generated failure of that kind and cause as
known instead of failing on it. A fix: remove the name from `OPEN`; the pinned request stays as
a regression test and the fuzzer fails on the kind again.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contracts.commands.common import numbers_in
from tests.support.auth import new_email

Request = Callable[[dict[str, Any]], dict[str, Any]]  # real ids and owner -> Case(...) kwargs
SERVER_ERROR = "Server error | 500"
UNDOCUMENTED_401 = "Undocumented status code | 401"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [*_strings(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def has_nul(case: Any) -> bool:
    return any("\x00" in s for s in _strings(case.body) + _strings(case.query))


def has_huge_number(case: Any) -> bool:
    return any(abs(n) >= 2**63 for n in numbers_in(case.body))


def always(_: Any) -> bool:
    return True


@dataclass(frozen=True)
class Finding:
    method: str
    path: str
    failure: str  # "<check> | <status>", as the fuzzer names its failures
    reason: str
    request: Request
    cause: Callable[[Any], bool] = always


def _nul(where: str) -> str:
    return (
        f"a NUL character in {where} passes the gateway's validation; Postgres refuses it, the "
        "command is retried and dead-lettered: 500 INTERNAL instead of 422 VALIDATION_ERROR"
    )


def _undocumented_401(answer: str) -> str:
    return (
        f"/openapi.json omits 401 on this anonymous route, which answers it ({answer}): "
        "gateway/openapi.py documents 401 only on routes with auth=True"
    )


def _register(**fields: str) -> Request:
    return lambda r: {"body": {"email": new_email(), "password": "long enough secret", **fields}}


THREAD = "/v1/conversations/threads"
FINDINGS: dict[str, Finding] = {
    "register: NUL in display_name": Finding(
        "POST",
        "/v1/auth/register",
        SERVER_ERROR,
        _nul("display_name"),
        _register(display_name="a\x00b"),
        has_nul,
    ),
    "register: NUL in workspace_name": Finding(
        "POST",
        "/v1/auth/register",
        SERVER_ERROR,
        _nul("workspace_name"),
        _register(workspace_name="a\x00b"),
        has_nul,
    ),
    "integration token: NUL in name": Finding(
        "POST",
        "/v1/auth/integration-tokens",
        SERVER_ERROR,
        _nul("name"),
        lambda r: {"body": {"name": "a\x00b"}},
        has_nul,
    ),
    "audit: NUL in resource_type": Finding(
        "GET",
        "/v1/audit",
        SERVER_ERROR,
        _nul("the resource_type query"),
        lambda r: {"query": {"resource_type": "a\x00b"}},
        has_nul,
    ),
    "audit: NUL in resource_id": Finding(
        "GET",
        "/v1/audit",
        SERVER_ERROR,
        _nul("the resource_id query"),
        lambda r: {"query": {"resource_id": "a\x00b"}},
        has_nul,
    ),
    "thread: NUL in title": Finding(
        "POST",
        THREAD,
        SERVER_ERROR,
        _nul("title"),
        lambda r: {"body": {"bot_id": r["bot_id"], "title": "a\x00b"}},
        has_nul,
    ),
    "turn: NUL in content": Finding(
        "POST",
        f"{THREAD}/{{thread_id}}/turn",
        SERVER_ERROR,
        _nul("content"),
        lambda r: {"path_parameters": {"thread_id": r["thread_id"]}, "body": {"content": "a\x00b"}},
        has_nul,
    ),
    "instruction: a config number beyond 64-bit integers": Finding(
        "PUT",
        "/v1/bots/{bot_id}/instruction",
        SERVER_ERROR,
        "a config number of 2**63 or more (e.g. 1e20) is written; JSONB gives it back as a "
        "Python int, which orjson cannot encode: TypeError, dead-lettered, 500 INTERNAL",
        lambda r: {
            "path_parameters": {"bot_id": r["bot_id"]},
            "body": {"instruction": "x", "config": {"n": 1e20}},
        },
        has_huge_number,
    ),
    "login: 401 undocumented": Finding(
        "POST",
        "/v1/auth/login",
        UNDOCUMENTED_401,
        _undocumented_401("INVALID_CREDENTIALS"),
        lambda r: {"body": {"email": r["email"], "password": "not the password"}},
    ),
    "refresh: 401 undocumented": Finding(
        "POST",
        "/v1/auth/refresh",
        UNDOCUMENTED_401,
        _undocumented_401("an unknown token"),
        lambda r: {"body": {"refresh_token": f"sbr_{uuid.uuid4().hex}"}},
    ),
    "webhook: 401 undocumented": Finding(
        "POST",
        "/v1/webhooks/{workspace_id}/{source}",
        UNDOCUMENTED_401,
        _undocumented_401("a bad signature"),
        lambda r: {
            "path_parameters": {"workspace_id": str(uuid.uuid4()), "source": "slack"},
            "headers": {"X-Event-Id": "1", "X-Signature": "sha256=00"},
            "body": {},
        },
    ),
}
# Not fixed yet; a fixed one leaves this set and stays a regression test. All fixed so far:
# NUL characters (refused by every payload), huge config numbers (refused by the bots
# payload), undocumented 401/403 (RouteSpec.errors).
OPEN: set[str] = set()


def known(operation: str, failure_key: str, case: Any) -> str | None:
    """The open finding a generated failure is an instance of, if any."""
    for name in sorted(OPEN):
        finding = FINDINGS[name]
        same_operation = operation == f"{finding.method} {finding.path}"
        if same_operation and finding.failure in failure_key and finding.cause(case):
            return name
    return None
