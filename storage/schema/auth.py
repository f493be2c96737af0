"""Workspaces, users, memberships, refresh and integration tokens (owned by the `auth` group).

Emails are stored lower-cased (a check holds it), so a plain unique index makes them unique
case-insensitively. Tokens are stored as their SHA-256 (`security.tokens.token_digest`), never
as the secret itself.
"""

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, Table, Text
from sqlalchemy.dialects.postgresql import UUID

from storage.schema.base import created_at_column, metadata, uuid_pk

workspaces = Table(
    "workspaces",
    metadata,
    uuid_pk(),
    Column("name", Text, nullable=False),
    created_at_column(),
)

users = Table(
    "users",
    metadata,
    uuid_pk(),
    Column("email", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    created_at_column(),
    Index("ix_users_email", "email", unique=True),
    CheckConstraint("email = lower(email)", name="email_lower_case"),
)

workspace_members = Table(
    "workspace_members",
    metadata,
    Column(
        "workspace_id",
        UUID(as_uuid=True),
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("role", Text, nullable=False),
    created_at_column(),
    # Login looks a user's workspaces up by user.
    Index("ix_workspace_members_user_id", "user_id"),
    CheckConstraint("role IN ('owner', 'member')", name="role"),
)

# One row per refresh token ever issued. A login starts a family; each rotation adds a child
# (parent = the token presented) and marks the parent used. Every row of a family shares the
# family's absolute `expires_at`.
refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    uuid_pk(),
    Column(
        "workspace_id",
        UUID(as_uuid=True),
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    Column("family_id", UUID(as_uuid=True), nullable=False),
    Column("parent_id", UUID(as_uuid=True), nullable=True),
    Column("token_hash", Text, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_refresh_tokens_token_hash", "token_hash", unique=True),
    Index("ix_refresh_tokens_family_id", "family_id"),
)

integration_tokens = Table(
    "integration_tokens",
    metadata,
    uuid_pk(),
    Column(
        "workspace_id",
        UUID(as_uuid=True),
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("name", Text, nullable=False),
    Column("token_hash", Text, nullable=False),
    Column("created_by", UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")),
    created_at_column(),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Index("ix_integration_tokens_token_hash", "token_hash", unique=True),
    Index("ix_integration_tokens_workspace_created", "workspace_id", "created_at", "id"),
)
