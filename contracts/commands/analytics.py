"""Payloads and replies of the `analytics` commands (served by the `analytics` group).

Times are ISO 8601; one without an offset is UTC. Buckets start at UTC hours or days.
"""

from datetime import UTC, datetime, timedelta
from typing import Final, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from contracts.commands.common import Payload

MAX_SPAN: Final[dict[str, timedelta]] = {"hour": timedelta(days=31), "day": timedelta(days=366)}
# The store keeps millisecond times from 1900 to 2299; a window outside these years is a
# mistake, and refusing it early keeps every conversion (offset -> UTC) in range.
YEARS: Final = range(2000, 2100)


class GetUsage(Payload):
    """`analytics.usage`: the caller's workspace's usage in [from, to), per bucket and bot.

    At most 31 days of hourly buckets or 366 days of daily ones.
    """

    # `from` is a Python keyword: the field is `from_`, spelled `from` on the wire both ways.
    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )

    from_: datetime = Field(
        alias="from", description="Start, inclusive (ISO 8601; no offset = UTC)."
    )
    to: datetime = Field(description="End, exclusive (ISO 8601; no offset = UTC).")
    bot_id: UUID | None = Field(default=None, description="Only this bot.")
    bucket: Literal["hour", "day"] = Field(default="day", description="Bucket width.")

    @field_validator("from_", "to")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        if value.year not in YEARS:
            raise ValueError(f"must lie between {YEARS.start} and {YEARS.stop}")
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    @model_validator(mode="after")
    def _a_window(self) -> "GetUsage":
        if self.from_ >= self.to:
            raise ValueError("from must be before to")
        if self.to - self.from_ > MAX_SPAN[self.bucket]:
            raise ValueError(f"at most {MAX_SPAN[self.bucket].days} days with bucket={self.bucket}")
        return self


class UsageItem(BaseModel):
    bucket_start: datetime
    bot_id: UUID | None = Field(description="Null for events that named no bot.")
    turns: int = Field(description="Turns run, completed or failed.")
    messages: int = Field(description="Messages written, user's and assistant's.")
    failed_turns: int
    p50_latency_ms: float | None = Field(description="Median latency of completed turns.")
    p95_latency_ms: float | None = Field(description="95th percentile latency of completed turns.")
    prompt_tokens: int
    completion_tokens: int


class UsageReport(BaseModel):
    """Buckets without events are absent; items are ordered by bucket, then bot."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    items: list[UsageItem]
    bucket: Literal["hour", "day"]
    from_: datetime = Field(alias="from")
    to: datetime


class StoreCheck(Payload):
    """`analytics.store_check`: does the group's analytics store answer, schema in place?

    For `switchboard infra check`, which may not open an embedded store the group owns.
    """


class StoreStatus(BaseModel):
    backend: str
    detail: str


PAYLOADS: dict[str, type[BaseModel]] = {
    "analytics.usage": GetUsage,
    "analytics.store_check": StoreCheck,
}
