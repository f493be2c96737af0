"""Bots and their immutable, numbered instruction versions (owned by the `bots` group)."""

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.schema.base import created_at_column, metadata, uuid_pk, workspace_id_column

bots = Table(
    "bots",
    metadata,
    uuid_pk(),
    workspace_id_column(),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("current_version", Integer, nullable=False),
    Column("created_by", UUID(as_uuid=True), nullable=True),
    Column("archived_at", DateTime(timezone=True), nullable=True),
    created_at_column(),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_bots_workspace_created", "workspace_id", "created_at", "id"),
)

bot_versions = Table(
    "bot_versions",
    metadata,
    uuid_pk(),
    workspace_id_column(),
    Column("bot_id", UUID(as_uuid=True), ForeignKey("bots.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("instruction", Text, nullable=False),
    Column("config", JSONB, nullable=False, server_default="{}"),
    Column("created_by", UUID(as_uuid=True), nullable=True),
    Column("operation_id", Text, nullable=True),
    created_at_column(),
    UniqueConstraint("bot_id", "number"),
)
