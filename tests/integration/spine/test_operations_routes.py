"""The operations routes of a gateway on the real stack."""

from aiohttp import ClientSession
from openapi_spec_validator import validate


async def test_openapi_json_is_served_and_valid(api: ClientSession) -> None:
    response = await api.get("/openapi.json")
    assert response.status == 200
    validate(await response.json())


async def test_metrics_count_requests_by_route_and_status(api: ClientSession) -> None:
    await api.get("/v1/no-such-route")
    text = await (await api.get("/metrics")).text()
    assert 'gateway_requests_total{method="GET",route="unmatched",status="404"}' in text
    assert "gateway_request_seconds_bucket" in text
