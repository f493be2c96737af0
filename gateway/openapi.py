"""OpenAPI 3.1, generated from the route table and the payload models, never written by hand.

A command's payload model holds the body *and* the path and query parameters; the generator
splits it back: path names become path parameters, the rest is the query of a GET/DELETE or
the JSON body of a POST/PUT/PATCH.
"""

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from contracts.commands import PAYLOADS
from contracts.errors import ErrorCode
from gateway.routes.spec import RouteSpec

REF = "#/components/schemas/{model}"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "message", "trace_id", "details"],
    "properties": {
        "code": {"type": "string", "enum": [c.value for c in ErrorCode]},
        "message": {"type": "string"},
        "trace_id": {"type": "string"},
        "details": {"anyOf": [{"type": "object"}, {"type": "array"}]},
    },
}


def build_openapi(routes: list[RouteSpec], system_paths: dict[str, Any]) -> dict[str, Any]:
    models = {PAYLOADS[r.command_type] for r in routes} | {r.response for r in routes if r.response}
    _, defs = models_json_schema(
        [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)], ref_template=REF
    )
    schemas: dict[str, Any] = {**defs.get("$defs", {}), "Error": ERROR_SCHEMA}
    paths: dict[str, Any] = dict(system_paths)
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Switchboard API", "version": "1.0.0"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
            "responses": {"Error": _error_response("An error")},
        },
    }


def _operation(route: RouteSpec, schemas: dict[str, Any]) -> dict[str, Any]:
    model: type[BaseModel] = PAYLOADS[route.command_type]
    schema = schemas[model.__name__]
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    params = [_param(n, "path", props.get(n, {"type": "string"}), True) for n in route.path_params]
    rest = {n: p for n, p in props.items() if n not in route.path_params}
    op: dict[str, Any] = {
        "operationId": route.command_type.replace(".", "_"),
        "summary": route.summary,
        "tags": [route.tag or route.command_type.split(".")[0]],
        "parameters": params,
        "responses": {
            str(route.status): _success(route),
            **{str(s): {"$ref": "#/components/responses/Error"} for s in _error_statuses(route)},
        },
    }
    if route.raw_body:
        # The signed body is any JSON the sender chooses; the headers carry id and signature.
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {}}}}
        params += [
            _param("X-Event-Id", "header", props["event_id"], True),
            _param("X-Signature", "header", props["signature"], True),
        ]
    elif route.has_body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _object(rest, required)}},
        }
    else:
        params += [_param(n, "query", p, n in required) for n, p in rest.items()]
    if route.auth:
        op["security"] = [{"bearer": []}]
    if route.has_body or route.method == "DELETE":
        params.append(
            _param(
                "X-Operation-Id",
                "header",
                {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$"},
                False,
            )
        )
    return op


def _object(props: dict[str, Any], required: set[str]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if needed := sorted(required & props.keys()):
        schema["required"] = needed
    return schema


def _param(name: str, where: str, schema: dict[str, Any], required: bool) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema}


def _success(route: RouteSpec) -> dict[str, Any]:
    if route.status == 204 or route.response is None:
        return {"description": "Success"}
    ref = {"$ref": REF.format(model=route.response.__name__)}
    return {"description": "Success", "content": {"application/json": {"schema": ref}}}


def _error_statuses(route: RouteSpec) -> list[int]:
    statuses = {400, 413, 422, 429, 500, 503, 504, *route.errors}
    if route.auth:
        statuses |= {401, 404}
    if route.has_body:
        statuses |= {409, 415}
    return sorted(statuses)


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


SYSTEM_PATHS: dict[str, Any] = {
    "/healthz": {"get": {"summary": "Process alive", "responses": {"200": {"description": "OK"}}}},
    "/readyz": {
        "get": {
            "summary": "Kafka and every handler group answer",
            "responses": {
                "200": {"description": "Ready"},
                "503": {"$ref": "#/components/responses/Error"},
            },
        }
    },
    "/asyncapi.json": {
        "get": {
            "summary": "AsyncAPI 3.0 of the command bus",
            "responses": {"200": {"description": "OK"}},
        }
    },
    "/docs/asyncapi": {
        "get": {
            "summary": "The AsyncAPI document as a page",
            "responses": {"200": {"description": "OK"}},
        }
    },
    "/metrics": {
        "get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "OK"}}}
    },
}
