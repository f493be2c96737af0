"""In-memory stand-ins for the unit of work: same interface, dicts instead of Postgres."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from contracts.envelope import Reply
from contracts.errors import DomainError, ErrorCode
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
