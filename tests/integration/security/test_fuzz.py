"""Property-based fuzzing of every operation of the gateway's own `/openapi.json` (schemathesis),
and the findings it made, pinned as fixed requests.

Every answer must be no 5xx, conform to the document (status, content type, body schema),
refuse invalid input with a 4xx, enforce its declared auth, and every 4xx must be the API's
`{code, message, trace_id, details}`. The plans are in `fuzzing.py`, the findings in
`findings.py`.

The gateway runs on this test's event loop, so schemathesis (blocking `requests`) runs in a
worker thread while the loop serves it.
"""

import asyncio
from typing import Any

import pytest
import schemathesis
from aiohttp import ClientSession

from gateway.openapi import SYSTEM_PATHS, build_openapi
from gateway.routes import ROUTES
from tests.integration.security.findings import FINDINGS, OPEN, Finding
from tests.integration.security.fuzzing import (
    CHECKS,
    CONFIG,
    INVALID,
    VALID_RANDOM,
    Target,
    call_and_check,
    describe,
    fuzz,
    headers_for,
    inputs,
)
from tests.support.security import TALLY, register_tenant

DOCUMENT = build_openapi(ROUTES, SYSTEM_PATHS)
OPERATIONS = [(m.upper(), p) for p, methods in DOCUMENT["paths"].items() for m in methods]
# An operation with any input gets at least this many cases (one without input: a handful).
MIN_CASES = VALID_RANDOM + INVALID - 5


class OpenFinding(AssertionError):
    """A pinned request fails exactly as its open finding says (see `findings.OPEN`)."""


@pytest.fixture(scope="module")
async def target(gateway_url: str) -> Target:
    async with ClientSession(base_url=gateway_url) as api:
        document = await (await api.get("/openapi.json")).json()
        owner = await register_tenant(api, "fuzz")
    return Target(gateway_url, schemathesis.openapi.from_dict(document, config=CONFIG), owner)


@pytest.fixture
async def real(gateway_url: str, target: Target) -> dict[str, Any]:
    """Fresh resources of the fuzzing owner, so valid requests with these ids can succeed."""
    async with ClientSession(base_url=gateway_url, headers=target.owner.headers) as api:

        async def post(path: str, body: dict[str, Any]) -> Any:
            response = await api.post(path, json=body)
            assert response.status == 201, await response.text()
            return await response.json()

        bot = await post("/v1/bots", {"name": "fuzzed", "instruction": "v1"})
        thread = await post("/v1/conversations/threads", {"bot_id": bot["id"]})
        token = await post("/v1/auth/integration-tokens", {"name": "fuzzed"})
        secret = await post("/v1/webhooks/secrets", {"source": "fuzzed"})
    return {
        "bot_id": bot["id"],
        "number": 1,
        "thread_id": thread["id"],
        "token_id": token["id"],
        "secret_id": secret["id"],
        "source": "fuzzed",
    }


def test_the_plan_covers_every_documented_operation_with_enough_cases() -> None:
    assert len(OPERATIONS) == len(ROUTES) + sum(len(m) for m in SYSTEM_PATHS.values())
    assert len(ROUTES) * MIN_CASES >= 1000
    assert all((f.method, f.path) in OPERATIONS for f in FINDINGS.values())


async def test_the_gateway_serves_the_document_fuzzed_here(target: Target) -> None:
    served = [(r.ok().method.upper(), r.ok().path) for r in target.schema.get_all_operations()]
    assert sorted(served) == sorted(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
async def test_fuzz_operation(method: str, path: str, target: Target, real: dict[str, Any]) -> None:
    outcome = await asyncio.to_thread(fuzz, target, method, path, real)
    TALLY.count("fuzzing (schemathesis)", outcome.cases)
    TALLY.add("fuzzing (schemathesis)", f"{method} {path}", f"{outcome.cases} cases")
    for name, cases in outcome.known.items():
        TALLY.add("fuzzing: open findings hit again", name, f"{cases} cases")
    assert not outcome.failures, "\n\n".join(outcome.failures.values())
    has_input = inputs(target.schema[path][method])["any"]
    assert outcome.cases >= (MIN_CASES if has_input else 1), outcome


def _pinned(finding: Finding, target: Target, real: dict[str, Any]) -> None:
    operation = target.schema[finding.path][finding.method]
    case = operation.Case(**finding.request({**real, "email": target.owner.account["email"]}))
    response, error = call_and_check(target, case, headers_for(target, True), CHECKS)
    if error is not None:
        key, example = describe(case, response, error)
        if finding.failure in key:
            raise OpenFinding(example)
        raise AssertionError(example)


def _finding_param(name: str) -> Any:
    reason = FINDINGS[name].reason
    marks = [pytest.mark.xfail(strict=True, raises=OpenFinding, reason=reason)]
    return pytest.param(name, id=name, marks=marks if name in OPEN else [])


@pytest.mark.parametrize("name", [_finding_param(name) for name in FINDINGS])
async def test_pinned_finding(name: str, target: Target, real: dict[str, Any]) -> None:
    await asyncio.to_thread(_pinned, FINDINGS[name], target, real)
    TALLY.add("fuzzing: pinned findings", name, "fixed request")
