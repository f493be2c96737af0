"""Webhook secrets and inbound events, served by the `auth` group (it owns credentials)."""

from handlers.deps import Deps
from handlers.runtime.registry import HandlerSpec
from handlers.webhooks import receive, secrets


def specs(deps: Deps) -> list[HandlerSpec]:
    return [*secrets.specs(), receive.spec(deps.redis)]
