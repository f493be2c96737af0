"""`auth.me`: the user, workspace and role behind the bearer token, read from the database.

A token whose user or workspace is gone (or who left the workspace) is refused with 401: the
token outlived what it stood for. An integration token answers with its creating owner as the
user (null once that user is gone) and the role `integration`.
"""

from contracts.commands.auth import Me, WhoAmI
from contracts.envelope import Reply
from contracts.errors import DomainError, ErrorCode
from handlers.auth import accounts
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from storage.uow import Transaction


def _gone() -> DomainError:
    return DomainError(ErrorCode.UNAUTHORIZED, "the token's account no longer exists")


async def me(cmd: Me, ctx: Context, tx: Transaction) -> Reply:
    principal = ctx.authenticated
    if principal.role == "integration":
        workspace = await accounts.workspace_info(tx.conn, principal.workspace_id)
        if workspace is None:
            raise _gone()
        user = await accounts.user_info(tx.conn, principal.user_id) if principal.user_id else None
        return Reply.success(
            200, WhoAmI(user=user, workspace=workspace, role="integration").model_dump(mode="json")
        )
    if principal.user_id is None:
        raise _gone()
    member = await accounts.membership(tx.conn, principal.user_id, principal.workspace_id)
    user = await accounts.user_info(tx.conn, principal.user_id)
    if member is None or user is None:
        raise _gone()
    body = WhoAmI(user=user, workspace=member.workspace, role=member.role)
    return Reply.success(200, body.model_dump(mode="json"))


def spec() -> HandlerSpec:
    return HandlerSpec("auth.me", Me, me, mode="query", auth="user")
