"""Turns an `sbi_...` integration token into a principal, for every consumer group.

    Authenticator(access_tokens, integrations=integration_verifier(engine))

The token is looked up by digest among live (non-revoked) tokens; the principal is the token's
workspace with role `integration`, acting for the owner who created it (`user_id`, None once
that user is gone). It runs before the command's own transaction, on a short one of its own.
"""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.auth import integration_store
from handlers.runtime.authenticate import IntegrationVerifier
from security.tokens import Principal, token_digest
from storage import rls


def integration_verifier(engine: AsyncEngine) -> IntegrationVerifier:
    async def verify(token: str) -> Principal | None:
        now = datetime.now(UTC)
        digest = token_digest(token)
        async with engine.begin() as conn:
            await rls.set_local(conn, rls.TOKEN_HASH, digest)
            row = await integration_store.find_live(conn, digest)
            if row is None:
                return None
            await rls.set_local(conn, rls.WORKSPACE, row.workspace_id)
            stale = (
                row.last_used_at is None
                or now - row.last_used_at >= integration_store.LAST_USED_RESOLUTION
            )
            if stale:
                await integration_store.touch(conn, row.id, now)
        return Principal(
            user_id=row.created_by,
            workspace_id=row.workspace_id,
            role="integration",
            token_id=str(row.id),
        )

    return verify
