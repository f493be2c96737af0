"""The `conversations` routes."""

from gateway.routes.spec import RouteSpec

ROUTES: list[RouteSpec] = []
