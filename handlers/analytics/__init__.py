"""The `analytics` consumer group: domain events into the analytics store, usage queries out."""

from handlers.deps import Deps
from handlers.runtime.registry import HandlerSpec


def specs(deps: Deps) -> list[HandlerSpec]:
    return []
