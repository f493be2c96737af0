"""`bots.list_versions` (ascending by number) and `bots.get_version`; a live bot's only."""

from contracts.commands.bots import BotVersion, BotVersionPage, GetVersion, ListVersions
from contracts.envelope import Reply
from handlers.bots.store import bot_number, load_version, versions_of
from handlers.runtime.context import Context
from storage.pagination import Keyset, fetch_page
from storage.schema.bots import bot_versions
from storage.uow import Transaction

BY_NUMBER = Keyset(bot_versions.c.number, bot_versions.c.id, "asc")


async def list_versions(cmd: ListVersions, ctx: Context, tx: Transaction) -> Reply:
    await bot_number(tx.conn, ctx.workspace_id, cmd.bot_id)
    query = versions_of(ctx.workspace_id, cmd.bot_id)
    rows, next_cursor = await fetch_page(tx.conn, query, BY_NUMBER, cmd.limit, cmd.cursor)
    items = [BotVersion.model_validate(r._mapping) for r in rows]
    return Reply.success(
        200, BotVersionPage(items=items, next_cursor=next_cursor).model_dump(mode="json")
    )


async def get_version(cmd: GetVersion, ctx: Context, tx: Transaction) -> Reply:
    await bot_number(tx.conn, ctx.workspace_id, cmd.bot_id)
    version = await load_version(tx.conn, ctx.workspace_id, cmd.bot_id, cmd.number)
    return Reply.success(200, version.model_dump(mode="json"))
