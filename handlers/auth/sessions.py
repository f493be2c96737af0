"""Minting token pairs, and keeping them out of the idempotency inbox.

A pair is a signed access token plus a fresh opaque refresh token (`sbr_...`), whose digest is
stored in `refresh_tokens`. Replies carrying tokens are stored redacted; a replayed register or
login is answered with the stored user and workspace and a freshly minted pair (a new family).
"""

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from contracts.commands.auth import AuthSession, TokenPair, UserInfo, WorkspaceInfo
from contracts.envelope import Reply
from contracts.errors import DomainError, ErrorCode
from handlers.auth import accounts, refresh_store
from handlers.auth.refresh_store import Lineage
from handlers.runtime.context import Context
from security.tokens import AccessTokens, Role, new_opaque_token, token_digest
from storage.uow import Transaction

Replay = Callable[[Reply, Context, Transaction], Awaitable[Reply]]
TOKEN_FIELDS = ("access_token", "refresh_token")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Issuer:
    def __init__(self, access_tokens: AccessTokens, refresh_ttl_s: int) -> None:
        self._access = access_tokens
        self._refresh_ttl = timedelta(seconds=refresh_ttl_s)

    async def new_family(
        self, tx: Transaction, user_id: UUID, workspace_id: UUID, role: Role
    ) -> TokenPair:
        """A login: a new family whose absolute lifetime starts now."""
        now = utcnow()
        lineage = Lineage(uuid.uuid4(), None, now + self._refresh_ttl)
        return await self.issue(tx, user_id, workspace_id, role, lineage, now)

    async def issue(
        self,
        tx: Transaction,
        user_id: UUID,
        workspace_id: UUID,
        role: Role,
        lineage: Lineage,
        now: datetime,
    ) -> TokenPair:
        refresh_token = new_opaque_token("sbr")
        digest = token_digest(refresh_token)
        await refresh_store.insert_token(tx.conn, digest, user_id, workspace_id, lineage, now)
        return TokenPair(
            access_token=self._access.issue(user_id, workspace_id, role, now.timestamp()),
            refresh_token=refresh_token,
            expires_in=self._access.ttl_s,
        )


def session(pair: TokenPair, user: UserInfo, workspace: WorkspaceInfo) -> dict[str, Any]:
    """The register/login body."""
    return AuthSession(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        user=user,
        workspace=workspace,
    ).model_dump(mode="json")


def redact_tokens(reply: Reply) -> Reply:
    """The reply as the inbox keeps it: without the access and refresh tokens."""
    if not isinstance(reply.body, dict):
        return reply
    body = {k: v for k, v in reply.body.items() if k not in TOKEN_FIELDS}
    return reply.model_copy(update={"body": body})


def replay_session(issuer: Issuer) -> Replay:
    """A replayed register/login: the same user and workspace, a freshly minted pair."""

    async def replay(stored: Reply, ctx: Context, tx: Transaction) -> Reply:
        if not stored.ok or not isinstance(stored.body, dict):
            return stored
        user_id = UUID(stored.body["user"]["id"])
        workspace_id = UUID(stored.body["workspace"]["id"])
        await tx.act_for_workspace(workspace_id)
        member = await accounts.membership(tx.conn, user_id, workspace_id)
        if member is None:
            raise DomainError(ErrorCode.UNAUTHORIZED, "the account no longer has this workspace")
        pair = await issuer.new_family(tx, user_id, workspace_id, member.role)
        body = {**stored.body, **pair.model_dump(mode="json")}
        return Reply(ok=True, status=stored.status, body=body, replayed=True)

    return replay
