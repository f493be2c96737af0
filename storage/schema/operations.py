"""Operator records: which dead letters were replayed, by whom, with what outcome."""

from sqlalchemy import Column, DateTime, Integer, Table, Text, func
from sqlalchemy.dialects.postgresql import UUID

from storage.schema.base import metadata

dead_letter_replays = Table(
    "dead_letter_replays",
    metadata,
    # "<dlq topic>:<partition>:<offset>": a dead letter's identity, stable forever.
    Column("dead_letter_id", Text, primary_key=True),
    Column("original_topic", Text, nullable=False),
    Column("operation_id", Text, nullable=True),
    Column("workspace_id", UUID(as_uuid=True), nullable=True),
    Column("replayed_by", Text, nullable=False),
    Column("replayed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("replays", Integer, nullable=False, server_default="1"),
    # "ok" (the handler answered 2xx), "error" (an error reply), "no_reply" (not answered in time).
    Column("outcome", Text, nullable=False),
    Column("status", Integer, nullable=True),
)
