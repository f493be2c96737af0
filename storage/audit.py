"""The audit writer: one row per configuration change, in the change's own transaction."""

import uuid
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema.spine import audit_log


@dataclass(frozen=True)
class AuditActor:
    """Who did it and under which operation and trace; handlers build it from their context."""

    workspace_id: UUID
    user_id: UUID | None
    operation_id: str | None
    trace_id: str | None


class AuditLog:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def record(
        self,
        actor: AuditActor,
        action: str,
        resource_type: str,
        resource_id: object,
        changes: dict[str, Any],
    ) -> UUID:
        entry_id = uuid.uuid4()
        await self._conn.execute(
            insert(audit_log).values(
                id=entry_id,
                workspace_id=actor.workspace_id,
                actor_user_id=actor.user_id,
                action=action,
                resource_type=resource_type,
                resource_id=str(resource_id),
                operation_id=actor.operation_id,
                trace_id=actor.trace_id,
                changes=changes,
            )
        )
        return entry_id
