"""`bots.get` and `bots.list` (newest first, keyset-paginated)."""

from contracts.commands.bots import Bot, BotPage, BotRef, ListBots
from contracts.envelope import Reply
from handlers.bots.store import live_bots, load_bot
from handlers.runtime.context import Context
from storage.pagination import Keyset, fetch_page
from storage.schema.bots import bots
from storage.uow import Transaction

NEWEST_FIRST = Keyset(bots.c.created_at, bots.c.id, "desc")


async def get_bot(cmd: BotRef, ctx: Context, tx: Transaction) -> Reply:
    bot = await load_bot(tx.conn, ctx.workspace_id, cmd.bot_id)
    return Reply.success(200, bot.model_dump(mode="json"))


async def list_bots(cmd: ListBots, ctx: Context, tx: Transaction) -> Reply:
    rows, next_cursor = await fetch_page(
        tx.conn, live_bots(ctx.workspace_id), NEWEST_FIRST, cmd.limit, cmd.cursor
    )
    page = BotPage(items=[Bot.model_validate(r._mapping) for r in rows], next_cursor=next_cursor)
    return Reply.success(200, page.model_dump(mode="json"))
