"""The OpenAPI document is generated from the route table and is valid OpenAPI 3.1."""

from openapi_spec_validator import validate

from gateway.openapi import SYSTEM_PATHS, build_openapi
from gateway.routes import ROUTES
from tests.unit.gateway.test_http_rules import ROUTES as SAMPLE_ROUTES


def test_the_document_of_every_route_is_valid_openapi_3_1() -> None:
    document = build_openapi(ROUTES, SYSTEM_PATHS)
    validate(document)
    assert document["openapi"] == "3.1.0"
    for route in ROUTES:
        assert route.method.lower() in document["paths"][route.path], route


def test_path_parameters_query_parameters_and_bodies_are_split_from_the_payload() -> None:
    document = build_openapi(SAMPLE_ROUTES, SYSTEM_PATHS)
    validate(document)
    read = document["paths"]["/v1/things/{thing}"]["get"]
    make = document["paths"]["/v1/things"]["post"]
    assert [p["name"] for p in read["parameters"] if p["in"] == "path"] == ["thing"]
    assert read["security"] == [{"bearer": []}]
    assert make["requestBody"]["content"]["application/json"]["schema"]["type"] == "object"
    assert "security" not in make
    assert make["responses"]["422"] == {"$ref": "#/components/responses/Error"}
