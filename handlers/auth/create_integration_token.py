"""`auth.create_integration_token` (owner): mint an `sbi_...` token for one workspace.

The token is in this answer only; the database keeps its digest and the inbox a reply without
it. A replay of the operation answers the same token (id, name, created_at) with a freshly
minted secret that replaces the first one (which the caller never received, or must discard):
no second token is created. A replay after the token was revoked is 404.
"""

import uuid
from uuid import UUID

from contracts.commands.auth import CreateIntegrationToken, NewIntegrationToken
from contracts.envelope import Reply
from contracts.errors import not_found
from handlers.auth import integration_store
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from security.tokens import new_opaque_token, token_digest
from storage.uow import Transaction


async def create(cmd: CreateIntegrationToken, ctx: Context, tx: Transaction) -> Reply:
    token_id, token = uuid.uuid4(), new_opaque_token("sbi")
    created_at = await integration_store.insert_token(
        tx.conn, token_id, ctx.workspace_id, cmd.name, token_digest(token), ctx.user_id
    )
    await tx.audit.record(
        ctx.actor(), "integration_token.created", "integration_token", token_id, {"name": cmd.name}
    )
    body = NewIntegrationToken(id=token_id, name=cmd.name, token=token, created_at=created_at)
    return Reply.success(201, body.model_dump(mode="json"))


def redact_secret(reply: Reply) -> Reply:
    if not isinstance(reply.body, dict):
        return reply
    return reply.model_copy(update={"body": {k: v for k, v in reply.body.items() if k != "token"}})


async def replay(stored: Reply, ctx: Context, tx: Transaction) -> Reply:
    if not stored.ok or not isinstance(stored.body, dict):
        return stored
    token_id, token = UUID(stored.body["id"]), new_opaque_token("sbi")
    if not await integration_store.replace_secret(
        tx.conn, token_id, ctx.workspace_id, token_digest(token)
    ):
        raise not_found("integration token", token_id)
    return stored.model_copy(update={"body": {**stored.body, "token": token}})


def spec() -> HandlerSpec:
    return HandlerSpec(
        "auth.create_integration_token",
        CreateIntegrationToken,
        create,
        auth="owner",
        redact=redact_secret,
        on_replay=replay,
    )
