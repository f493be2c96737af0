"""The `auth` routes."""

from gateway.routes.spec import RouteSpec

ROUTES: list[RouteSpec] = []
