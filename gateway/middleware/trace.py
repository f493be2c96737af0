"""Trace ids: from `X-Trace-Id`, else a W3C `traceparent`, else new; echoed on every response."""

import re
import uuid

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler

from gateway.request_keys import TRACE_ID

TRACE_HEADER = "X-Trace-Id"
_TRACE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


def trace_id_of(request: web.Request) -> str:
    given = request.headers.get(TRACE_HEADER, "")
    if _TRACE_ID.match(given):
        return given
    parent = _TRACEPARENT.match(request.headers.get("traceparent", "").strip().lower())
    if parent and parent.group(1) != "0" * 32:
        return parent.group(1)
    return uuid.uuid4().hex


@web.middleware
async def trace_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    trace_id = trace_id_of(request)
    request[TRACE_ID] = trace_id
    with structlog.contextvars.bound_contextvars(trace_id=trace_id):
        response = await handler(request)
    response.headers[TRACE_HEADER] = trace_id
    return response
