"""The port to the language model, and the `echo` model behind it until a real provider exists.

    provider = build_provider(settings.llm_provider)  # at start-up: an unknown name fails here
    response = await provider.complete(ModelRequest((ChatMessage("user", "hi"),)))
    assert response.text == "hi"

A provider reports a failure it cannot recover from (unreachable, refused, timed out) as
`ProviderError`; the turn records it as a failed turn. Any other exception is a bug.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

ChatRole = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    role: ChatRole
    content: str


@dataclass(frozen=True)
class ModelRequest:
    """The conversation so far: instruction (as a system message), history, new user message."""

    messages: tuple[ChatMessage, ...]


@dataclass(frozen=True)
class ModelResponse:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int


class ProviderError(Exception):
    """The model provider could not answer."""


class LLMProvider(Protocol):
    @property
    def name(self) -> str: ...

    async def complete(self, request: ModelRequest) -> ModelResponse: ...


class EchoModel:
    """Answers with exactly the newest user message. Its "tokens" are whitespace-separated
    words: no tokenizer, but counts that grow with the input, which is all tests and usage
    analytics need from a stub."""

    name = "echo"

    async def complete(self, request: ModelRequest) -> ModelResponse:
        answer = _last_user_content(request)
        return ModelResponse(
            text=answer,
            model=self.name,
            prompt_tokens=sum(count_words(m.content) for m in request.messages),
            completion_tokens=count_words(answer),
        )


def count_words(text: str) -> int:
    return len(text.split())


def _last_user_content(request: ModelRequest) -> str:
    return next((m.content for m in reversed(request.messages) if m.role == "user"), "")


PROVIDERS: dict[str, Callable[[], LLMProvider]] = {"echo": EchoModel}


def build_provider(name: str) -> LLMProvider:
    """The provider named by `settings.llm_provider`; an unknown name stops the process."""
    factory = PROVIDERS.get(name)
    if factory is None:
        raise ValueError(f"unknown llm_provider {name!r}; known: {', '.join(sorted(PROVIDERS))}")
    return factory()
