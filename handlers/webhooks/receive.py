"""Inbound webhook events: verified by signature, stored once per (workspace, source, event id).

Anonymous by nature: the signature is the credential. It is checked against the secrets of the
workspace and source named in the path before anything is stored, so a forged request leaves
no trace. Duplicates are caught fast by Redis and for sure by the unique key in Postgres; the
Redis mark is written only after the commit, so a failed attempt never shadows a retry.
"""

import uuid
from dataclasses import dataclass

import orjson
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from contracts.commands.webhooks import ReceiveWebhook
from contracts.envelope import Reply
from contracts.errors import DomainError, ErrorCode
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from handlers.webhooks.signature import signed_by
from storage.schema.webhooks import webhook_events as events
from storage.schema.webhooks import webhook_secrets as secrets
from storage.uow import UnitOfWork

SEEN_TTL_S = 7 * 24 * 3600


@dataclass(frozen=True)
class ReceiveWebhookHandler:
    redis: Redis

    async def __call__(self, cmd: ReceiveWebhook, ctx: Context, uow: UnitOfWork) -> Reply:
        seen_key = f"webhook:{cmd.workspace_id}:{cmd.source}:{cmd.event_id}"
        async with uow(cmd.workspace_id) as tx:
            active = select(secrets.c.secret).where(
                secrets.c.workspace_id == cmd.workspace_id,
                secrets.c.source == cmd.source,
                secrets.c.revoked_at.is_(None),
            )
            keys = list((await tx.conn.execute(active)).scalars())
            if not signed_by(keys, cmd.body.encode(), cmd.signature):
                raise DomainError(ErrorCode.UNAUTHORIZED, "the webhook signature does not match")
            if await self.redis.exists(seen_key):
                return accepted("duplicate")
            stored = await tx.conn.execute(
                insert(events)
                .values(
                    id=uuid.uuid4(),
                    workspace_id=cmd.workspace_id,
                    source=cmd.source,
                    event_id=cmd.event_id,
                    body=_json_or_none(cmd.body),
                    raw_body=cmd.body,
                    trace_id=ctx.trace_id,
                )
                .on_conflict_do_nothing(index_elements=["workspace_id", "source", "event_id"])
                .returning(events.c.id)
            )
            status = "accepted" if stored.first() is not None else "duplicate"
        await self.redis.set(seen_key, 1, ex=SEEN_TTL_S)
        return accepted(status)


def accepted(status: str) -> Reply:
    return Reply.success(202, {"status": status})


def _json_or_none(body: str) -> object:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


def spec(redis: Redis) -> HandlerSpec:
    return HandlerSpec(
        "webhooks.receive",
        ReceiveWebhook,
        ReceiveWebhookHandler(redis),
        mode="custom",
        auth="anonymous",
    )
