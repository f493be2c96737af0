"""Every bots command has one route, one payload model and one handler, in the right mode."""

from collections import Counter

from config.settings import Settings
from contracts.commands import bots as contracts
from contracts.topics import service_of
from gateway.openapi import build_openapi
from gateway.routes.bots import ROUTES
from handlers.bots import specs
from tests.support.deps import wired_deps

EXPECTED_ROUTES = {
    ("GET", "/v1/bots"): ("bots.list", 200),
    ("POST", "/v1/bots"): ("bots.create", 201),
    ("GET", "/v1/bots/{bot_id}"): ("bots.get", 200),
    ("PATCH", "/v1/bots/{bot_id}"): ("bots.update", 200),
    ("DELETE", "/v1/bots/{bot_id}"): ("bots.archive", 204),
    ("PUT", "/v1/bots/{bot_id}/instruction"): ("bots.set_instruction", 200),
    ("GET", "/v1/bots/{bot_id}/versions"): ("bots.list_versions", 200),
    ("GET", "/v1/bots/{bot_id}/versions/{number}"): ("bots.get_version", 200),
    ("GET", "/v1/audit"): ("audit.list", 200),
}

QUERIES = {"bots.get", "bots.list", "bots.list_versions", "bots.get_version", "audit.list"}


def test_the_routes_are_exactly_the_specified_ones() -> None:
    assert {(r.method, r.path): (r.command_type, r.status) for r in ROUTES} == EXPECTED_ROUTES
    assert {r.tag for r in ROUTES if r.command_type != "audit.list"} == {"bots"}
    assert all(r.auth for r in ROUTES)


def test_each_command_has_one_handler_with_the_gateways_model_on_the_bots_topic() -> None:
    settings = Settings()
    handler_specs = specs(wired_deps(settings))
    assert Counter(s.command_type for s in handler_specs) == Counter(list(contracts.PAYLOADS))
    for spec in handler_specs:
        assert spec.payload is contracts.PAYLOADS[spec.command_type]
        assert service_of(spec.command_type) == "bots"
        expected = "query" if spec.command_type in QUERIES else "command"
        assert spec.mode == expected, spec.command_type
        assert spec.auth == "user"


def test_the_openapi_document_splits_path_query_and_body() -> None:
    paths = build_openapi(ROUTES, {})["paths"]
    versions = paths["/v1/bots/{bot_id}/versions"]["get"]
    assert [(p["name"], p["in"]) for p in versions["parameters"]] == [
        ("bot_id", "path"),
        ("limit", "query"),
        ("cursor", "query"),
    ]
    put = paths["/v1/bots/{bot_id}/instruction"]["put"]
    body = put["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"instruction", "config"}
    assert body["required"] == ["instruction"]
    audit = paths["/v1/audit"]["get"]
    assert audit["tags"] == ["audit"]
    assert {p["name"] for p in audit["parameters"]} == {
        "limit",
        "cursor",
        "resource_type",
        "resource_id",
    }
