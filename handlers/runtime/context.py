"""What a use case knows about the command it runs, beyond the payload."""

from dataclasses import dataclass
from uuid import UUID

from contracts.events import DomainEvent, EventData
from security.tokens import Principal
from storage.audit import AuditActor
from storage.inbox import Claim


@dataclass(frozen=True)
class Context:
    command_type: str
    operation_id: str
    trace_id: str
    principal: Principal | None
    # Hash of type + payload as sent: what makes a retry "the same request" (see Envelope).
    request_hash: str

    @property
    def workspace_id(self) -> UUID:
        return self.authenticated.workspace_id

    @property
    def user_id(self) -> UUID | None:
        return self.authenticated.user_id

    @property
    def authenticated(self) -> Principal:
        if self.principal is None:
            raise RuntimeError(f"{self.command_type} runs without a principal")
        return self.principal

    def claim(self, scope: str | None = None) -> Claim:
        """The inbox claim of this command; scoped to the workspace unless told otherwise."""
        workspace_id = self.principal.workspace_id if self.principal else None
        return Claim(
            scope=scope or f"ws:{workspace_id}",
            operation_id=self.operation_id,
            request_hash=self.request_hash,
            command_type=self.command_type,
            workspace_id=workspace_id,
        )

    def event(self, data: EventData, workspace_id: UUID | None = None) -> DomainEvent:
        """A domain event of this command (anonymous ones, like register, name their workspace)."""
        return DomainEvent.of(
            data,
            workspace_id or self.workspace_id,
            operation_id=self.operation_id,
            trace_id=self.trace_id,
            actor_user_id=self.principal.user_id if self.principal else None,
        )

    def actor(self, workspace_id: UUID | None = None, user_id: UUID | None = None) -> AuditActor:
        """The audit actor; anonymous commands (register) name the workspace and user they made."""
        return AuditActor(
            workspace_id=workspace_id or self.workspace_id,
            user_id=user_id or (self.principal.user_id if self.principal else None),
            operation_id=self.operation_id,
            trace_id=self.trace_id,
        )
