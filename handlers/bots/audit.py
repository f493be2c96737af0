"""`audit.list`: the caller's workspace's audit entries, newest first."""

from sqlalchemy import select

from contracts.commands.bots import AuditEntry, AuditEntryPage, ListAudit
from contracts.envelope import Reply
from handlers.runtime.context import Context
from storage.pagination import Keyset, fetch_page
from storage.schema.spine import audit_log
from storage.uow import Transaction

NEWEST_FIRST = Keyset(audit_log.c.created_at, audit_log.c.id, "desc")


async def list_audit(cmd: ListAudit, ctx: Context, tx: Transaction) -> Reply:
    query = select(audit_log).where(audit_log.c.workspace_id == ctx.workspace_id)
    if cmd.resource_type is not None:
        query = query.where(audit_log.c.resource_type == cmd.resource_type)
    if cmd.resource_id is not None:
        query = query.where(audit_log.c.resource_id == cmd.resource_id)
    rows, next_cursor = await fetch_page(tx.conn, query, NEWEST_FIRST, cmd.limit, cmd.cursor)
    items = [AuditEntry.model_validate(r._mapping) for r in rows]
    return Reply.success(
        200, AuditEntryPage(items=items, next_cursor=next_cursor).model_dump(mode="json")
    )
