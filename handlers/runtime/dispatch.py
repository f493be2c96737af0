"""From a decoded envelope to a reply: find the handler, check the payload and the caller, run it.

Everything the caller can get wrong ends here as an error reply. Anything else (a bug, a
database outage) propagates to the dead-letter middleware, which retries and then dead-letters.
"""

from pydantic import BaseModel, ValidationError

from contracts.envelope import Envelope, Reply
from contracts.errors import DomainError, ErrorCode
from contracts.validation import field_errors
from handlers.runtime.authenticate import Authenticator
from handlers.runtime.context import Context
from handlers.runtime.registry import CustomHandler, HandlerSpec, Registry, TxHandler
from security.tokens import Principal
from storage.uow import UnitOfWork


class Dispatcher:
    def __init__(
        self,
        registry: Registry,
        uow: UnitOfWork,
        authenticate: Authenticator,
        hash_key: bytes,
    ) -> None:
        self._registry = registry
        self._uow = uow
        self._authenticate = authenticate
        self._hash_key = hash_key

    async def __call__(self, envelope: Envelope, authorization: str | None) -> Reply:
        spec = self._registry.get(envelope.type)
        if spec is None:
            return Reply.failure(
                ErrorCode.VALIDATION_ERROR, "unknown command type", {"type": envelope.type}
            )
        try:
            payload = spec.payload.model_validate(envelope.payload)
            principal = await self._principal(spec, authorization)
            ctx = Context(
                envelope.type,
                envelope.operation_id,
                envelope.trace_id,
                principal,
                envelope.request_hash(self._hash_key),
            )
            return await self._run(spec, payload, ctx)
        except ValidationError as exc:
            return Reply.failure(
                ErrorCode.VALIDATION_ERROR, "the request is not valid", field_errors(exc)
            )
        except DomainError as exc:
            return Reply.from_error(exc)

    async def _principal(self, spec: HandlerSpec, authorization: str | None) -> Principal | None:
        if spec.auth == "anonymous":
            return None
        principal = await self._authenticate(authorization)
        if spec.auth == "owner" and principal.role != "owner":
            raise DomainError(ErrorCode.FORBIDDEN, "only the workspace owner may do this")
        return principal

    async def _run(self, spec: HandlerSpec, payload: BaseModel, ctx: Context) -> Reply:
        workspace_id = ctx.principal.workspace_id if ctx.principal else None
        if spec.mode == "custom":
            custom: CustomHandler = spec.handler  # type: ignore[assignment]
            return await custom(payload, ctx, self._uow)
        handler: TxHandler = spec.handler  # type: ignore[assignment]
        if spec.mode == "query":
            async with self._uow(workspace_id) as tx:
                return await handler(payload, ctx, tx)
        claim = ctx.claim(spec.scope(payload) if spec.scope else None)
        async with self._uow(workspace_id) as tx:
            stored = await tx.inbox.claim(claim)
            if stored is not None:
                return await spec.on_replay(stored, ctx, tx) if spec.on_replay else stored
            # Use cases report failures by raising DomainError, which rolls all of this back.
            reply = await handler(payload, ctx, tx)
            # The use case may have switched tenants (register); the claim is the command's own.
            await tx.act_for_workspace(claim.workspace_id)
            await tx.inbox.store(claim, spec.redact(reply) if spec.redact else reply)
        return reply
