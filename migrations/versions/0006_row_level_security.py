"""row-level security on every tenant table, and the application role

Revision ID: 0006
Revises: 0005

The application role is cluster-wide (shared by every database of the cluster), so it is
created if missing and left in place on downgrade; its grants on this database are revoked.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "switchboard_app"
WORKSPACE = "nullif(current_setting('app.workspace_id', true), '')::uuid"

# table -> (USING, WITH CHECK); WITH CHECK always pins writes to the current tenant.
POLICIES = {
    # A signed-in user also sees the workspaces they belong to (login picks one).
    "workspaces": (
        f"id = {WORKSPACE} OR id IN (SELECT workspace_id FROM workspace_members "
        "WHERE user_id = nullif(current_setting('app.user_id', true), '')::uuid)",
        f"id = {WORKSPACE}",
    ),
    "workspace_members": (
        f"workspace_id = {WORKSPACE} OR user_id = nullif(current_setting('app.user_id', true), '')::uuid",
        f"workspace_id = {WORKSPACE}",
    ),
    "refresh_tokens": (
        f"workspace_id = {WORKSPACE} OR token_hash = current_setting('app.token_hash', true)",
        f"workspace_id = {WORKSPACE}",
    ),
    "integration_tokens": (
        f"workspace_id = {WORKSPACE} OR token_hash = current_setting('app.token_hash', true)",
        f"workspace_id = {WORKSPACE}",
    ),
    # Anonymous commands (register, login) keep their inbox rows without a workspace.
    "processed_operations": (
        f"workspace_id IS NOT DISTINCT FROM {WORKSPACE}",
        f"workspace_id IS NOT DISTINCT FROM {WORKSPACE}",
    ),
    "dead_letter_replays": (f"workspace_id = {WORKSPACE}", f"workspace_id = {WORKSPACE}"),
}
TENANT_TABLES = [
    "audit_log",
    "bots",
    "bot_versions",
    "threads",
    "messages",
    "llm_turns",
    "webhook_secrets",
    "webhook_events",
]
# Operator-only tables: the application role gets no grant on them.
OPERATOR_TABLES = ["dead_letter_replays"]


def _policies() -> dict[str, tuple[str, str]]:
    same = f"workspace_id = {WORKSPACE}"
    return {**dict.fromkeys(TENANT_TABLES, (same, same)), **POLICIES}


def upgrade() -> None:
    op.execute(
        f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') "
        f"THEN CREATE ROLE {APP_ROLE} NOLOGIN; END IF; END$$"
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    op.execute(f"GRANT SELECT ON alembic_version TO {APP_ROLE}")
    for table, (using, check) in _policies().items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})"
        )
        if table not in OPERATOR_TABLES:
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON users TO {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"REVOKE ALL ON users FROM {APP_ROLE}")
    for table in _policies():
        op.execute(f"REVOKE ALL ON {table} FROM {APP_ROLE}")
        op.execute(f"DROP POLICY tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute(f"REVOKE SELECT ON alembic_version FROM {APP_ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}")
