"""Keyset pagination shared by every list: opaque cursors, stable under inserts.

A cursor is the sort key of the last item served, base64url-encoded JSON. The next page asks
for rows strictly after that key, so rows inserted meanwhile never shift a page (no repeats,
no gaps), unlike OFFSET. Ties on the sort column are broken by the row id.
"""

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import orjson
from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.errors import DomainError, ErrorCode

SortValue = datetime | int | str | UUID


@dataclass(frozen=True)
class Keyset:
    """Sort `column` (then `tiebreak`) in `order`; both must be selected in the query."""

    column: ColumnElement[Any]
    tiebreak: ColumnElement[Any]
    order: Literal["asc", "desc"]


def encode_cursor(values: Sequence[SortValue]) -> str:
    raw = orjson.dumps([v.isoformat() if isinstance(v, datetime) else str(v) for v in values])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = orjson.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise invalid_cursor() from exc
    if not (
        isinstance(values, list) and len(values) == 2 and all(isinstance(v, str) for v in values)
    ):
        raise invalid_cursor()
    return values


def invalid_cursor() -> DomainError:
    return DomainError(
        ErrorCode.VALIDATION_ERROR,
        "the cursor is not valid",
        {"fields": [{"field": "cursor", "message": "not a cursor this API issued"}]},
    )


async def fetch_page(
    conn: AsyncConnection, query: Select[Any], keyset: Keyset, limit: int, cursor: str | None
) -> tuple[list[Row[Any]], str | None]:
    """Rows of one page and the cursor of the next (None at the end)."""
    if cursor is not None:
        query = query.where(_after(keyset, decode_cursor(cursor)))
    ordering = (keyset.column, keyset.tiebreak)
    query = query.order_by(*(c.desc() if keyset.order == "desc" else c.asc() for c in ordering))
    rows = list((await conn.execute(query.limit(limit + 1))).all())
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]._mapping
    return rows[:limit], encode_cursor([last[keyset.column.key], last[keyset.tiebreak.key]])


def _after(keyset: Keyset, values: list[str]) -> ColumnElement[bool]:
    key = tuple_(keyset.column, keyset.tiebreak)
    last = tuple_(
        *(_parse(c, v) for c, v in zip((keyset.column, keyset.tiebreak), values, strict=True))
    )
    # A row comparison, so Postgres walks the (column, id) index from the cursor on.
    return key < last if keyset.order == "desc" else key > last


def _parse(column: ColumnElement[Any], value: str) -> Any:
    try:
        kind = column.type.python_type
        return datetime.fromisoformat(value) if kind is datetime else kind(value)
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise invalid_cursor() from exc
