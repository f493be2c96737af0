"""The command envelope and the reply every handler sends back.

On the wire a command is a Kafka record whose value is `Envelope` as JSON, keyed by the workspace
id, with the headers named in `Header`. The reply goes to the `reply_to` topic with the same
`correlation_id` header.
"""

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Any, Final

import orjson
from pydantic import BaseModel, ConfigDict, Field

from contracts.errors import HTTP_STATUS, DomainError, ErrorCode

OPERATION_ID_PATTERN: Final = r"^[A-Za-z0-9._:-]{1,128}$"


class Header:
    """Kafka header names (FastStream's own `correlation_id` and `reply_to` included)."""

    OPERATION_ID: Final = "operation_id"
    TRACE_ID: Final = "trace_id"
    CORRELATION_ID: Final = "correlation_id"
    REPLY_TO: Final = "reply_to"
    AUTHORIZATION: Final = "authorization"
    CONTENT_TYPE: Final = "content-type"


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = Field(min_length=1, max_length=64)
    operation_id: str = Field(pattern=OPERATION_ID_PATTERN)
    trace_id: str = Field(min_length=1, max_length=128)
    issued_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    payload: dict[str, Any] = Field(default_factory=dict)

    def request_hash(self, key: bytes) -> str:
        """What makes two requests under one operation id "the same": type and canonical payload.

        Keyed (HMAC-SHA256), because payloads can hold passwords: a plain digest kept for a day
        would let anyone who reads the inbox guess them at hash speed.
        """
        canonical = orjson.dumps(
            {"type": self.type, "payload": self.payload}, option=orjson.OPT_SORT_KEYS
        )
        return hmac.new(key, canonical, hashlib.sha256).hexdigest()


class ErrorBody(BaseModel):
    code: ErrorCode
    message: str
    details: dict[str, Any] | list[Any] = Field(default_factory=dict)


class Reply(BaseModel):
    """`ok` replies carry `body`; error replies carry `error`. `replayed` marks a stored result."""

    ok: bool
    status: int
    body: Any = None
    error: ErrorBody | None = None
    replayed: bool = False

    @classmethod
    def success(cls, status: int, body: Any = None) -> "Reply":
        return cls(ok=True, status=status, body=body)

    @classmethod
    def failure(
        cls, code: ErrorCode, message: str, details: dict[str, Any] | list[Any] | None = None
    ) -> "Reply":
        return cls(
            ok=False,
            status=HTTP_STATUS[code],
            error=ErrorBody(code=code, message=message, details=details or {}),
        )

    @classmethod
    def from_error(cls, exc: DomainError) -> "Reply":
        return cls.failure(exc.code, exc.message, exc.details)
