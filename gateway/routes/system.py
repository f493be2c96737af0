"""Operations routes: liveness, readiness (Kafka and every group answering a ping), specs."""

import asyncio
import uuid
from typing import Any

from aiohttp import web

from contracts.envelope import Envelope
from contracts.errors import ErrorCode
from contracts.topics import SERVICES, Service, command_topic
from gateway.bus_client import BusClient
from gateway.errors import error_response
from gateway.request_keys import TRACE_ID

READY_PING_TIMEOUT_S = 3.0


async def healthz(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def readyz_handler(bus: BusClient, topic_prefix: str) -> Any:
    async def ping(service: Service, trace_id: str) -> str:
        envelope = Envelope(
            type=f"{service}.ping", operation_id=f"ping-{uuid.uuid4().hex}", trace_id=trace_id
        )
        try:
            reply = await asyncio.wait_for(
                bus.request(command_topic(service, topic_prefix), envelope, None, None),
                READY_PING_TIMEOUT_S,
            )
        except Exception as exc:
            return f"failed: {type(exc).__name__}"
        return "ok" if reply.ok else f"failed: {reply.status}"

    async def readyz(request: web.Request) -> web.Response:
        results = await asyncio.gather(*(ping(s, request[TRACE_ID]) for s in SERVICES))
        checks = dict(zip(SERVICES, results, strict=True))
        if all(result == "ok" for result in results):
            return web.json_response({"status": "ready", "checks": checks})
        return error_response(
            ErrorCode.UNAVAILABLE, "not ready", request[TRACE_ID], {"checks": checks}
        )

    return readyz
