"""The turn use case called directly on the real database, with test doubles behind the model
port: a failing provider, and turns of the same threads racing for the row lock."""

import asyncio
import uuid
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import Settings
from contracts.commands.conversations import CreateThread, RunTurn
from contracts.envelope import Envelope
from contracts.errors import DomainError, ErrorCode
from handlers.conversations.create_thread import create_thread
from handlers.conversations.llm import EchoModel, ModelRequest, ModelResponse, ProviderError
from handlers.conversations.turn import turn_handler
from handlers.runtime.authenticate import Authenticator
from handlers.runtime.context import Context
from handlers.runtime.dispatch import Dispatcher
from handlers.runtime.registry import HandlerSpec, Registry
from security.tokens import Principal
from storage.uow import UnitOfWork
from tests.integration.conversations.support import (
    assert_gap_free_exchanges,
    create_bot,
    last_seq,
    stored_messages,
    stored_turns,
)
from tests.support.callers import Caller, access_tokens


class FlakyModel:
    """Fails while `failing`, then answers as the echo model does."""

    name = "flaky"

    def __init__(self) -> None:
        self.failing = True
        self.calls = 0

    async def complete(self, request: ModelRequest) -> ModelResponse:
        self.calls += 1
        if self.failing:
            raise ProviderError("the provider is down")
        return await EchoModel().complete(request)


def context(
    caller: Caller, command_type: str, payload: dict[str, str], operation_id: str
) -> Context:
    """The context the runtime would build for this command (request hash included)."""
    envelope = Envelope(
        type=command_type, operation_id=operation_id, trace_id="t-direct", payload=payload
    )
    principal = Principal(caller.user_id, caller.workspace_id, caller.role, "jti-direct")
    return Context(
        command_type, operation_id, "t-direct", principal, envelope.request_hash(b"test-key")
    )


async def open_thread(uow: UnitOfWork, caller: Caller, bot_id: UUID) -> UUID:
    payload = {"bot_id": str(bot_id)}
    ctx = context(caller, "conversations.create_thread", payload, uuid.uuid4().hex)
    async with uow(caller.workspace_id) as tx:
        reply = await create_thread(CreateThread.model_validate(payload), ctx, tx)
    return UUID(reply.body["id"])


def turn_command(
    caller: Caller, thread_id: UUID, content: str, operation_id: str
) -> tuple[RunTurn, Context]:
    payload = {"thread_id": str(thread_id), "content": content}
    ctx = context(caller, "conversations.turn", payload, operation_id)
    return RunTurn.model_validate(payload), ctx


async def test_a_failed_model_call_is_recorded_and_the_same_operation_runs_again(
    db: AsyncEngine, caller: Caller
) -> None:
    uow = UnitOfWork(db)
    thread_id = await open_thread(uow, caller, await create_bot(db, caller.workspace_id))
    model = FlakyModel()
    run_turn = turn_handler(model)
    cmd, ctx = turn_command(caller, thread_id, "are you there?", "op-flaky")

    with pytest.raises(DomainError) as failure:
        await run_turn(cmd, ctx, uow)

    [failed] = await stored_turns(db, thread_id)
    assert (failure.value.code, failure.value.message) == (
        ErrorCode.UNAVAILABLE,
        "the model provider failed",
    )
    assert failure.value.details == {"turn_id": str(failed["id"])}
    assert (failed["status"], failed["model"], failed["error"]) == (
        "failed",
        "flaky",
        "the provider is down",
    )
    assert failed["operation_id"] == "op-flaky"
    assert failed["latency_ms"] >= 0 and failed["completed_at"] is not None
    assert (failed["prompt_tokens"], failed["completion_tokens"]) == (None, None)
    assert await stored_messages(db, thread_id) == []
    assert await last_seq(db, thread_id) == 0

    model.failing = False
    retried = await run_turn(cmd, ctx, uow)

    assert retried.ok and not retried.replayed
    assert retried.body["turn"]["status"] == "completed"
    assert retried.body["turn"]["id"] != str(failed["id"])
    assert [t["status"] for t in await stored_turns(db, thread_id)] == ["failed", "completed"]
    assert await stored_messages(db, thread_id) == [
        (1, "user", "are you there?"),
        (2, "assistant", "are you there?"),
    ]

    replayed = await run_turn(cmd, ctx, uow)

    assert replayed.replayed and replayed.body == retried.body
    assert model.calls == 2


async def test_the_runtime_answers_a_provider_failure_with_503_naming_the_turn(
    db: AsyncEngine, caller: Caller, settings: Settings
) -> None:
    uow = UnitOfWork(db)
    thread_id = await open_thread(uow, caller, await create_bot(db, caller.workspace_id))
    spec = HandlerSpec("conversations.turn", RunTurn, turn_handler(FlakyModel()), mode="custom")
    dispatch = Dispatcher(
        Registry([spec]), uow, Authenticator(access_tokens(settings)), b"test-key"
    )
    envelope = Envelope(
        type="conversations.turn",
        operation_id="op-503",
        trace_id="t-503",
        payload={"thread_id": str(thread_id), "content": "hello?"},
    )

    reply = await dispatch(envelope, caller.authorization)

    [failed] = await stored_turns(db, thread_id)
    assert reply.status == 503
    assert reply.error is not None
    assert (reply.error.code, reply.error.message) == (
        ErrorCode.UNAVAILABLE,
        "the model provider failed",
    )
    assert reply.error.details == {"turn_id": str(failed["id"])}


async def test_racing_turns_queue_per_thread_with_gap_free_alternating_seqs(
    db: AsyncEngine, caller: Caller
) -> None:
    uow = UnitOfWork(db)
    bot_id = await create_bot(db, caller.workspace_id)
    thread_ids = [await open_thread(uow, caller, bot_id) for _ in range(5)]
    run_turn = turn_handler(EchoModel())
    commands = [
        turn_command(caller, thread_id, f"turn {i}", uuid.uuid4().hex)
        for i in range(10)
        for thread_id in thread_ids
    ]

    replies = await asyncio.gather(*(run_turn(cmd, ctx, uow) for cmd, ctx in commands))

    assert [reply.status for reply in replies] == [200] * 50
    for thread_id in thread_ids:
        await assert_gap_free_exchanges(db, thread_id, turns=10)
