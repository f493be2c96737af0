"""`conversations.list_messages`: a thread's messages in conversation order (`seq` ascending)."""

from sqlalchemy import select

from contracts.commands.conversations import ListThreadMessages, ThreadMessageList
from contracts.envelope import Reply
from handlers.conversations.records import MESSAGE_COLUMNS, find_thread, to_message
from handlers.runtime.context import Context
from storage.pagination import Keyset, fetch_page
from storage.schema.conversations import messages
from storage.uow import Transaction

IN_ORDER = Keyset(messages.c.seq, messages.c.id, "asc")


async def list_messages(cmd: ListThreadMessages, ctx: Context, tx: Transaction) -> Reply:
    # Checked first so that another workspace's thread is 404, not an empty page.
    await find_thread(tx.conn, ctx.workspace_id, cmd.thread_id)
    query = select(*MESSAGE_COLUMNS).where(
        messages.c.thread_id == cmd.thread_id, messages.c.workspace_id == ctx.workspace_id
    )
    rows, next_cursor = await fetch_page(tx.conn, query, IN_ORDER, cmd.limit, cmd.cursor)
    page = ThreadMessageList(items=[to_message(r) for r in rows], next_cursor=next_cursor)
    return Reply.success(200, page.model_dump(mode="json"))
