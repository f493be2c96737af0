"""Operation ids: every mutation carries one (`X-Operation-Id`, alias `Idempotency-Key`).

Absent, the gateway makes one and returns it, so a client can still retry the same operation;
malformed, the request is refused before anything is published.
"""

import re
import uuid

from aiohttp import web
from aiohttp.typedefs import Handler

from contracts.envelope import OPERATION_ID_PATTERN
from contracts.errors import ErrorCode
from gateway.errors import ApiError
from gateway.request_keys import OPERATION_ID

OPERATION_HEADER = "X-Operation-Id"
ALIAS_HEADER = "Idempotency-Key"
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_VALID = re.compile(OPERATION_ID_PATTERN)


def operation_id_of(request: web.Request) -> str:
    given = request.headers.get(OPERATION_HEADER, request.headers.get(ALIAS_HEADER))
    if given is None:
        return f"gw-{uuid.uuid4().hex}"
    if not _VALID.match(given):
        raise ApiError(
            ErrorCode.VALIDATION_ERROR,
            "the operation id must be 1-128 characters of [A-Za-z0-9._:-]",
            {"fields": [{"field": OPERATION_HEADER, "message": "invalid operation id"}]},
        )
    return given


@web.middleware
async def operation_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method not in MUTATING or not request.path.startswith("/v1/"):
        return await handler(request)
    request[OPERATION_ID] = operation_id_of(request)
    response = await handler(request)
    response.headers[OPERATION_HEADER] = request[OPERATION_ID]
    return response
