"""Tables every service writes: the idempotency inbox and the audit log."""

from sqlalchemy import Column, Index, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from storage.schema.base import created_at_column, metadata, uuid_pk, workspace_id_column

processed_operations = Table(
    "processed_operations",
    metadata,
    # "ws:<workspace id>" for authenticated commands, "email:<email>" for register/login, ...
    Column("scope", Text, primary_key=True),
    Column("operation_id", Text, primary_key=True),
    Column("request_hash", Text, nullable=False),
    Column("command_type", Text, nullable=False),
    Column("workspace_id", UUID(as_uuid=True), nullable=True),
    # The reply without secrets; written in the same transaction as the effect.
    Column("reply", JSONB, nullable=False),
    created_at_column(),
    Index("ix_processed_operations_created_at", "created_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    uuid_pk(),
    workspace_id_column(),
    Column("actor_user_id", UUID(as_uuid=True), nullable=True),
    Column("action", Text, nullable=False),
    Column("resource_type", Text, nullable=False),
    Column("resource_id", Text, nullable=False),
    Column("operation_id", Text, nullable=True),
    Column("trace_id", Text, nullable=True),
    Column("changes", JSONB, nullable=False),
    created_at_column(),
    Index("ix_audit_log_workspace_created", "workspace_id", "created_at", "id"),
    Index("ix_audit_log_resource", "workspace_id", "resource_type", "resource_id"),
)
