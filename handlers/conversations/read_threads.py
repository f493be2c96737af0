"""`conversations.get_thread` and `conversations.list_threads` (newest first).

Threads of a bot archived since stay listed and readable: they are the conversation's history.
"""

from sqlalchemy import select

from contracts.commands.conversations import GetThread, ListThreads, ThreadList
from contracts.envelope import Reply
from handlers.conversations.records import THREAD_COLUMNS, find_thread, to_thread
from handlers.runtime.context import Context
from storage.pagination import Keyset, fetch_page
from storage.schema.conversations import threads
from storage.uow import Transaction

NEWEST_FIRST = Keyset(threads.c.created_at, threads.c.id, "desc")


async def get_thread(cmd: GetThread, ctx: Context, tx: Transaction) -> Reply:
    thread = await find_thread(tx.conn, ctx.workspace_id, cmd.thread_id)
    return Reply.success(200, thread.model_dump(mode="json"))


async def list_threads(cmd: ListThreads, ctx: Context, tx: Transaction) -> Reply:
    query = select(*THREAD_COLUMNS).where(threads.c.workspace_id == ctx.workspace_id)
    if cmd.bot_id is not None:
        query = query.where(threads.c.bot_id == cmd.bot_id)
    rows, next_cursor = await fetch_page(tx.conn, query, NEWEST_FIRST, cmd.limit, cmd.cursor)
    page = ThreadList(items=[to_thread(r) for r in rows], next_cursor=next_cursor)
    return Reply.success(200, page.model_dump(mode="json"))
