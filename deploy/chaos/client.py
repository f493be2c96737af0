"""A patient client: every mutation carries an operation id and is retried with that same id
until it gets a final answer, as a careful integration would through outages."""

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson

# Answers worth retrying: a dead-lettered failure, a timeout or an outage, a busy operation.
RETRY_STATUSES = frozenset({409, 429, 500, 502, 503, 504})
ATTEMPTS = 60


@dataclass
class Acknowledged:
    kind: str
    operation_id: str
    workspace_id: str
    body: dict[str, Any]


@dataclass
class Ledger:
    """What the server acknowledged (2xx), and what it never did despite the retries."""

    acknowledged: list[Acknowledged] = field(default_factory=list)
    given_up: list[tuple[str, str]] = field(default_factory=list)
    attempts: int = 0


class PatientClient:
    def __init__(self, session: aiohttp.ClientSession, ledger: Ledger) -> None:
        self._session = session
        self._ledger = ledger
        self.token = ""
        self.workspace_id = ""

    async def mutate(
        self, kind: str, method: str, path: str, body: dict[str, Any]
    ) -> dict[str, Any] | None:
        operation_id = f"chaos-{uuid.uuid4().hex}"
        for attempt in range(ATTEMPTS):
            self._ledger.attempts += 1
            status, answer = await self._send(method, path, body, operation_id)
            if status is not None and 200 <= status < 300:
                self._ledger.acknowledged.append(
                    Acknowledged(kind, operation_id, self.workspace_id, answer)
                )
                return answer
            if status is not None and status not in RETRY_STATUSES:
                break
            await asyncio.sleep(min(2.0, 0.05 * 2**attempt))
        self._ledger.given_up.append((kind, operation_id))
        return None

    async def _send(
        self, method: str, path: str, body: dict[str, Any], operation_id: str
    ) -> tuple[int | None, dict[str, Any]]:
        headers = {"X-Operation-Id": operation_id, "Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            async with self._session.request(
                method,
                path,
                data=orjson.dumps(body),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=15),
            ) as response:
                raw = await response.read()
                return response.status, orjson.loads(raw) if raw else {}
        except (aiohttp.ClientError, TimeoutError, orjson.JSONDecodeError):
            return None, {}
