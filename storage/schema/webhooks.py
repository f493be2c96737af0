"""Webhook signing secrets and the inbound events they admitted (owned by the `auth` group)."""

from sqlalchemy import Column, DateTime, Index, Table, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.schema.base import created_at_column, metadata, uuid_pk, workspace_id_column

webhook_secrets = Table(
    "webhook_secrets",
    metadata,
    uuid_pk(),
    workspace_id_column(),
    Column("source", Text, nullable=False),
    # Kept as is: verifying an HMAC needs the key itself, unlike a bearer token's digest.
    Column("secret", Text, nullable=False),
    Column("created_by", UUID(as_uuid=True), nullable=True),
    created_at_column(),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_webhook_secrets_workspace_source", "workspace_id", "source"),
)

webhook_events = Table(
    "webhook_events",
    metadata,
    uuid_pk(),
    workspace_id_column(),
    Column("source", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("body", JSONB, nullable=True),
    Column("raw_body", Text, nullable=False),
    Column("trace_id", Text, nullable=True),
    created_at_column(),
    UniqueConstraint("workspace_id", "source", "event_id"),
)
