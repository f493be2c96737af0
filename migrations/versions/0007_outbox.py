"""outbox: domain events awaiting publication, under row-level security

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORKSPACE = "nullif(current_setting('app.workspace_id', true), '')::uuid"


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("workspace_id", sa.UUID(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_outbox")),
    )
    op.create_index(
        "ix_outbox_unpublished", "outbox", ["occurred_at"], postgresql_where="published_at IS NULL"
    )
    op.create_index(
        "ix_outbox_published",
        "outbox",
        ["published_at"],
        postgresql_where="published_at IS NOT NULL",
    )
    op.execute("ALTER TABLE outbox ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE outbox FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON outbox USING (workspace_id = {WORKSPACE}) "
        f"WITH CHECK (workspace_id = {WORKSPACE})"
    )
    # Handlers only write events. The relay reads and marks every tenant's rows through a
    # policy of its own role, which has no right on any other table.
    op.execute("GRANT INSERT ON outbox TO switchboard_app")
    op.execute(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'switchboard_relay') "
        "THEN CREATE ROLE switchboard_relay NOLOGIN; END IF; END$$"
    )
    op.execute("GRANT USAGE ON SCHEMA public TO switchboard_relay")
    op.execute("GRANT SELECT, UPDATE, DELETE ON outbox TO switchboard_relay")
    op.execute("CREATE POLICY relay ON outbox TO switchboard_relay USING (true) WITH CHECK (true)")


def downgrade() -> None:
    op.execute("REVOKE ALL ON outbox FROM switchboard_app")
    op.execute("REVOKE ALL ON outbox FROM switchboard_relay")
    op.execute("REVOKE USAGE ON SCHEMA public FROM switchboard_relay")
    op.execute("DROP INDEX ix_outbox_published")
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")
