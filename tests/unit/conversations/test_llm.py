"""The model port: the echo model, and choosing a provider by name at start-up."""

import pytest

from config.settings import Settings
from handlers import conversations
from handlers.conversations.llm import (
    ChatMessage,
    EchoModel,
    ModelRequest,
    build_provider,
    count_words,
)
from tests.support.deps import wired_deps


async def test_echo_answers_exactly_the_newest_user_message() -> None:
    request = ModelRequest(
        (
            ChatMessage("system", "Be brief."),
            ChatMessage("user", "first question"),
            ChatMessage("assistant", "first question"),
            ChatMessage("user", "  second,\n question  "),
        )
    )

    response = await EchoModel().complete(request)

    assert response.text == "  second,\n question  "
    assert response.model == "echo"


async def test_echo_counts_whitespace_separated_words_as_tokens() -> None:
    request = ModelRequest((ChatMessage("system", "Be brief."), ChatMessage("user", "a b  c")))

    response = await EchoModel().complete(request)

    assert (response.prompt_tokens, response.completion_tokens) == (5, 3)


async def test_echo_without_a_user_message_answers_nothing() -> None:
    response = await EchoModel().complete(ModelRequest((ChatMessage("system", "Be brief."),)))
    assert (response.text, response.completion_tokens) == ("", 0)


@pytest.mark.parametrize(
    ("text", "words"), [("", 0), ("   ", 0), ("one", 1), (" one\ttwo\nthree ", 3)]
)
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words


def test_the_echo_provider_is_built_by_name() -> None:
    assert isinstance(build_provider("echo"), EchoModel)


def test_an_unknown_provider_fails_when_the_group_is_wired_not_per_message() -> None:
    settings = Settings().model_copy(update={"llm_provider": "gpt-nowhere"})

    with pytest.raises(ValueError, match="gpt-nowhere"):
        conversations.specs(wired_deps(settings))
