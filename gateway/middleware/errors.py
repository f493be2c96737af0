"""Renders every failure in the error format: ours, aiohttp's (404, 405, 413, ...) and bugs."""

import structlog
from aiohttp import web
from aiohttp.typedefs import Handler

from contracts.errors import ErrorCode
from gateway.errors import ApiError, error_response
from gateway.request_keys import OPERATION_ID, TRACE_ID

log = structlog.get_logger("gateway")

_BY_STATUS = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.RATE_LIMITED,
    503: ErrorCode.UNAVAILABLE,
    504: ErrorCode.UPSTREAM_TIMEOUT,
}
_MESSAGES = {
    ErrorCode.NOT_FOUND: "no such route",
    ErrorCode.METHOD_NOT_ALLOWED: "method not allowed on this route",
    ErrorCode.PAYLOAD_TOO_LARGE: "the request body is too large",
}


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = _render(request, exc)
    except Exception as exc:
        response = _render(request, exc)
    if operation_id := request.get(OPERATION_ID):
        response.headers["X-Operation-Id"] = operation_id
    return response


def _render(request: web.Request, exc: Exception) -> web.Response:
    trace_id: str = request[TRACE_ID]
    if isinstance(exc, ApiError):
        return error_response(exc.code, exc.message, trace_id, exc.details, headers=exc.headers)
    if isinstance(exc, web.HTTPException) and exc.status >= 400:
        code = _BY_STATUS.get(exc.status, ErrorCode.INTERNAL)
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        message = _MESSAGES.get(code, exc.reason)
        return error_response(code, message, trace_id, status=exc.status, headers=headers)
    log.exception("unhandled_gateway_error", path=request.path)
    return error_response(ErrorCode.INTERNAL, "internal error; quote the trace id", trace_id)
