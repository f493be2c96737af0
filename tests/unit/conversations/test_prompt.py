"""What a turn shows the model: the pinned instruction, the history in order, the new message."""

from handlers.conversations.llm import ChatMessage
from handlers.conversations.prompt import build_request


def test_the_instruction_leads_then_history_then_the_new_message() -> None:
    history = [ChatMessage("user", "hi"), ChatMessage("assistant", "hi")]

    request = build_request("Be brief.", history, "how are you?")

    assert request.messages == (
        ChatMessage("system", "Be brief."),
        ChatMessage("user", "hi"),
        ChatMessage("assistant", "hi"),
        ChatMessage("user", "how are you?"),
    )


def test_a_blank_instruction_adds_no_system_message() -> None:
    request = build_request(" \n", [], "hello")
    assert request.messages == (ChatMessage("user", "hello"),)


def test_the_new_message_is_kept_as_written() -> None:
    request = build_request("", [], "  spaced  ")
    assert request.messages[-1] == ChatMessage("user", "  spaced  ")
