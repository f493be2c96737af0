"""Which dead letters were replayed: claimed before publishing, so two operators (or one
operator twice) never send the same dead letter again by accident; audited per workspace, with a
`dlq.replayed` domain event in the same transaction."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.envelope import Header
from contracts.events import DeadLetterReplayed, DomainEvent
from deploy.dlq.letters import DeadLetter
from storage.audit import AuditActor
from storage.schema.operations import dead_letter_replays as replays
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Outcome:
    outcome: str
    status: int | None


class ReplayLog:
    def __init__(self, engine: AsyncEngine, operator: str) -> None:
        self._engine = engine
        self._uow = UnitOfWork(engine)
        self._operator = operator

    async def replayed(self, ids: list[str]) -> set[str]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(replays.c.dead_letter_id).where(replays.c.dead_letter_id.in_(ids))
            )
            return {row.dead_letter_id for row in rows}

    async def claim(self, letter: DeadLetter, force: bool) -> bool:
        """True if this run owns the replay of `letter` (always, with `force`)."""
        row = {
            "dead_letter_id": letter.id,
            "original_topic": letter.original_topic,
            "operation_id": letter.operation_id,
            "workspace_id": workspace_of(letter),
            "replayed_by": self._operator,
            "outcome": "pending",
        }
        statement = insert(replays).values(**row)
        if force:
            statement = statement.on_conflict_do_update(
                index_elements=[replays.c.dead_letter_id],
                set_={
                    "replays": replays.c.replays + 1,
                    "outcome": "pending",
                    "replayed_by": self._operator,
                },
            )
        else:
            statement = statement.on_conflict_do_nothing(index_elements=[replays.c.dead_letter_id])
        async with self._engine.begin() as conn:
            return bool((await conn.execute(statement.returning(replays.c.dead_letter_id))).first())

    async def finish(self, letter: DeadLetter, result: Outcome) -> None:
        workspace_id = workspace_of(letter)
        async with self._uow(workspace_id) as tx:
            await tx.conn.execute(
                update(replays)
                .where(replays.c.dead_letter_id == letter.id)
                .values(outcome=result.outcome, status=result.status)
            )
            if workspace_id is not None:
                trace_id = letter.headers.get(Header.TRACE_ID)
                actor = AuditActor(workspace_id, None, letter.operation_id, trace_id)
                changes = {
                    "outcome": result.outcome,
                    "status": result.status,
                    "replayed_by": self._operator,
                    "original_topic": letter.original_topic,
                    "command_type": letter.command_type,
                }
                await tx.audit.record(actor, "dlq.replayed", "dead_letter", letter.id, changes)
                replayed = DeadLetterReplayed(dead_letter_id=letter.id, outcome=result.outcome)
                await tx.outbox.add(
                    DomainEvent.of(
                        replayed, workspace_id, operation_id=letter.operation_id, trace_id=trace_id
                    )
                )


def workspace_of(letter: DeadLetter) -> uuid.UUID | None:
    """Commands are keyed by workspace id; anonymous ones (register, login) by email."""
    try:
        return uuid.UUID(letter.key or "")
    except ValueError:
        return None
