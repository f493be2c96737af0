"""Callers for tests that need a principal but not the auth service: tokens minted directly."""

import uuid
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from config.settings import Settings
from contracts.envelope import Envelope, Reply
from contracts.topics import command_topic, service_of
from gateway.bus_client import BusClient
from security.tokens import AccessTokens, Role


@dataclass(frozen=True)
class Caller:
    user_id: UUID
    workspace_id: UUID
    role: Role
    token: str

    @property
    def authorization(self) -> str:
        return f"Bearer {self.token}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": self.authorization}


def access_tokens(settings: Settings) -> AccessTokens:
    return AccessTokens(
        settings.jwt_secret.get_secret_value(),
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.access_token_ttl_s,
    )


def mint_caller(
    settings: Settings, role: Role = "owner", workspace_id: UUID | None = None
) -> Caller:
    """A user of a brand-new workspace (or of `workspace_id`), with a valid access token."""
    user_id, workspace_id = uuid.uuid4(), workspace_id or uuid.uuid4()
    token = access_tokens(settings).issue(user_id, workspace_id, role)
    return Caller(user_id, workspace_id, role, token)


async def send_command(
    bus: BusClient,
    settings: Settings,
    command_type: str,
    payload: dict[str, Any],
    caller: Caller | None = None,
    operation_id: str | None = None,
) -> Reply:
    """Publish a command straight to its topic, as an integration does, and wait for the reply."""
    envelope = Envelope(
        type=command_type,
        operation_id=operation_id or uuid.uuid4().hex,
        trace_id=uuid.uuid4().hex,
        payload=payload,
    )
    return await bus.request(
        command_topic(service_of(command_type), settings.topic_prefix),
        envelope,
        str(caller.workspace_id) if caller else None,
        caller.authorization if caller else None,
    )
