"""The fuzzing machinery of `test_fuzz.py`: checks, plans, and one operation's run.

    outcome = fuzz(target, "POST", "/v1/bots", real_ids)   # blocking: run it in a thread
    outcome.cases, outcome.failures, outcome.known

Per operation, as a registered owner, four plans of generated requests:
- valid, with random ids;
- valid, with the ids of real resources (and a usable email, and a fresh operation id), so that
  they can succeed;
- invalid (schemathesis' negative mode);
- valid, with a NUL character in every string of the body and query (Postgres refuses NUL in
  text, so a field the gateway lets through with one becomes a failed command).
Hypothesis is derandomized (its seed follows the test's code), and failures are collected, not
shrunk, so that one run lists them all.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.security.findings import known
from tests.support.auth import new_email
from tests.support.security import ERROR_FIELDS, Tenant

# Examples per operation and plan: with ~30 operations, about 1,500 cases in a minute or two.
VALID_RANDOM, VALID_REAL, INVALID, NUL = 20, 10, 25, 8
# Schemathesis' default refusals, plus 413: a body over 1 MiB is refused before it is read.
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}}}
)


@schemathesis.check
def error_format(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx is the one error body of the API, naming the trace id of the response."""
    if 400 <= response.status_code < 500:
        body = json.loads(response.content)
        assert isinstance(body, dict) and set(body) == ERROR_FIELDS, body
        assert isinstance(body["details"], dict | list), body
        assert [body["trace_id"]] == response.headers.get("x-trace-id"), body
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
    error_format,
]
NUL_CHECKS = [not_a_server_error, error_format]


@dataclass(frozen=True)
class Target:
    base_url: str
    schema: Any
    owner: Tenant


@dataclass
class Outcome:
    cases: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # one example per distinct failure
    known: dict[str, int] = field(default_factory=dict)  # open finding -> cases showing it


@dataclass(frozen=True)
class Plan:
    name: str
    mode: GenerationMode
    examples: int
    real: bool = False  # real ids, usable emails, fresh operation ids
    nul: bool = False
    checks: list[Any] = field(default_factory=lambda: CHECKS)


PLANS = [
    Plan("valid, random ids", GenerationMode.POSITIVE, VALID_RANDOM),
    Plan("valid, real ids", GenerationMode.POSITIVE, VALID_REAL, real=True),
    Plan("invalid", GenerationMode.NEGATIVE, INVALID),
    Plan("NUL in every string", GenerationMode.POSITIVE, NUL, True, True, NUL_CHECKS),
]


def inputs(operation: Any) -> dict[str, bool]:
    raw = operation.definition.raw
    params = {p["in"] for p in raw.get("parameters", [])}
    return {
        "any": bool(params or raw.get("requestBody")),
        "strings": "query" in params or "requestBody" in raw,
        "ids": "path" in params or "requestBody" in raw,
    }


def headers_for(target: Target, fresh_operation: bool) -> dict[str, str]:
    headers = dict(target.owner.headers)
    if fresh_operation:  # generated ids repeat ("0"...): a replay would hide the effect
        headers["X-Operation-Id"] = uuid.uuid4().hex
    return headers


def call_and_check(
    target: Target, case: Any, headers: dict[str, str], checks: list[Any]
) -> tuple[Any, BaseException | None]:
    """Send the case and check the answer: the response (if any), and what failed (if any)."""
    response = None
    with requests.Session() as session:
        try:
            response = case.call(base_url=target.base_url, session=session, headers=headers)
            transport = {"base_url": target.base_url, "session": session, "headers": headers}
            case.validate_response(
                response, checks=checks, headers=headers, transport_kwargs=transport
            )
        except (Exception, FailureGroup) as error:  # a FailureGroup is no Exception
            return response, error
    return response, None


def describe(case: Any, response: Any, error: BaseException) -> tuple[str, str]:
    """A key that tells failures apart (operation, check, status) and a readable example."""
    failures = getattr(error, "exceptions", [error])
    titles = sorted({getattr(f, "title", type(f).__name__) for f in failures})
    status = response.status_code if response is not None else "no response"
    key = f"{case.operation.label} | {', '.join(titles)} | {status}"
    sent = f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}"
    answer = f"{status} {response.text[:400]}" if response is not None else repr(error)[:400]
    return key, f"{key}\n  request: {sent}\n  response: {answer}"


def _with_nul(value: Any, keep: set[str]) -> Any:
    if isinstance(value, str):
        return f"{value[:1]}\x00{value[1:]}"
    if isinstance(value, dict):
        return {k: v if k in keep else _with_nul(v, keep) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_nul(v, keep) for v in value]
    return value


def _prepare(case: Any, plan: Plan, real: dict[str, Any], email: Callable[[], str]) -> None:
    """Real ids (and a usable email) in the body and query too, then NUL where asked."""
    if plan.real and isinstance(case.body, dict):
        case.body = {k: real.get(k, v) for k, v in case.body.items()}
        if "email" in case.body:
            case.body = {**case.body, "email": email()}
    if plan.real and case.query:
        case.query = {k: str(real[k]) if k in real else v for k, v in case.query.items()}
    if plan.nul:  # the ids and emails stay usable, so the NUL reaches the handler
        if isinstance(case.body, dict):
            case.body = _with_nul(case.body, keep={"email", *real})
        if case.query:
            case.query = _with_nul(case.query, keep={"limit", "cursor", *real})


def _lost_in_the_query_string(case: Any, failure_key: str) -> bool:
    """An "invalid" object or array query value is sent as other parameters, or as repeated ones
    (`?a=1&a=2`, of which the gateway reads the first): what arrived may well be valid, so a 2xx
    for it proves nothing."""
    values = (case.query or {}).values()
    nested = any(isinstance(v, dict | list) for v in values)
    return nested and "Schema-violating request accepted" in failure_key


def _emails(target: Target, path: str) -> Callable[[], str]:
    """Emails the API accepts (its check is stricter than the document says): a fresh one to
    register, the owner's own to log in (so the password is what gets judged)."""
    if path.endswith("/register"):
        return new_email
    return lambda: str(target.owner.account["email"])


def _run_plan(
    target: Target, operation: Any, plan: Plan, real: dict[str, Any], outcome: Outcome
) -> None:
    in_path = {n: v for n, v in real.items() if "{" + n + "}" in operation.path}
    strategy = operation.as_strategy(
        generation_mode=plan.mode, path_parameters=in_path if plan.real and in_path else None
    )
    email = _emails(target, operation.path)

    @settings(
        max_examples=plan.examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        outcome.cases += 1
        _prepare(case, plan, real, email)
        headers = headers_for(target, plan.real)
        response, error = call_and_check(target, case, headers, plan.checks)
        if error is None:
            return
        key, example = describe(case, response, error)
        if _lost_in_the_query_string(case, key):
            return
        if name := known(operation.label, key, case):
            outcome.known[name] = outcome.known.get(name, 0) + 1
        else:
            outcome.failures.setdefault(key, f"{example}\n  plan: {plan.name}")

    run()


def fuzz(target: Target, method: str, path: str, real: dict[str, Any]) -> Outcome:
    operation = target.schema[path][method]
    has = inputs(operation)
    wanted = {
        "valid, random ids": True,
        "valid, real ids": has["ids"],
        "invalid": has["any"],
        "NUL in every string": has["strings"],
    }
    outcome = Outcome()
    for plan in PLANS:
        if wanted[plan.name]:
            _run_plan(target, operation, plan, real, outcome)
    return outcome
