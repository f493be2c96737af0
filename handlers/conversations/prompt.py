"""What the model is shown for a turn: the pinned instruction, the thread so far, the new message."""

from collections.abc import Sequence
from typing import Final

from handlers.conversations.llm import ChatMessage, ModelRequest

# How many of the newest messages a turn loads as history. It bounds the work of a turn in a
# long thread; a real provider would trim further to its context window, by its own tokens.
HISTORY_WINDOW: Final = 100


def build_request(instruction: str, history: Sequence[ChatMessage], content: str) -> ModelRequest:
    """`history` is oldest first; an empty instruction adds no system message."""
    system = (ChatMessage("system", instruction),) if instruction.strip() else ()
    return ModelRequest((*system, *history, ChatMessage("user", content)))
