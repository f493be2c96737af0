"""The transactional outbox: domain events written with the change, published by the relay."""

from sqlalchemy import Column, DateTime, Index, Integer, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.schema.base import metadata, workspace_id_column

outbox = Table(
    "outbox",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    workspace_id_column(),
    Column("event_type", Text, nullable=False),
    Column("version", Integer, nullable=False),
    # The whole DomainEvent as published (contracts/events.py).
    Column("event", JSONB, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    # The relay reads unpublished rows oldest first; a partial index keeps that cheap forever.
    Index("ix_outbox_unpublished", "occurred_at", postgresql_where="published_at IS NULL"),
    # ...and the retention purge finds old published rows without a scan.
    Index("ix_outbox_published", "published_at", postgresql_where="published_at IS NOT NULL"),
)
