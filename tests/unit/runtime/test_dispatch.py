"""The dispatcher with an in-memory unit of work: validation, auth, inbox, error replies."""

import uuid
from typing import Any

import pytest
from pydantic import Field

from contracts.commands.common import Payload
from contracts.envelope import Envelope, Reply
from contracts.errors import DomainError, ErrorCode
from handlers.runtime.authenticate import Authenticator
from handlers.runtime.context import Context
from handlers.runtime.dispatch import Dispatcher
from handlers.runtime.registry import HandlerSpec, Registry
from security.tokens import AccessTokens
from tests.unit.runtime.fakes import FakeTransaction, FakeUnitOfWork

TOKENS = AccessTokens("unit-test-secret-0123456789abcdef0123456789", "iss", "aud", 60)


class Note(Payload):
    text: str = Field(min_length=1, max_length=10)


async def add_note(cmd: Note, ctx: Context, tx: FakeTransaction) -> Reply:
    if cmd.text == "boom":
        raise DomainError(ErrorCode.CONFLICT, "no booms")
    tx.effects.append((ctx.workspace_id, cmd.text))
    return Reply.success(201, {"text": cmd.text})


def dispatcher(uow: FakeUnitOfWork, **spec: Any) -> Dispatcher:
    registry = Registry([HandlerSpec("notes.add", Note, add_note, **spec)])
    return Dispatcher(registry, uow, Authenticator(TOKENS), b"unit-key")


def envelope(payload: dict[str, Any], operation_id: str = "op-1") -> Envelope:
    return Envelope(
        type="notes.add", operation_id=operation_id, trace_id="trace-1", payload=payload
    )


def bearer(role: str = "owner", workspace_id: uuid.UUID | None = None) -> str:
    token = TOKENS.issue(uuid.uuid4(), workspace_id or uuid.uuid4(), role)
    return f"Bearer {token}"


async def test_a_command_runs_once_and_its_duplicate_gets_the_stored_reply() -> None:
    uow, auth = FakeUnitOfWork(), bearer()
    first = await dispatcher(uow)(envelope({"text": "hi"}), auth)
    second = await dispatcher(uow)(envelope({"text": "hi"}), auth)
    assert (first.status, first.replayed) == (201, False)
    assert (second.status, second.body, second.replayed) == (201, {"text": "hi"}, True)
    assert len(uow.effects) == 1


async def test_the_same_operation_id_with_another_payload_is_refused() -> None:
    uow, auth = FakeUnitOfWork(), bearer()
    await dispatcher(uow)(envelope({"text": "hi"}), auth)
    reply = await dispatcher(uow)(envelope({"text": "other"}), auth)
    assert reply.error is not None
    assert (reply.status, reply.error.code) == (422, ErrorCode.IDEMPOTENCY_KEY_REUSED)
    assert len(uow.effects) == 1


async def test_a_domain_error_leaves_no_effect_and_no_stored_reply() -> None:
    uow, auth = FakeUnitOfWork(), bearer()
    reply = await dispatcher(uow)(envelope({"text": "boom"}), auth)
    assert reply.error is not None and reply.error.code == ErrorCode.CONFLICT
    assert uow.effects == [] and uow.inbox.rows == {}


async def test_invalid_payload_is_a_validation_error_naming_the_field() -> None:
    reply = await dispatcher(FakeUnitOfWork())(envelope({"text": "", "extra": 1}), bearer())
    assert reply.error is not None and reply.status == 422
    fields = {f["field"] for f in reply.error.details["fields"]}
    assert fields == {"text", "extra"}


async def test_unknown_command_type_is_refused() -> None:
    env = Envelope(type="notes.nope", operation_id="op", trace_id="t", payload={})
    reply = await dispatcher(FakeUnitOfWork())(env, bearer())
    assert reply.error is not None and reply.error.details == {"type": "notes.nope"}


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, ErrorCode.UNAUTHORIZED),
        ("Basic abc", ErrorCode.UNAUTHORIZED),
        ("Bearer not-a-jwt", ErrorCode.UNAUTHORIZED),
    ],
)
async def test_a_missing_or_bad_token_is_401(authorization: str | None, code: ErrorCode) -> None:
    reply = await dispatcher(FakeUnitOfWork())(envelope({"text": "hi"}), authorization)
    assert reply.error is not None and (reply.status, reply.error.code) == (401, code)


async def test_an_expired_token_says_so() -> None:
    expired = TOKENS.issue(uuid.uuid4(), uuid.uuid4(), "owner", now=0)
    reply = await dispatcher(FakeUnitOfWork())(envelope({"text": "hi"}), f"Bearer {expired}")
    assert reply.error is not None and reply.error.code == ErrorCode.TOKEN_EXPIRED


async def test_owner_only_commands_refuse_members() -> None:
    reply = await dispatcher(FakeUnitOfWork(), auth="owner")(
        envelope({"text": "hi"}), bearer("member")
    )
    assert reply.error is not None and reply.status == 403


async def test_the_workspace_comes_from_the_token_not_the_payload() -> None:
    workspace = uuid.uuid4()

    class Forged(Payload):
        workspace_id: uuid.UUID

    async def handler(cmd: Forged, ctx: Context, tx: FakeTransaction) -> Reply:
        return Reply.success(200, {"workspace": str(ctx.workspace_id)})

    uow = FakeUnitOfWork()
    registry = Registry([HandlerSpec("notes.add", Forged, handler, mode="query")])
    run = Dispatcher(registry, uow, Authenticator(TOKENS), b"unit-key")
    reply = await run(envelope({"workspace_id": str(uuid.uuid4())}), bearer(workspace_id=workspace))
    assert reply.body == {"workspace": str(workspace)}
    assert uow.tenants == [workspace]


async def test_secrets_are_redacted_before_storage_and_rebuilt_on_replay() -> None:
    async def secret(cmd: Note, ctx: Context, tx: FakeTransaction) -> Reply:
        return Reply.success(201, {"text": cmd.text, "token": "s3cret"})

    def redact(reply: Reply) -> Reply:
        return reply.model_copy(update={"body": {"text": reply.body["text"]}})

    async def on_replay(stored: Reply, ctx: Context, tx: FakeTransaction) -> Reply:
        return stored.model_copy(update={"body": {**stored.body, "token": "fresh"}})

    uow = FakeUnitOfWork()
    spec = HandlerSpec("notes.add", Note, secret, redact=redact, on_replay=on_replay)
    run = Dispatcher(Registry([spec]), uow, Authenticator(TOKENS), b"unit-key")
    auth = bearer()
    assert (await run(envelope({"text": "hi"}), auth)).body["token"] == "s3cret"
    stored = next(iter(uow.inbox.rows.values()))[1]
    assert stored is not None and "token" not in stored.body
    assert (await run(envelope({"text": "hi"}), auth)).body == {"text": "hi", "token": "fresh"}


def test_the_request_hash_is_keyed_so_a_stored_hash_does_not_reveal_a_password() -> None:
    login = Envelope(
        type="auth.login", operation_id="op", trace_id="t", payload={"password": "hunter22"}
    )
    assert login.request_hash(b"key-1") != login.request_hash(b"key-2")
    assert login.request_hash(b"key-1") == login.request_hash(b"key-1")
