"""The composition root of the gateway: `create_app(settings, bus=..., limiter=...)`.

Dependencies come in as parameters so tests can hand in their own bus and limiter; `run` wires
the real ones.
"""

import orjson
from aiohttp import web
from aiohttp.typedefs import Handler

from config.settings import Settings
from gateway.asyncapi import asyncapi_document
from gateway.bus_client import BusClient
from gateway.metrics import GatewayMetrics
from gateway.middleware.auth import auth_middleware
from gateway.middleware.errors import error_middleware
from gateway.middleware.headers import cors_middleware, security_headers_middleware
from gateway.middleware.login_throttle import login_throttle_middleware
from gateway.middleware.operation import operation_middleware
from gateway.middleware.rate_limit import rate_limit_middleware
from gateway.middleware.trace import trace_middleware
from gateway.openapi import SYSTEM_PATHS, build_openapi
from gateway.routes import ROUTES
from gateway.routes.commands import command_handler
from gateway.routes.spec import RouteSpec
from gateway.routes.system import healthz, readyz_handler
from security.tokens import AccessTokens
from storage.rate_limit import Limit, RateLimiter


def create_app(
    settings: Settings,
    bus: BusClient,
    limiter: RateLimiter,
    routes: list[RouteSpec] = ROUTES,
) -> web.Application:
    tokens = AccessTokens(
        settings.jwt_secret.get_secret_value(),
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.access_token_ttl_s,
    )
    metrics = GatewayMetrics()
    app = web.Application(
        client_max_size=settings.max_body_bytes,
        middlewares=[
            trace_middleware,
            metrics.middleware(),
            security_headers_middleware,
            error_middleware,
            cors_middleware(settings.cors_origins),
            operation_middleware,
            auth_middleware(tokens),
            rate_limit_middleware(
                limiter,
                user=Limit("user", settings.rate_user_per_s, settings.rate_user_burst),
                anonymous=Limit("anonymous", settings.rate_anon_per_s, settings.rate_anon_burst),
            ),
            login_throttle_middleware(limiter, settings.rate_login_per_min),
        ],
    )
    openapi = orjson.dumps(build_openapi(routes, SYSTEM_PATHS))
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz_handler(bus, settings.topic_prefix))
    app.router.add_get("/metrics", metrics.handle)
    app.router.add_get("/openapi.json", _static(openapi, "application/json"))
    asyncapi, asyncapi_page = asyncapi_document(settings.topic_prefix)
    app.router.add_get("/asyncapi.json", _static(orjson.dumps(asyncapi), "application/json"))
    app.router.add_get("/docs/asyncapi", _static(asyncapi_page.encode(), "text/html"))
    for route in routes:
        app.router.add_route(
            route.method, route.path, command_handler(route, bus, settings.topic_prefix)
        )
    return app


def _static(body: bytes, content_type: str) -> Handler:
    async def serve(_: web.Request) -> web.Response:
        return web.Response(body=body, content_type=content_type)

    return serve
