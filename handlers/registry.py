"""Every command type and the use case that serves it, in one place."""

from collections.abc import Callable

from contracts.topics import Service, consumer_group
from handlers import analytics, auth, bots, conversations, webhooks
from handlers.deps import Deps
from handlers.runtime.registry import HandlerSpec, Registry
from handlers.system import ping_spec

SERVICE_SPECS: dict[Service, Callable[[Deps], list[HandlerSpec]]] = {
    "auth": lambda deps: [*auth.specs(deps), *webhooks.specs(deps)],
    "bots": bots.specs,
    "conversations": conversations.specs,
    "analytics": analytics.specs,
}


def build_registry(service: Service, deps: Deps) -> Registry:
    group = consumer_group(service, deps.settings.topic_prefix)
    return Registry([ping_spec(service, group), *SERVICE_SPECS[service](deps)])
