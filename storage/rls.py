"""Row-level security: the second wall between tenants, under the repositories' own filters.

Every table with a `workspace_id` has FORCE ROW LEVEL SECURITY and a policy comparing it with
`app.workspace_id`, which the unit of work sets per transaction (`SET LOCAL` semantics). The
handlers connect as `APP_ROLE`, which has no BYPASSRLS; without a tenant set, it sees no rows.

Two narrower keys open exactly what an anonymous command must find before it knows its tenant:
`app.user_id` (a signed-in user's own memberships, at login) and `app.token_hash` (the one
refresh or integration token row whose secret the caller holds).
"""

from typing import Final
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

APP_ROLE: Final = "switchboard_app"
# Reads and marks every tenant's outbox rows, through a policy of its own; no other table.
RELAY_ROLE: Final = "switchboard_relay"
WORKSPACE: Final = "app.workspace_id"
USER: Final = "app.user_id"
TOKEN_HASH: Final = "app.token_hash"


async def set_local(conn: AsyncConnection, name: str, value: UUID | str | None) -> None:
    """Set a context key for the rest of this transaction only."""
    await conn.execute(
        text("SELECT set_config(:name, :value, true)"),
        {"name": name, "value": str(value) if value is not None else ""},
    )
