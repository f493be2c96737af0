"""Payloads and replies of the `conversations` commands: threads, their messages, and turns."""

from datetime import datetime
from typing import Final, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.commands.common import Page, PageQuery, Payload

MAX_TITLE_CHARS: Final = 200
MAX_CONTENT_CHARS: Final = 32_000

MessageRole = Literal["user", "assistant", "system"]
TurnStatus = Literal["pending", "completed", "failed"]


class CreateThread(Payload):
    """`conversations.create_thread`: open a thread pinned to the bot's current version."""

    bot_id: UUID = Field(description="A live (not archived) bot of the caller's workspace.")
    title: str | None = Field(
        default=None, max_length=MAX_TITLE_CHARS, description="Free text; empty if omitted."
    )


class ListThreads(PageQuery):
    """`conversations.list_threads`: the workspace's threads, newest first."""

    bot_id: UUID | None = Field(default=None, description="Only the threads of this bot.")


class GetThread(Payload):
    """`conversations.get_thread`."""

    thread_id: UUID


class ListThreadMessages(PageQuery):
    """`conversations.list_messages`: a thread's messages by `seq`, oldest first."""

    thread_id: UUID


class RunTurn(Payload):
    """`conversations.turn`: send one user message and get the model's answer."""

    thread_id: UUID
    content: str = Field(
        min_length=1, max_length=MAX_CONTENT_CHARS, description="The user's message."
    )


class Thread(BaseModel):
    id: UUID
    bot_id: UUID
    bot_version: int = Field(description="The bot version pinned when the thread was opened.")
    title: str
    created_at: datetime


class ThreadList(Page[Thread]):
    pass


class ThreadMessage(BaseModel):
    id: UUID
    role: MessageRole
    content: str
    seq: int = Field(description="Position in the thread: 1, 2, 3... without gaps.")
    turn_id: UUID | None
    created_at: datetime


class ThreadMessageList(Page[ThreadMessage]):
    pass


class TurnSummary(BaseModel):
    id: UUID
    status: TurnStatus
    model: str
    latency_ms: int | None = Field(description="Time spent in the model call.")


class TurnResult(BaseModel):
    turn: TurnSummary
    user_message: ThreadMessage
    assistant_message: ThreadMessage


PAYLOADS: dict[str, type[BaseModel]] = {
    "conversations.create_thread": CreateThread,
    "conversations.list_threads": ListThreads,
    "conversations.get_thread": GetThread,
    "conversations.list_messages": ListThreadMessages,
    "conversations.turn": RunTurn,
}
