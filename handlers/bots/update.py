"""`bots.update` (rename, redescribe) and `bots.archive`: each audited, with a domain event, when it
changes something."""

from sqlalchemy import func

from contracts.commands.bots import BotRef, UpdateBot
from contracts.envelope import Reply
from contracts.events import BotArchived, BotUpdated
from handlers.bots.changes import changed_fields
from handlers.bots.store import bot_number, load_bot, touch_bot
from handlers.runtime.context import Context
from storage.uow import Transaction


async def update_bot(cmd: UpdateBot, ctx: Context, tx: Transaction) -> Reply:
    """Fields equal to their current value are no change: nothing written, no audit entry, no
    event."""
    await bot_number(tx.conn, ctx.workspace_id, cmd.bot_id, lock=True)
    bot = await load_bot(tx.conn, ctx.workspace_id, cmd.bot_id)
    requested = cmd.model_dump(include={"name", "description"}, exclude_none=True)
    changes = changed_fields(bot.model_dump(), requested)
    if changes:
        await touch_bot(tx.conn, ctx.workspace_id, cmd.bot_id, **changes["after"])
        await tx.audit.record(ctx.actor(), "bot.updated", "bot", cmd.bot_id, changes=changes)
        await tx.outbox.add(ctx.event(BotUpdated(bot_id=cmd.bot_id, fields=list(changes["after"]))))
        bot = await load_bot(tx.conn, ctx.workspace_id, cmd.bot_id)
    return Reply.success(200, bot.model_dump(mode="json"))


async def archive_bot(cmd: BotRef, ctx: Context, tx: Transaction) -> Reply:
    """Archived, the bot is 404 everywhere and absent from lists; its rows stay for threads."""
    await bot_number(tx.conn, ctx.workspace_id, cmd.bot_id, lock=True)
    row = await touch_bot(tx.conn, ctx.workspace_id, cmd.bot_id, archived_at=func.now())
    changes = changed_fields({"archived_at": None}, {"archived_at": row["archived_at"].isoformat()})
    await tx.audit.record(ctx.actor(), "bot.archived", "bot", cmd.bot_id, changes=changes)
    await tx.outbox.add(ctx.event(BotArchived(bot_id=cmd.bot_id)))
    return Reply.success(204)
