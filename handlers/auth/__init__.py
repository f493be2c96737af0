"""The `auth` consumer group's use cases."""

from handlers.deps import Deps
from handlers.runtime.registry import HandlerSpec


def specs(deps: Deps) -> list[HandlerSpec]:
    return []
