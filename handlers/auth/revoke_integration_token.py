"""`auth.revoke_integration_token` (owner): 204; the token is refused from then on.

An unknown id, another workspace's token or one already revoked is 404 (never 403).
"""

from contracts.commands.auth import RevokeIntegrationToken
from contracts.envelope import Reply
from contracts.errors import not_found
from handlers.auth import integration_store
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from storage.uow import Transaction


async def revoke(cmd: RevokeIntegrationToken, ctx: Context, tx: Transaction) -> Reply:
    name = await integration_store.revoke(tx.conn, cmd.token_id, ctx.workspace_id)
    if name is None:
        raise not_found("integration token", cmd.token_id)
    await tx.audit.record(
        ctx.actor(), "integration_token.revoked", "integration_token", cmd.token_id, {"name": name}
    )
    return Reply.success(204)


def spec() -> HandlerSpec:
    return HandlerSpec(
        "auth.revoke_integration_token", RevokeIntegrationToken, revoke, auth="owner"
    )
