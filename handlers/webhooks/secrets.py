"""Webhook signing secrets: minted by the workspace owner, listed without the secret, revoked."""

import uuid
from typing import Any

from sqlalchemy import func, insert, select, update

from contracts.commands.webhooks import (
    CreateWebhookSecret,
    DeleteWebhookSecret,
    ListWebhookSecrets,
    WebhookSecret,
    WebhookSecretInfo,
    WebhookSecretList,
)
from contracts.envelope import Reply
from contracts.errors import not_found
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from security.tokens import new_opaque_token
from storage.schema.webhooks import webhook_secrets as secrets
from storage.uow import Transaction


async def create_secret(cmd: CreateWebhookSecret, ctx: Context, tx: Transaction) -> Reply:
    row = {
        "id": uuid.uuid4(),
        "workspace_id": ctx.workspace_id,
        "source": cmd.source,
        "secret": new_opaque_token("whsec"),
        "created_by": ctx.user_id,
    }
    created = (await tx.conn.execute(insert(secrets).values(**row).returning(secrets))).one()
    await tx.audit.record(
        ctx.actor(),
        "webhook_secret.created",
        "webhook_secret",
        row["id"],
        {"after": {"source": cmd.source}},
    )
    return Reply.success(
        201, WebhookSecret.model_validate(created._mapping).model_dump(mode="json")
    )


def without_secret(reply: Reply) -> Reply:
    return reply.model_copy(update={"body": {k: v for k, v in reply.body.items() if k != "secret"}})


async def secret_again(stored: Reply, ctx: Context, tx: Transaction) -> Reply:
    """A retried create shows the secret it minted (it lives in `webhook_secrets` anyway)."""
    query = select(secrets.c.secret).where(
        secrets.c.id == uuid.UUID(stored.body["id"]), secrets.c.workspace_id == ctx.workspace_id
    )
    secret = (await tx.conn.execute(query)).scalar_one_or_none()
    body: dict[str, Any] = {**stored.body, "secret": secret} if secret else stored.body
    return stored.model_copy(update={"body": body})


async def list_secrets(_: ListWebhookSecrets, ctx: Context, tx: Transaction) -> Reply:
    query = (
        select(secrets.c.id, secrets.c.source, secrets.c.created_at)
        .where(secrets.c.workspace_id == ctx.workspace_id, secrets.c.revoked_at.is_(None))
        .order_by(secrets.c.created_at, secrets.c.id)
    )
    items = [WebhookSecretInfo.model_validate(row._mapping) for row in await tx.conn.execute(query)]
    return Reply.success(200, WebhookSecretList(items=items).model_dump(mode="json"))


async def delete_secret(cmd: DeleteWebhookSecret, ctx: Context, tx: Transaction) -> Reply:
    revoked = (
        await tx.conn.execute(
            update(secrets)
            .where(
                secrets.c.id == cmd.secret_id,
                secrets.c.workspace_id == ctx.workspace_id,
                secrets.c.revoked_at.is_(None),
            )
            .values(revoked_at=func.now())
            .returning(secrets.c.source)
        )
    ).one_or_none()
    if revoked is None:
        raise not_found("webhook secret", cmd.secret_id)
    changes = {"before": {"source": revoked.source, "revoked": False}, "after": {"revoked": True}}
    await tx.audit.record(
        ctx.actor(), "webhook_secret.revoked", "webhook_secret", cmd.secret_id, changes
    )
    return Reply.success(204)


def specs() -> list[HandlerSpec]:
    return [
        HandlerSpec(
            "webhooks.create_secret",
            CreateWebhookSecret,
            create_secret,
            auth="owner",
            redact=without_secret,
            on_replay=secret_again,
        ),
        HandlerSpec(
            "webhooks.list_secrets", ListWebhookSecrets, list_secrets, mode="query", auth="owner"
        ),
        HandlerSpec("webhooks.delete_secret", DeleteWebhookSecret, delete_secret, auth="owner"),
    ]
