"""The events of a turn: what analytics learns about a completed or a failed turn."""

import uuid
from types import SimpleNamespace

from contracts.events import MessageCreated, TurnCompleted, TurnFailed
from handlers.conversations.llm import ModelResponse
from handlers.conversations.turn_events import completed_turn_events, failed_turn_event
from handlers.conversations.turn_store import TurnRecord

TURN = TurnRecord(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), 3, "op-1")


def message_row(role: str, seq: int, content: str) -> SimpleNamespace:
    return SimpleNamespace(id=uuid.uuid4(), role=role, seq=seq, content=content)


def test_a_completed_turn_tells_of_both_messages_then_of_the_turn() -> None:
    user, assistant = message_row("user", 7, "héllo"), message_row("assistant", 8, "hi")
    response = ModelResponse("hi", "echo", prompt_tokens=4, completion_tokens=1)

    events = completed_turn_events(TURN, response, 12, (user, assistant))

    common = {"thread_id": TURN.thread_id, "bot_id": TURN.bot_id}
    assert events == [
        MessageCreated(message_id=user.id, role="user", seq=7, characters=5, **common),
        MessageCreated(message_id=assistant.id, role="assistant", seq=8, characters=2, **common),
        TurnCompleted(
            turn_id=TURN.id,
            bot_version=3,
            model="echo",
            latency_ms=12,
            prompt_tokens=4,
            completion_tokens=1,
            **common,
        ),
    ]


def test_message_events_carry_the_length_of_the_content_never_the_content() -> None:
    secret = "my password is hunter2"
    events = completed_turn_events(
        TURN,
        ModelResponse(secret, "echo", 5, 5),
        1,
        (message_row("user", 1, secret), message_row("assistant", 2, secret)),
    )
    assert all(secret not in event.model_dump_json() for event in events)


def test_a_failed_turn_names_the_turn_the_model_and_the_error() -> None:
    event = failed_turn_event(TURN, "flaky", 40, "the provider is down")

    assert event == TurnFailed(
        turn_id=TURN.id,
        thread_id=TURN.thread_id,
        bot_id=TURN.bot_id,
        bot_version=3,
        model="flaky",
        latency_ms=40,
        error="the provider is down",
    )
