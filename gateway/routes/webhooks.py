"""The webhook routes: signing secrets (workspace owner) and the signed inbound endpoint."""

from contracts.commands.webhooks import WebhookAccepted, WebhookSecret, WebhookSecretList
from gateway.routes.spec import RouteSpec

ROUTES: list[RouteSpec] = [
    RouteSpec(
        "POST",
        "/v1/webhooks/secrets",
        "webhooks.create_secret",
        "Mint a source's signing secret (shown once)",
        status=201,
        response=WebhookSecret,
        tag="webhooks",
        errors=(403,),
    ),
    RouteSpec(
        "GET",
        "/v1/webhooks/secrets",
        "webhooks.list_secrets",
        "List active signing secrets (without the secret)",
        response=WebhookSecretList,
        tag="webhooks",
        errors=(403,),
    ),
    RouteSpec(
        "DELETE",
        "/v1/webhooks/secrets/{secret_id}",
        "webhooks.delete_secret",
        "Revoke a signing secret",
        status=204,
        tag="webhooks",
        errors=(403,),
    ),
    RouteSpec(
        "POST",
        "/v1/webhooks/{workspace_id}/{source}",
        "webhooks.receive",
        "Receive a signed event (X-Event-Id, X-Signature: sha256=<hex HMAC of the raw body>)",
        status=202,
        auth=False,
        response=WebhookAccepted,
        tag="webhooks",
        raw_body=True,
        errors=(401,),
    ),
]
