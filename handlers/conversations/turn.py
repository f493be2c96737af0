"""`conversations.turn`: one user message in, the model's answer out, in thread order.

A turn is ONE transaction: claim the operation id, lock the thread row (turns of one thread
queue there; other threads run in parallel), take the next two seqs from `threads.last_seq`,
call the model, write the turn record, both messages and their events (`message.created`
twice, `turn.completed`), store the reply, commit. So seqs have no gaps and user and assistant
messages alternate, whatever the concurrency.

The model call holds the thread lock and a pooled connection while it runs. That costs
nothing with the instant echo model; a remote provider taking seconds would instead commit a
`pending` turn holding its seqs, call the model outside any transaction, and complete the turn
in a second one.

A provider failure rolls all of it back, the operation id included (so a retry runs again
rather than replaying the failure), then records the `failed` turn and its `turn.failed` event
in a transaction of its own and answers 503 UNAVAILABLE naming the turn.

A thread whose bot has since been archived takes no more turns (404 naming the bot); its
history stays readable.
"""

import time
import uuid

from contracts.commands.conversations import RunTurn, TurnResult, TurnSummary
from contracts.envelope import Reply
from contracts.errors import DomainError, ErrorCode
from handlers.conversations.llm import LLMProvider, ModelRequest, ModelResponse, ProviderError
from handlers.conversations.prompt import HISTORY_WINDOW, build_request
from handlers.conversations.records import to_message
from handlers.conversations.turn_events import completed_turn_events, failed_turn_event
from handlers.conversations.turn_store import (
    TurnRecord,
    append_exchange,
    insert_completed_turn,
    insert_failed_turn,
    lock_thread,
    recent_history,
)
from handlers.runtime.context import Context
from handlers.runtime.registry import CustomHandler
from storage.uow import Transaction, UnitOfWork


class _ModelFailed(Exception):
    """Carries a failed model call out of the transaction it rolls back."""

    def __init__(self, turn: TurnRecord, model: str, latency_ms: int, error: str) -> None:
        super().__init__(error)
        self.turn, self.model, self.latency_ms, self.error = turn, model, latency_ms, error


def turn_handler(provider: LLMProvider) -> CustomHandler:
    """The use case bound to the process's model provider (mode "custom": it owns idempotency)."""

    async def run_turn(cmd: RunTurn, ctx: Context, uow: UnitOfWork) -> Reply:
        try:
            async with uow(ctx.workspace_id) as tx:
                if (stored := await tx.inbox.claim(ctx.claim())) is not None:
                    return stored
                reply = await _complete_turn(cmd, ctx, tx, provider)
                await tx.inbox.store(ctx.claim(), reply)
                return reply
        except _ModelFailed as failed:
            async with uow(ctx.workspace_id) as tx:
                await insert_failed_turn(
                    tx.conn, failed.turn, failed.model, failed.latency_ms, failed.error
                )
                failure = failed_turn_event(
                    failed.turn, failed.model, failed.latency_ms, failed.error
                )
                await tx.outbox.add(ctx.event(failure))
            raise DomainError(
                ErrorCode.UNAVAILABLE, "the model provider failed", {"turn_id": str(failed.turn.id)}
            ) from failed

    return run_turn


async def _complete_turn(
    cmd: RunTurn, ctx: Context, tx: Transaction, provider: LLMProvider
) -> Reply:
    thread = await lock_thread(tx.conn, ctx.workspace_id, cmd.thread_id)
    turn = TurnRecord(
        uuid.uuid4(),
        ctx.workspace_id,
        thread.id,
        thread.bot_id,
        thread.bot_version,
        ctx.operation_id,
    )
    history = await recent_history(tx.conn, turn, HISTORY_WINDOW)
    request = build_request(thread.instruction, history, cmd.content)
    response, latency_ms = await _call_model(provider, request, turn)
    summary = await insert_completed_turn(tx.conn, turn, response, latency_ms)
    user, assistant = await append_exchange(
        tx.conn, turn, thread.last_seq, cmd.content, response.text
    )
    events = completed_turn_events(turn, response, latency_ms, (user, assistant))
    await tx.outbox.add(*(ctx.event(data) for data in events))
    result = TurnResult(
        turn=TurnSummary.model_validate(summary._mapping),
        user_message=to_message(user),
        assistant_message=to_message(assistant),
    )
    return Reply.success(200, result.model_dump(mode="json"))


async def _call_model(
    provider: LLMProvider, request: ModelRequest, turn: TurnRecord
) -> tuple[ModelResponse, int]:
    started = time.perf_counter()
    try:
        response = await provider.complete(request)
    except ProviderError as exc:
        raise _ModelFailed(turn, provider.name, _ms_since(started), str(exc) or repr(exc)) from exc
    return response, _ms_since(started)


def _ms_since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
