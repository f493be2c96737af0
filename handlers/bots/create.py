"""`bots.create`: a bot and its version 1, audited as `bot.created`; events `bot.created` and
`bot.version_created` (number 1)."""

from uuid import uuid4

from sqlalchemy import insert

from contracts.commands.bots import CreateBot
from contracts.envelope import Reply
from contracts.events import BotCreated, BotVersionCreated
from handlers.bots.store import add_version, load_bot
from handlers.runtime.context import Context
from storage.schema.bots import bots
from storage.uow import Transaction


async def create_bot(cmd: CreateBot, ctx: Context, tx: Transaction) -> Reply:
    bot_id = uuid4()
    await tx.conn.execute(
        insert(bots).values(
            id=bot_id,
            workspace_id=ctx.workspace_id,
            name=cmd.name,
            description=cmd.description,
            current_version=1,
            created_by=ctx.user_id,
        )
    )
    await add_version(tx.conn, ctx, bot_id, 1, cmd.instruction, {})
    after = {"name": cmd.name, "description": cmd.description, "current_version": 1}
    await tx.audit.record(ctx.actor(), "bot.created", "bot", bot_id, changes={"after": after})
    await tx.outbox.add(
        ctx.event(BotCreated(bot_id=bot_id, name=cmd.name)),
        ctx.event(BotVersionCreated(bot_id=bot_id, number=1)),
    )
    bot = await load_bot(tx.conn, ctx.workspace_id, bot_id)
    return Reply.success(201, bot.model_dump(mode="json"))
