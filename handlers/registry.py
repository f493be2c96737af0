"""Every command type and the use case that serves it, in one place."""

from dataclasses import dataclass

from config.settings import Settings
from contracts.topics import Service, consumer_group
from handlers.runtime.registry import HandlerSpec, Registry
from handlers.system import ping_spec
from security.tokens import AccessTokens


@dataclass(frozen=True)
class Deps:
    """Adapters the use cases need beyond their transaction."""

    settings: Settings
    access_tokens: AccessTokens


def service_specs(service: Service, deps: Deps) -> list[HandlerSpec]:
    by_service: dict[Service, list[HandlerSpec]] = {
        "auth": [],
        "bots": [],
        "conversations": [],
    }
    return by_service[service]


def build_registry(service: Service, deps: Deps) -> Registry:
    group = consumer_group(service, deps.settings.topic_prefix)
    return Registry([ping_spec(service, group), *service_specs(service, deps)])
