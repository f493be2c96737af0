"""Bearer access tokens, verified at the edge so a bad token costs no Kafka round trip.

The handlers verify again (they are the authority, and integrations bypass the gateway); here
we only reject early and learn the principal the rate limiter keys on.
"""

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from contracts.errors import ErrorCode
from gateway.errors import ApiError
from gateway.request_keys import PRINCIPAL
from security.tokens import AccessTokens, TokenError, bearer


def auth_middleware(tokens: AccessTokens) -> Middleware:
    @web.middleware
    async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
        header = request.headers.get("Authorization")
        needs_auth = request.match_info.route.resource is not None and _requires_auth(request)
        if header is None:
            if needs_auth:
                raise ApiError(ErrorCode.UNAUTHORIZED, "a bearer token is required")
            return await handler(request)
        token = bearer(header)
        if token is None:
            raise ApiError(
                ErrorCode.UNAUTHORIZED, "the Authorization header must be 'Bearer <token>'"
            )
        if needs_auth:
            try:
                request[PRINCIPAL] = tokens.verify(token)
            except TokenError as exc:
                code = ErrorCode.TOKEN_EXPIRED if exc.expired else ErrorCode.UNAUTHORIZED
                raise ApiError(code, str(exc)) from exc
        return await handler(request)

    return authenticate


def _requires_auth(request: web.Request) -> bool:
    spec = getattr(request.match_info.handler, "route_spec", None)
    return bool(spec is not None and spec.auth)
