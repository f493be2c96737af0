"""The ping every group answers: proves the group consumes, reaches Postgres and replies."""

from contracts.commands.system import Ping
from contracts.envelope import Reply
from contracts.topics import Service
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from storage.uow import Transaction


def ping_spec(service: Service, group_id: str) -> HandlerSpec:
    async def ping(_: Ping, ctx: Context, tx: Transaction) -> Reply:
        # The transaction has already made one round trip (SET LOCAL), which is the point.
        return Reply.success(200, {"service": service, "group": group_id})

    return HandlerSpec(f"{service}.ping", Ping, ping, mode="query", auth="anonymous")
