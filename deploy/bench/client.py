"""One virtual user's HTTP calls: timed, named by route template, with unique operation ids."""

import time
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson

from deploy.bench.recorder import CONNECTION, TIMEOUT, Recorder


class CallFailed(Exception):
    """A call the scenario cannot go on from (no answer, or not the status it needs)."""


@dataclass
class Answer:
    status: int
    body: Any


class Caller:
    def __init__(self, session: aiohttp.ClientSession, recorder: Recorder, op_prefix: str) -> None:
        self._session = session
        self.recorder = recorder  # the setup's, then the measured window's
        self._op_prefix = op_prefix
        self._ops = 0
        self.token: str | None = None

    def new_operation(self) -> str:
        self._ops += 1
        return f"{self._op_prefix}-{self._ops}"

    async def call(
        self, method: str, route: str, *, id: str = "", json: Any = None, operation: str = ""
    ) -> Answer:
        """`route` is a template (`/v1/bots/{id}`): figures are grouped by it. A mutation gets a
        new operation id unless `operation` names the one it retries."""
        path = route.replace("{id}", id)
        headers = self._headers(method, operation)
        started = time.monotonic()
        try:
            answer = await self._send(method, path, json, headers)
        except TimeoutError as exc:
            self.recorder.record(f"{method} {route}", started, time.monotonic() - started, TIMEOUT)
            raise CallFailed(f"{method} {path}: no answer in time") from exc
        except aiohttp.ClientError as exc:
            elapsed = time.monotonic() - started
            self.recorder.record(f"{method} {route}", started, elapsed, CONNECTION)
            raise CallFailed(f"{method} {path}: {exc!r}") from exc
        elapsed = time.monotonic() - started
        self.recorder.record(f"{method} {route}", started, elapsed, str(answer.status))
        return answer

    async def _send(self, method: str, path: str, json: Any, headers: dict[str, str]) -> Answer:
        body = orjson.dumps(json) if json is not None else None
        async with self._session.request(method, path, data=body, headers=headers) as response:
            raw = await response.read()
        try:
            return Answer(response.status, orjson.loads(raw) if raw else None)
        except orjson.JSONDecodeError:
            return Answer(response.status, None)

    def _headers(self, method: str, operation: str) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if method != "GET":
            # Each loop step is a new operation: a replay would measure the inbox, not the work.
            headers["X-Operation-Id"] = operation or self.new_operation()
        return headers


def expect(answer: Answer, status: int, what: str) -> Any:
    if answer.status != status:
        raise CallFailed(f"{what}: HTTP {answer.status} {answer.body!r:.200}")
    return answer.body
