"""`bots.set_instruction`: instructions are immutable, numbered versions."""

from contracts.commands.bots import BotVersion, BotWithVersion, SetInstruction
from contracts.envelope import Reply
from contracts.events import BotVersionCreated
from handlers.bots.changes import changed_fields
from handlers.bots.store import add_version, bot_number, load_bot, load_version, touch_bot
from handlers.runtime.context import Context
from storage.uow import Transaction


async def set_instruction(cmd: SetInstruction, ctx: Context, tx: Transaction) -> Reply:
    """Version previous + 1 with the instruction and config (omitted: the current config).

    The bot row is locked first, so concurrent calls number their versions one after another,
    without gaps or duplicates. An instruction and config identical to the current version's
    are no change: no version, no audit entry, no event, and the reply carries the current
    version.
    """
    number = await bot_number(tx.conn, ctx.workspace_id, cmd.bot_id, lock=True)
    current = await load_version(tx.conn, ctx.workspace_id, cmd.bot_id, number)
    config = current.config if cmd.config is None else cmd.config
    if (cmd.instruction, config) == (current.instruction, current.config):
        version = current
    else:
        version = await _next_version(cmd, ctx, tx, current.number, config)
    bot = await load_bot(tx.conn, ctx.workspace_id, cmd.bot_id)
    return Reply.success(200, BotWithVersion(bot=bot, version=version).model_dump(mode="json"))


async def _next_version(
    cmd: SetInstruction, ctx: Context, tx: Transaction, previous: int, config: dict[str, object]
) -> BotVersion:
    version = await add_version(tx.conn, ctx, cmd.bot_id, previous + 1, cmd.instruction, config)
    await touch_bot(tx.conn, ctx.workspace_id, cmd.bot_id, current_version=version.number)
    changes = changed_fields({"current_version": previous}, {"current_version": version.number})
    await tx.audit.record(
        ctx.actor(), "bot.instruction_updated", "bot", cmd.bot_id, changes=changes
    )
    await tx.outbox.add(ctx.event(BotVersionCreated(bot_id=cmd.bot_id, number=version.number)))
    return version
