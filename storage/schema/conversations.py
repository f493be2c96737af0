"""Threads, their ordered messages and the model turns (owned by the `conversations` group)."""

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import UUID

from storage.schema.base import created_at_column, metadata, uuid_pk, workspace_id_column

threads = Table(
    "threads",
    metadata,
    uuid_pk(),
    workspace_id_column(),
    Column("bot_id", UUID(as_uuid=True), ForeignKey("bots.id"), nullable=False),
    # The bot version pinned at creation: later instruction changes do not alter this thread.
    Column("bot_version", Integer, nullable=False),
    Column("title", Text, nullable=False, server_default=""),
    Column("created_by", UUID(as_uuid=True), nullable=True),
    # The seq of the newest message; a turn locks the thread row and allocates from it.
    Column("last_seq", Integer, nullable=False, server_default="0"),
    created_at_column(),
    Column("last_message_at", DateTime(timezone=True), nullable=True),
    Index("ix_threads_workspace_created", "workspace_id", "created_at", "id"),
    Index("ix_threads_workspace_bot_created", "workspace_id", "bot_id", "created_at", "id"),
)

llm_turns = Table(
    "llm_turns",
    metadata,
    uuid_pk(),
    workspace_id_column(),
    Column("thread_id", UUID(as_uuid=True), ForeignKey("threads.id"), nullable=False),
    Column("bot_id", UUID(as_uuid=True), nullable=False),
    Column("bot_version", Integer, nullable=False),
    Column("operation_id", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("prompt_tokens", Integer, nullable=True),
    Column("completion_tokens", Integer, nullable=True),
    Column("latency_ms", Integer, nullable=True),
    Column("error", Text, nullable=True),
    created_at_column(),
    Column("completed_at", DateTime(timezone=True), nullable=True),
    CheckConstraint("status IN ('pending', 'completed', 'failed')", name="status"),
    Index("ix_llm_turns_thread", "thread_id", "created_at"),
)

messages = Table(
    "messages",
    metadata,
    uuid_pk(),
    workspace_id_column(),
    Column("thread_id", UUID(as_uuid=True), ForeignKey("threads.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("role", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("turn_id", UUID(as_uuid=True), ForeignKey("llm_turns.id"), nullable=True),
    Column("operation_id", Text, nullable=True),
    created_at_column(),
    UniqueConstraint("thread_id", "seq"),
    CheckConstraint("role IN ('user', 'assistant', 'system')", name="role"),
)
