"""`analytics.usage`: the caller's usage per bucket and bot, from the analytics store.

A "custom" handler: it reads no Postgres at all, so it opens no transaction there (a usage
query must neither wait for nor hold a database connection). The workspace is the verified
principal's; nothing in the payload can name another.
"""

from contracts.commands.analytics import GetUsage, UsageItem, UsageReport
from contracts.envelope import Reply
from handlers.analytics.store_handle import StoreHandle
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from storage.analytics import UsageQuery
from storage.uow import UnitOfWork


def usage_spec(store: StoreHandle) -> HandlerSpec:
    async def usage(cmd: GetUsage, ctx: Context, _: UnitOfWork) -> Reply:
        query = UsageQuery(ctx.workspace_id, cmd.from_, cmd.to, cmd.bot_id, cmd.bucket)
        rows = await (await store.get()).usage(query)
        items = [UsageItem.model_validate(row, from_attributes=True) for row in rows]
        report = UsageReport(items=items, bucket=cmd.bucket, from_=cmd.from_, to=cmd.to)
        return Reply.success(200, report.model_dump(mode="json"))

    return HandlerSpec("analytics.usage", GetUsage, usage, mode="custom")
