"""Payloads of the webhook commands: per-workspace signing secrets and inbound events.

Served by the `auth` group, which owns credentials.
"""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.commands.common import Payload

SOURCE = Field(
    pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="The sending channel, e.g. `slack`."
)


class CreateWebhookSecret(Payload):
    """Mint the signing secret of one source; shown once."""

    source: str = SOURCE


class ListWebhookSecrets(Payload):
    """The workspace's active webhook secrets, without the secrets."""


class DeleteWebhookSecret(Payload):
    secret_id: UUID


class ReceiveWebhook(Payload):
    """An inbound event, as the gateway received it: the raw body and its signature."""

    workspace_id: UUID
    source: str = SOURCE
    event_id: str = Field(min_length=1, max_length=200, description="From the `X-Event-Id` header.")
    # May be empty: a missing signature is refused by the handler as 401, like a wrong one.
    signature: str = Field(
        max_length=200, description="`sha256=<hex HMAC-SHA256 of the raw body>`."
    )
    body: str = Field(max_length=1024 * 1024, description="The raw request body.")


class WebhookSecret(BaseModel):
    id: UUID
    source: str
    secret: str
    created_at: datetime


class WebhookSecretInfo(BaseModel):
    id: UUID
    source: str
    created_at: datetime


class WebhookSecretList(BaseModel):
    items: list[WebhookSecretInfo]


class WebhookAccepted(BaseModel):
    status: str = Field(description='"accepted", or "duplicate" for an event id seen before.')


PAYLOADS: dict[str, type[BaseModel]] = {
    "webhooks.create_secret": CreateWebhookSecret,
    "webhooks.list_secrets": ListWebhookSecrets,
    "webhooks.delete_secret": DeleteWebhookSecret,
    "webhooks.receive": ReceiveWebhook,
}
