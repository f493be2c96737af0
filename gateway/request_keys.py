"""What middleware learns about a request, under typed keys."""

from aiohttp import web

from security.tokens import Principal

TRACE_ID = web.RequestKey("trace_id", str)
OPERATION_ID = web.RequestKey("operation_id", str)
PRINCIPAL = web.RequestKey("principal", Principal)
