"""The `conversations` consumer group's use cases."""

from contracts.commands.conversations import (
    CreateThread,
    GetThread,
    ListThreadMessages,
    ListThreads,
    RunTurn,
)
from handlers.conversations.create_thread import create_thread
from handlers.conversations.list_messages import list_messages
from handlers.conversations.llm import build_provider
from handlers.conversations.read_threads import get_thread, list_threads
from handlers.conversations.turn import turn_handler
from handlers.deps import Deps
from handlers.runtime.registry import HandlerSpec


def specs(deps: Deps) -> list[HandlerSpec]:
    # Built here, at start-up, so a misconfigured provider stops the process before any turn.
    provider = build_provider(deps.settings.llm_provider)
    return [
        HandlerSpec("conversations.create_thread", CreateThread, create_thread),
        HandlerSpec("conversations.list_threads", ListThreads, list_threads, mode="query"),
        HandlerSpec("conversations.get_thread", GetThread, get_thread, mode="query"),
        HandlerSpec("conversations.list_messages", ListThreadMessages, list_messages, mode="query"),
        HandlerSpec("conversations.turn", RunTurn, turn_handler(provider), mode="custom"),
    ]
