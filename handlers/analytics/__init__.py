"""The `analytics` consumer group: domain events into the analytics store, usage queries out.

Two consumers in one process, which owns the store (an embedded chDB can be open in only one
process): the sink (`sink.py`, on the `events` topic, wired by `handlers.app`) and the command
handlers below (on `analytics.commands`, through the shared runtime).
"""

from handlers.analytics.store_check import store_check_spec
from handlers.analytics.store_handle import StoreHandle
from handlers.analytics.usage import usage_spec
from handlers.deps import Deps
from handlers.runtime.registry import HandlerSpec


def specs(deps: Deps) -> list[HandlerSpec]:
    store = StoreHandle(deps.settings)
    return [usage_spec(store), store_check_spec(store)]
