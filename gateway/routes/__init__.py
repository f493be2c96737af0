"""The route table: every `/v1` route is a `RouteSpec` naming the command it becomes."""

from gateway.routes import analytics, auth, bots, conversations, webhooks
from gateway.routes.spec import RouteSpec

ROUTES: list[RouteSpec] = [
    *auth.ROUTES,
    *bots.ROUTES,
    *conversations.ROUTES,
    *webhooks.ROUTES,
    *analytics.ROUTES,
]
