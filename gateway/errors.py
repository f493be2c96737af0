"""The one error body every failure takes: `{code, message, trace_id, details}`."""

from typing import Any

from aiohttp import web

from contracts.errors import HTTP_STATUS, ErrorCode


class ApiError(Exception):
    """Raised anywhere in the gateway; the error middleware renders it."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


def error_response(
    code: ErrorCode,
    message: str,
    trace_id: str,
    details: dict[str, Any] | list[Any] | None = None,
    status: int | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    return web.json_response(
        {"code": code.value, "message": message, "trace_id": trace_id, "details": details or {}},
        status=status or HTTP_STATUS[code],
        headers=headers,
    )
