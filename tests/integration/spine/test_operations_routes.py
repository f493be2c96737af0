"""The operations routes of a gateway on the real stack."""

from aiohttp import ClientSession
from openapi_spec_validator import validate

from contracts.commands import PAYLOADS


async def test_openapi_json_is_served_and_valid(api: ClientSession) -> None:
    response = await api.get("/openapi.json")
    assert response.status == 200
    validate(await response.json())


async def test_metrics_count_requests_by_route_and_status(api: ClientSession) -> None:
    await api.get("/v1/no-such-route")
    text = await (await api.get("/metrics")).text()
    assert 'gateway_requests_total{method="GET",route="unmatched",status="404"}' in text
    assert "gateway_request_seconds_bucket" in text


async def test_asyncapi_documents_every_command_the_reply_and_the_dead_letters(
    api: ClientSession,
) -> None:
    response = await api.get("/asyncapi.json")
    assert response.status == 200
    document = await response.json()
    assert document["asyncapi"] == "3.0.0"
    messages = document["components"]["messages"]
    for command_type in PAYLOADS:
        assert f"{command_type}:Message" in messages
    assert "reply:Message" in messages
    assert "bots.dead_letter:Message" in messages
    page = await api.get("/docs/asyncapi")
    assert page.status == 200
    assert page.content_type == "text/html"
