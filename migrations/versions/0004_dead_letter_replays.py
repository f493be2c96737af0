"""dead letter replays

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dead_letter_replays",
        sa.Column("dead_letter_id", sa.Text(), nullable=False),
        sa.Column("original_topic", sa.Text(), nullable=False),
        sa.Column("operation_id", sa.Text(), nullable=True),
        sa.Column("workspace_id", sa.UUID(), nullable=True),
        sa.Column("replayed_by", sa.Text(), nullable=False),
        sa.Column(
            "replayed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("replays", sa.Integer(), server_default="1", nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("dead_letter_id", name=op.f("pk_dead_letter_replays")),
    )


def downgrade() -> None:
    op.drop_table("dead_letter_replays")
