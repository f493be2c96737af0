"""Payloads and replies of the `bots` commands, and of `audit.list` (also served by `bots`).

Text is refused when Postgres could not store it (a NUL character), so such input is a 422
at the gateway rather than a failed command in the dead-letter topic.
"""

from datetime import datetime
from typing import Annotated, Any, Final
from uuid import UUID

import orjson
from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator

from contracts.commands.common import Page, PageQuery, Payload, contains_nul, numbers_in

MAX_CONFIG_BYTES: Final = 64 * 1024
# `number` is an int4 column: a larger value must be a 422, not a database error.
MAX_VERSION_NUMBER: Final = 2**31 - 1


def no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


def check_config(config: dict[str, Any]) -> dict[str, Any]:
    """At most `MAX_CONFIG_BYTES` serialized as JSON, and storable as JSONB."""
    try:
        size = len(orjson.dumps(config))
    except orjson.JSONEncodeError as exc:  # nested too deeply, or an integer beyond 64 bits
        raise ValueError(f"config is not serializable: {exc}") from exc
    if size > MAX_CONFIG_BYTES:
        raise ValueError(f"config is {size} bytes as JSON; at most {MAX_CONFIG_BYTES} are allowed")
    if contains_nul(config):
        raise ValueError("config must not contain NUL characters")
    if any(abs(n) >= 2**63 for n in numbers_in(config)):
        # JSONB writes such a number back as an integer no JSON encoder of ours can carry.
        raise ValueError("config numbers must be within ±2^63")
    return config


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(no_nul),
    Field(description="1-200 characters, surrounding whitespace trimmed."),
]
Description = Annotated[str, Field(max_length=2000), AfterValidator(no_nul)]
Instruction = Annotated[str, Field(max_length=100_000), AfterValidator(no_nul)]
Config = Annotated[dict[str, Any], AfterValidator(check_config)]
BotId = Annotated[UUID, Field(description="The bot's id.")]


class CreateBot(Payload):
    """`bots.create`: the bot and its version 1 (the given instruction, config `{}`)."""

    name: Name
    description: Description = ""
    instruction: Instruction = Field(default="", description="The instruction of version 1.")


class ListBots(PageQuery):
    """`bots.list`: live (not archived) bots, newest first; stable under concurrent inserts."""


class BotRef(Payload):
    """`bots.get`, `bots.archive`: one bot of the caller's workspace."""

    bot_id: BotId


class UpdateBot(Payload):
    """`bots.update`: rename and/or redescribe; at least one of the two fields."""

    bot_id: BotId
    name: Name | None = None
    description: Description | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> "UpdateBot":
        if self.name is None and self.description is None:
            raise ValueError("give at least one of name, description")
        return self


class SetInstruction(Payload):
    """`bots.set_instruction`: a new immutable version, numbered previous + 1."""

    bot_id: BotId
    instruction: Instruction
    config: Config | None = Field(
        default=None,
        description=(
            "A JSON object of at most 64 KiB serialized; omitted, the current version's config"
            " is kept. An instruction and config identical to the current version's create no"
            " new version: the reply is the current one."
        ),
    )


class ListVersions(PageQuery):
    """`bots.list_versions`: the bot's versions by ascending number."""

    bot_id: BotId


class GetVersion(Payload):
    """`bots.get_version`: one version by number."""

    bot_id: BotId
    number: int = Field(ge=1, le=MAX_VERSION_NUMBER, description="The version number, from 1.")


class ListAudit(PageQuery):
    """`audit.list`: the caller's workspace's audit entries, newest first."""

    resource_type: str | None = Field(default=None, min_length=1, max_length=64)
    resource_id: str | None = Field(default=None, min_length=1, max_length=128)


class Bot(BaseModel):
    id: UUID
    workspace_id: UUID
    name: str
    description: str
    current_version: int
    instruction: str = Field(description="The instruction of the current version.")
    created_at: datetime
    updated_at: datetime


class BotVersion(BaseModel):
    number: int
    instruction: str
    config: dict[str, Any]
    created_by: UUID | None
    created_at: datetime


class BotWithVersion(BaseModel):
    """The reply of `bots.set_instruction`: the bot and its (new or unchanged) current version."""

    bot: Bot
    version: BotVersion


class AuditEntry(BaseModel):
    id: UUID
    action: str
    actor_user_id: UUID | None
    resource_type: str
    resource_id: str
    operation_id: str | None
    trace_id: str | None
    changes: dict[str, Any] = Field(description="`before` and/or `after` of the changed fields.")
    created_at: datetime


class BotPage(Page[Bot]):
    pass


class BotVersionPage(Page[BotVersion]):
    pass


class AuditEntryPage(Page[AuditEntry]):
    pass


PAYLOADS: dict[str, type[BaseModel]] = {
    "bots.create": CreateBot,
    "bots.list": ListBots,
    "bots.get": BotRef,
    "bots.update": UpdateBot,
    "bots.archive": BotRef,
    "bots.set_instruction": SetInstruction,
    "bots.list_versions": ListVersions,
    "bots.get_version": GetVersion,
    "audit.list": ListAudit,
}
