"""The version numbering holds without the bus: concurrent transactions straight on Postgres.

Through the gateway one workspace's commands share a Kafka partition and run one at a time;
here 20 `set_instruction` transactions really overlap, so only the row lock keeps the numbers
gap-free and unique.
"""

import asyncio
import uuid

from aiohttp import ClientSession
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.commands.bots import SetInstruction
from handlers.bots.instruction import set_instruction
from handlers.runtime.context import Context
from security.tokens import Principal
from storage.schema.bots import bot_versions
from storage.uow import UnitOfWork
from tests.support.bots import create_bot
from tests.support.callers import Caller

PARALLEL = 20


def context(caller: Caller) -> Context:
    principal = Principal(caller.user_id, caller.workspace_id, caller.role, "test-jti")
    op = uuid.uuid4().hex
    return Context("bots.set_instruction", op, op, principal, request_hash=op)


async def test_overlapping_transactions_number_versions_without_gaps_or_duplicates(
    api: ClientSession, caller: Caller, db: AsyncEngine
) -> None:
    bot = await create_bot(api, caller, instruction="v1")
    uow = UnitOfWork(db)

    async def run(i: int) -> int:
        cmd = SetInstruction(bot_id=bot["id"], instruction=f"overlap {i}")
        async with uow(caller.workspace_id) as tx:
            reply = await set_instruction(cmd, context(caller), tx)
        assert reply.ok, reply
        number: int = reply.body["version"]["number"]
        return number

    numbers = await asyncio.gather(*(run(i) for i in range(PARALLEL)))
    assert sorted(numbers) == list(range(2, PARALLEL + 2))
    async with db.connect() as conn:
        stored = (
            await conn.execute(
                select(bot_versions.c.number)
                .where(bot_versions.c.bot_id == bot["id"])
                .order_by(bot_versions.c.number)
            )
        ).scalars()
        assert list(stored) == list(range(1, PARALLEL + 2))
