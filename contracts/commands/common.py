"""Building blocks shared by every service's payloads."""

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Payload(BaseModel):
    """Base of every command payload: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class PageQuery(Payload):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, min_length=1, max_length=512)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None
