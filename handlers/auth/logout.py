"""`auth.logout`: revoke the family of the presented refresh token; 204 whatever it was.

Logging out with any token of a session ends the session (the family), used ones included. An
unknown, expired or already revoked token is answered 204 as well, like OAuth token revocation
(RFC 7009 §2.2): the caller's goal, that the token no longer works, holds either way.
"""

from contracts.commands.auth import Logout
from contracts.envelope import Reply
from handlers.auth import refresh_store
from handlers.auth.refresh import scope_of
from handlers.auth.sessions import utcnow
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from security.tokens import token_digest
from storage.uow import Transaction


async def logout(cmd: Logout, ctx: Context, tx: Transaction) -> Reply:
    digest = token_digest(cmd.refresh_token)
    await tx.present_token(digest)
    family = await refresh_store.family_of(tx.conn, digest)
    if family is not None:
        family_id, workspace_id = family
        await tx.act_for_workspace(workspace_id)
        await refresh_store.revoke_family(tx.conn, family_id, utcnow())
    return Reply.success(204)


def spec() -> HandlerSpec:
    return HandlerSpec(
        "auth.logout",
        Logout,
        logout,
        auth="anonymous",
        scope=lambda cmd: scope_of(token_digest(cmd.refresh_token)),
    )
