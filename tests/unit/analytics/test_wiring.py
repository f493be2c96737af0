"""The analytics group's commands: one route, one payload model, one handler each, no I/O to
build them (every tool builds every group's registry)."""

from config.settings import Settings
from contracts.commands import analytics as contracts
from contracts.topics import service_of
from gateway.openapi import build_openapi
from gateway.routes.analytics import ROUTES
from handlers.analytics import specs
from handlers.analytics.sink import sink_group
from tests.support.deps import wired_deps


def test_the_usage_route_is_a_get_for_users() -> None:
    assert [(r.method, r.path, r.command_type, r.auth) for r in ROUTES] == [
        ("GET", "/v1/analytics/usage", "analytics.usage", True)
    ]


def test_each_command_has_one_handler_on_the_analytics_topic_touching_no_database() -> None:
    handler_specs = {s.command_type: s for s in specs(wired_deps(Settings()))}
    assert set(handler_specs) == set(contracts.PAYLOADS)
    for command_type, spec in handler_specs.items():
        assert spec.payload is contracts.PAYLOADS[command_type]
        assert service_of(command_type) == "analytics"
        assert spec.mode == "custom"  # no Postgres transaction around a ClickHouse query
    assert handler_specs["analytics.usage"].auth == "user"
    assert handler_specs["analytics.store_check"].auth == "anonymous"


def test_the_openapi_document_names_the_query_parameters_as_sent() -> None:
    get = build_openapi(ROUTES, {})["paths"]["/v1/analytics/usage"]["get"]
    params = {p["name"]: p for p in get["parameters"]}
    assert set(params) == {"from", "to", "bot_id", "bucket"}
    assert (params["from"]["required"], params["to"]["required"]) == (True, True)
    assert params["bucket"]["schema"]["enum"] == ["hour", "day"]


def test_the_sink_has_a_consumer_group_of_its_own() -> None:
    assert sink_group("") == "analytics-sink"
    assert sink_group("t1.") == "t1.analytics-sink"
