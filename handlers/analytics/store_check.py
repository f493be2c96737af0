"""`analytics.store_check`: the group's store answers, with its schema in place.

`switchboard infra check` asks this over the bus when the store is an embedded one that this
group holds open (no other process may open it). Anonymous, like the ping, and saying no more
than the ping does: the backend's name and whether it answers, never a path, a URL or a count.
A failing store is a normal 503 reply, not a dead letter: a health probe is not a lost command.
"""

import structlog

from contracts.commands.analytics import StoreCheck, StoreStatus
from contracts.envelope import Reply
from contracts.errors import ErrorCode
from handlers.analytics.store_handle import StoreHandle
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from storage.uow import UnitOfWork

log = structlog.get_logger("analytics")


def store_check_spec(store: StoreHandle) -> HandlerSpec:
    async def store_check(_: StoreCheck, ctx: Context, uow: UnitOfWork) -> Reply:
        try:
            opened = await store.get()
            await opened.ping()
        except Exception as exc:
            log.warning("store_check_failed", error=type(exc).__name__, message=str(exc)[:300])
            return Reply.failure(
                ErrorCode.UNAVAILABLE, f"the analytics store failed: {type(exc).__name__}"
            )
        status = StoreStatus(backend=opened.backend, detail="answers; schema in place")
        return Reply.success(200, status.model_dump())

    return HandlerSpec(
        "analytics.store_check", StoreCheck, store_check, mode="custom", auth="anonymous"
    )
