"""Building blocks shared by every service's payloads."""

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

T = TypeVar("T")


def contains_nul(value: Any) -> bool:
    """Whether a NUL character hides in any string or key of a JSON value."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(contains_nul(v) for v in value)
    return False


def numbers_in(value: Any) -> list[float]:
    """Every number in a JSON value (booleans are not numbers)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_in(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers_in(v)]
    return []


class Payload(BaseModel):
    """Base of every command payload: unknown fields are an error, not silently dropped, and no
    text may hold a NUL character (Postgres cannot store one: it must be a 422, not a 500)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if contains_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


class PageQuery(Payload):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, min_length=1, max_length=512)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None
