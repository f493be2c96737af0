"""The stack end to end: every group answers a ping through the real broker and the gateway."""

import uuid

import pytest
from aiohttp import ClientSession

from config.settings import Settings
from contracts.envelope import Envelope
from contracts.topics import SERVICES, Service, command_topic, consumer_group
from gateway.bus_client import BusClient
from tests.support.stack import HandlerProcesses


@pytest.mark.parametrize("service", SERVICES)
async def test_each_group_answers_a_ping_through_kafka(
    service: Service, bus: BusClient, settings: Settings, handlers: HandlerProcesses
) -> None:
    envelope = Envelope(type=f"{service}.ping", operation_id=uuid.uuid4().hex, trace_id="t-ping-1")
    reply = await bus.request(command_topic(service, settings.topic_prefix), envelope, None, None)
    assert reply.ok
    assert reply.body == {
        "service": service,
        "group": consumer_group(service, settings.topic_prefix),
    }


async def test_readyz_is_200_when_every_group_answers(api: ClientSession) -> None:
    response = await api.get("/readyz")
    assert response.status == 200
    assert (await response.json())["checks"] == dict.fromkeys(SERVICES, "ok")


async def test_healthz(api: ClientSession) -> None:
    response = await api.get("/healthz")
    assert response.status == 200
    assert response.headers["X-Trace-Id"]
