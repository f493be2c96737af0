"""The domain events of a turn, built from what the turn wrote (pure: no I/O).

A completed turn tells analytics about both messages (`message.created`, user then assistant)
and the turn itself (`turn.completed`: model, latency, tokens); a failed one only the failure.
Message events carry the content's length, never the content: the events topic is read by
consumers that have no business holding conversations.
"""

from contracts.events import EventData, MessageCreated, TurnCompleted, TurnFailed
from handlers.conversations.llm import ModelResponse
from handlers.conversations.records import AnyRow
from handlers.conversations.turn_store import TurnRecord


def completed_turn_events(
    turn: TurnRecord, response: ModelResponse, latency_ms: int, exchange: tuple[AnyRow, AnyRow]
) -> list[EventData]:
    """`exchange`: the user's and the assistant's message rows (id, role, seq, content)."""
    messages = [
        MessageCreated(
            message_id=row.id,
            thread_id=turn.thread_id,
            bot_id=turn.bot_id,
            role=row.role,
            seq=row.seq,
            characters=len(row.content),
        )
        for row in exchange
    ]
    completed = TurnCompleted(
        turn_id=turn.id,
        thread_id=turn.thread_id,
        bot_id=turn.bot_id,
        bot_version=turn.bot_version,
        model=response.model,
        latency_ms=latency_ms,
        prompt_tokens=response.prompt_tokens,
        completion_tokens=response.completion_tokens,
    )
    return [*messages, completed]


def failed_turn_event(turn: TurnRecord, model: str, latency_ms: int, error: str) -> TurnFailed:
    return TurnFailed(
        turn_id=turn.id,
        thread_id=turn.thread_id,
        bot_id=turn.bot_id,
        bot_version=turn.bot_version,
        model=model,
        latency_ms=latency_ms,
        error=error,
    )
