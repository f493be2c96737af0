"""In-memory stand-ins for the unit of work and the outbox relay's store and broker: same
interfaces, lists and dicts instead of Postgres and Kafka."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import UUID

from contracts.envelope import Reply
from contracts.errors import DomainError, ErrorCode
from handlers.runtime.outbox_relay import EventRecord, Publish, to_record
from storage.inbox import Claim


@dataclass
class FakeInbox:
    rows: dict[tuple[str, str], tuple[str, Reply | None]] = field(default_factory=dict)

    async def claim(self, claim: Claim) -> Reply | None:
        key = (claim.scope, claim.operation_id)
        if key not in self.rows:
            self.rows[key] = (claim.request_hash, None)
            return None
        request_hash, reply = self.rows[key]
        if request_hash != claim.request_hash:
            raise DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, "reused")
        assert reply is not None
        return reply.model_copy(update={"replayed": True})

    async def store(self, claim: Claim, reply: Reply) -> None:
        self.rows[(claim.scope, claim.operation_id)] = (claim.request_hash, reply)


@dataclass
class FakeTransaction:
    inbox: FakeInbox
    effects: list[Any]
    tenants: list[UUID | None] = field(default_factory=list)

    async def act_for_workspace(self, workspace_id: UUID | None) -> None:
        self.tenants.append(workspace_id)


@dataclass
class FakeUnitOfWork:
    """Commits by copying staged effects and inbox rows; an exception discards both."""

    inbox: FakeInbox = field(default_factory=FakeInbox)
    effects: list[Any] = field(default_factory=list)
    tenants: list[UUID | None] = field(default_factory=list)

    @asynccontextmanager
    async def __call__(self, workspace_id: UUID | None) -> AsyncIterator[FakeTransaction]:
        self.tenants.append(workspace_id)
        staged = FakeTransaction(FakeInbox(dict(self.inbox.rows)), [])
        yield staged
        self.inbox.rows = staged.inbox.rows
        self.effects.extend(staged.effects)


@dataclass
class FakeOutboxStore:
    """The relay's view of the outbox: `pending` events leave in batches once `publish` returns;
    each exception in `failures` fails one round first (the database being down)."""

    pending: list[dict[str, Any]] = field(default_factory=list)
    batch_size: int = 2
    failures: list[Exception] = field(default_factory=list)
    rounds: int = 0
    purges: int = 0
    purge_error: Exception | None = None
    closed: bool = False

    async def relay_batch(self, publish: Publish) -> int:
        self.rounds += 1
        if self.failures:
            raise self.failures.pop(0)
        batch = self.pending[: self.batch_size]
        if batch:
            await publish([to_record(event) for event in batch])
            del self.pending[: len(batch)]
        return len(batch)

    async def purge_published(self, older_than: timedelta) -> int:
        self.purges += 1
        if self.purge_error is not None:
            raise self.purge_error
        return 0

    async def close(self) -> None:
        self.closed = True


@dataclass
class FakeEventBroker:
    """Collects published records; each exception in `failures` fails one publish (broker down)."""

    records: list[EventRecord] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    async def __call__(self, records: Sequence[EventRecord]) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.records.extend(records)
