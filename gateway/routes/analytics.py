"""The `analytics` routes (served by the `analytics` group from its analytics store)."""

from contracts.commands.analytics import UsageReport
from gateway.routes.spec import RouteSpec

ROUTES: list[RouteSpec] = [
    RouteSpec(
        "GET",
        "/v1/analytics/usage",
        "analytics.usage",
        "Usage per time bucket and bot: turns, messages, failed turns, latency, tokens",
        response=UsageReport,
        tag="analytics",
    ),
]
