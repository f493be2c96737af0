"""Integrations publishing straight to `bots.commands`: same validation, principal from the token."""

import uuid

from aiohttp import ClientSession

from config.settings import Settings
from gateway.bus_client import BusClient
from tests.support.bots import create_bot
from tests.support.callers import Caller, send_command


async def test_a_workspace_id_in_the_payload_is_refused_not_trusted(
    bus: BusClient, settings: Settings, caller: Caller, other_caller: Caller
) -> None:
    payload = {"name": "Smuggled", "workspace_id": str(other_caller.workspace_id)}
    reply = await send_command(bus, settings, "bots.create", payload, caller)
    assert (reply.status, reply.error and reply.error.code) == (422, "VALIDATION_ERROR")


async def test_commands_without_a_token_are_401(bus: BusClient, settings: Settings) -> None:
    reply = await send_command(bus, settings, "bots.create", {"name": "Anonymous"})
    assert (reply.status, reply.error and reply.error.code) == (401, "UNAUTHORIZED")


async def test_a_published_command_acts_in_the_tokens_workspace(
    api: ClientSession, bus: BusClient, settings: Settings, caller: Caller
) -> None:
    reply = await send_command(bus, settings, "bots.create", {"name": "Direct"}, caller)
    assert reply.status == 201
    assert reply.body["workspace_id"] == str(caller.workspace_id)
    listed = await send_command(bus, settings, "bots.list", {"limit": 5}, caller)
    assert [b["id"] for b in listed.body["items"]] == [reply.body["id"]]


async def test_a_version_number_beyond_int4_is_refused_before_the_database(
    api: ClientSession, bus: BusClient, settings: Settings, caller: Caller
) -> None:
    bot = await create_bot(api, caller)
    payload = {"bot_id": bot["id"], "number": 2**31}
    reply = await send_command(bus, settings, "bots.get_version", payload, caller, uuid.uuid4().hex)
    assert reply.status == 422
