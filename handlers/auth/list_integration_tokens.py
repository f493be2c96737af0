"""`auth.list_integration_tokens` (owner): live tokens, newest first, keyset-paginated; no secrets."""

from contracts.commands.auth import IntegrationToken, IntegrationTokenPage, ListIntegrationTokens
from contracts.envelope import Reply
from handlers.auth import integration_store
from handlers.runtime.context import Context
from handlers.runtime.registry import HandlerSpec
from storage.pagination import Keyset, fetch_page
from storage.schema.auth import integration_tokens as it
from storage.uow import Transaction

NEWEST_FIRST = Keyset(it.c.created_at, it.c.id, "desc")


async def list_tokens(cmd: ListIntegrationTokens, ctx: Context, tx: Transaction) -> Reply:
    rows, next_cursor = await fetch_page(
        tx.conn, integration_store.live(ctx.workspace_id), NEWEST_FIRST, cmd.limit, cmd.cursor
    )
    items = [IntegrationToken.model_validate(row._mapping) for row in rows]
    page = IntegrationTokenPage(items=items, next_cursor=next_cursor)
    return Reply.success(200, page.model_dump(mode="json"))


def spec() -> HandlerSpec:
    return HandlerSpec(
        "auth.list_integration_tokens",
        ListIntegrationTokens,
        list_tokens,
        mode="query",
        auth="owner",
    )
