"""`auth.refresh`: refresh token rotation with reuse detection (RFC 9700 §4.14.2).

The presented token's row is locked and judged (`refresh_rules.judge`). A good token is marked
used and a new pair is issued in its family (parent = the presented token), expiring when the
family does. A used token revokes the whole family and answers 401 `REFRESH_TOKEN_REUSED`; that
answer is returned rather than raised, so the revocation commits with it.

Replays (same operation id, same token). Tokens are never stored, so the first answer cannot be
repeated; the inbox keeps only the digest of the refresh token the first attempt issued, and a
replay supersedes that pair:
- still unused (the client never got the answer, e.g. the gateway timed out): it is marked used,
  a sibling pair (same parent, same family) is returned with `Idempotent-Replayed: true`, and the
  inbox now points at the sibling, so the operation can be replayed again;
- used meanwhile (the client did get the answer and went on): the replay is one more
  presentation of a used token, i.e. reuse: the family is revoked, 401 `REFRESH_TOKEN_REUSED`.
Either way only one party can continue a family: whoever holds a superseded token and presents
it triggers reuse detection.
"""

from datetime import datetime

import structlog

from contracts.commands.auth import Refresh, TokenPair
from contracts.envelope import Reply
from handlers.auth import accounts, refresh_store
from handlers.auth.refresh_rules import Verdict, judge, refusal
from handlers.auth.refresh_store import Lineage, StoredToken
from handlers.auth.sessions import TOKEN_FIELDS, Issuer, utcnow
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from security.tokens import token_digest
from storage.uow import Transaction

log = structlog.get_logger("auth")
ISSUED_DIGEST = "refresh_token_digest"


def scope_of(digest: str) -> str:
    """Refresh and logout operation ids are scoped to the token presented."""
    return f"refresh_token:{digest}"


def redact_rotation(reply: Reply) -> Reply:
    """Stored instead of the pair: the digest of the issued refresh token (not a secret)."""
    if not reply.ok or not isinstance(reply.body, dict):
        return reply
    body = {k: v for k, v in reply.body.items() if k not in TOKEN_FIELDS}
    body[ISSUED_DIGEST] = token_digest(reply.body["refresh_token"])
    return reply.model_copy(update={"body": body})


async def reused(tx: Transaction, token: StoredToken, now: datetime) -> Reply:
    log.warning("refresh_token_reused", family_id=str(token.family_id), user_id=str(token.user_id))
    await refresh_store.revoke_family(tx.conn, token.family_id, now)
    return Reply.from_error(refusal(Verdict.REUSED))


async def find(tx: Transaction, digest: str) -> StoredToken | None:
    """Lock the token whose secret was presented, then act for its workspace."""
    await tx.present_token(digest)
    token = await refresh_store.lock(tx.conn, digest)
    if token is not None:
        await tx.act_for_workspace(token.workspace_id)
    return token


def spec(issuer: Issuer) -> HandlerSpec:
    async def rotate(tx: Transaction, token: StoredToken, lineage: Lineage, now: datetime) -> Reply:
        member = await accounts.membership(tx.conn, token.user_id, token.workspace_id)
        if member is None:
            raise refusal(Verdict.REVOKED)
        await refresh_store.mark_used(tx.conn, token.id, now)
        pair: TokenPair = await issuer.issue(
            tx, token.user_id, token.workspace_id, member.role, lineage, now
        )
        return Reply.success(200, pair.model_dump(mode="json"))

    async def refresh(cmd: Refresh, ctx: Context, tx: Transaction) -> Reply:
        now = utcnow()
        token = await find(tx, token_digest(cmd.refresh_token))
        verdict = judge(token, now)
        if token is not None and verdict is Verdict.REUSED:
            return await reused(tx, token, now)
        if token is None or verdict is not Verdict.ROTATE:
            raise refusal(verdict)
        return await rotate(tx, token, token.child(), now)

    async def replay(stored: Reply, ctx: Context, tx: Transaction) -> Reply:
        if not stored.ok or not isinstance(stored.body, dict):
            return stored
        now = utcnow()
        issued = await find(tx, stored.body[ISSUED_DIGEST])
        verdict = judge(issued, now)
        if issued is not None and verdict is Verdict.REUSED:
            reply = await reused(tx, issued, now)
        elif issued is None or issued.parent_id is None or verdict is not Verdict.ROTATE:
            raise refusal(verdict)
        else:
            reply = await rotate(tx, issued, issued.sibling(), now)
            presented = await refresh_store.digest_of(tx.conn, issued.parent_id)
            if presented is not None:
                await tx.act_for_workspace(None)  # the inbox row of an anonymous command
                await tx.inbox.store(ctx.claim(scope_of(presented)), redact_rotation(reply))
        return reply.model_copy(update={"replayed": True})

    return HandlerSpec(
        "auth.refresh",
        Refresh,
        refresh,
        auth="anonymous",
        scope=lambda cmd: scope_of(token_digest(cmd.refresh_token)),
        redact=redact_rotation,
        on_replay=replay,
    )
