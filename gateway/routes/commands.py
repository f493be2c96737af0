"""The one request handler behind every `/v1` route: HTTP in, command out, reply back as HTTP."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web
from pydantic import BaseModel, ValidationError

from contracts.commands import PAYLOADS
from contracts.envelope import Envelope, Reply
from contracts.errors import ErrorCode
from contracts.topics import command_topic, service_of
from contracts.validation import field_errors
from gateway.bus_client import BusClient, BusUnavailable, ReplyTimeout
from gateway.errors import ApiError, error_response
from gateway.request_keys import OPERATION_ID, PRINCIPAL, TRACE_ID
from gateway.routes.spec import RouteSpec

RequestHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
REPLAYED_HEADER = "Idempotent-Replayed"


def command_handler(spec: RouteSpec, bus: BusClient, topic_prefix: str) -> RequestHandler:
    model = PAYLOADS[spec.command_type]
    topic = command_topic(service_of(spec.command_type), topic_prefix)

    async def handle(request: web.Request) -> web.StreamResponse:
        payload = validated_payload(model, await _body(request, spec), request)
        envelope = Envelope(
            type=spec.command_type,
            operation_id=request.get(OPERATION_ID) or f"q-{uuid.uuid4().hex}",
            trace_id=request[TRACE_ID],
            payload=payload,
        )
        principal = request.get(PRINCIPAL)
        key = str(principal.workspace_id) if principal else _anonymous_key(payload)
        try:
            reply = await bus.request(topic, envelope, key, request.headers.get("Authorization"))
        except ReplyTimeout as exc:
            raise ApiError(
                ErrorCode.UPSTREAM_TIMEOUT,
                "no reply in time; the command may still complete, retry with the same operation id",
            ) from exc
        except BusUnavailable as exc:
            raise ApiError(ErrorCode.UNAVAILABLE, "the message bus is unavailable") from exc
        return reply_to_response(reply, request[TRACE_ID])

    handle.route_spec = spec  # type: ignore[attr-defined]
    return handle


def validated_payload(
    model: type[BaseModel], body: dict[str, Any], request: web.Request
) -> dict[str, Any]:
    """Body, then path and query parameters by name; checked with the handler's own model."""
    raw = {**body, **request.query, **request.match_info}
    try:
        return model.model_validate(raw).model_dump(mode="json", exclude_unset=True)
    except ValidationError as exc:
        raise ApiError(
            ErrorCode.VALIDATION_ERROR, "the request is not valid", field_errors(exc)
        ) from exc


def reply_to_response(reply: Reply, trace_id: str) -> web.Response:
    headers = {REPLAYED_HEADER: "true"} if reply.replayed else None
    if reply.error is not None:
        return error_response(
            reply.error.code,
            reply.error.message,
            trace_id,
            reply.error.details,
            status=reply.status,
            headers=headers,
        )
    if reply.status == 204:
        return web.Response(status=204, headers=headers)
    return web.Response(
        body=orjson.dumps(reply.body),
        status=reply.status,
        content_type="application/json",
        headers=headers,
    )


async def _body(request: web.Request, spec: RouteSpec) -> dict[str, Any]:
    if not spec.has_body:
        return {}
    raw = await request.read()
    if spec.raw_body:
        return _signed_body(request, raw)
    if not raw.strip():
        return {}
    if request.content_type not in ("application/json", "application/octet-stream", ""):
        raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as application/json")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiError(ErrorCode.BAD_REQUEST, "the body is not valid JSON") from exc
    if not isinstance(body, dict):
        raise ApiError(ErrorCode.BAD_REQUEST, "the body must be a JSON object")
    return body


def _signed_body(request: web.Request, raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode()
    except UnicodeDecodeError as exc:
        raise ApiError(ErrorCode.BAD_REQUEST, "the body is not UTF-8") from exc
    return {
        "body": text,
        "event_id": request.headers.get("X-Event-Id"),
        "signature": request.headers.get("X-Signature", ""),
    }


def _anonymous_key(payload: dict[str, Any]) -> str | None:
    """Anonymous commands (register, login) keep per-email order; others spread out."""
    email = payload.get("email")
    return email.lower() if isinstance(email, str) else None
