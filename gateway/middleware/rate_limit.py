"""Per-principal rate limits: a user's budget by user id, anonymous callers by IP address.

Answers 429 `RATE_LIMITED` with `Retry-After`, and `RateLimit-Policy` / `RateLimit` headers
(IETF httpapi-ratelimit-headers) on every limited response so clients can pace themselves.
"""

import math

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from contracts.errors import ErrorCode
from gateway.errors import ApiError
from gateway.request_keys import PRINCIPAL
from storage.rate_limit import Decision, Limit, RateLimiter


def limit_headers(limit: Limit, decision: Decision) -> dict[str, str]:
    reset_s = max(0, math.ceil(decision.reset_ms / 1000))
    return {
        "RateLimit-Policy": f'"{limit.name}";q={limit.burst};w={limit.window_s}',
        "RateLimit": f'"{limit.name}";r={decision.remaining};t={reset_s}',
    }


async def enforce(limiter: RateLimiter, key: str, limit: Limit) -> dict[str, str]:
    """Count one request; raise 429 when over, else return the headers to add."""
    decision = await limiter.hit(key, limit)
    headers = limit_headers(limit, decision)
    if not decision.allowed:
        headers["Retry-After"] = str(max(1, math.ceil(decision.retry_after_ms / 1000)))
        raise ApiError(ErrorCode.RATE_LIMITED, "too many requests", headers=headers)
    return headers


def client_ip(request: web.Request) -> str:
    return request.remote or "unknown"


def rate_limit_middleware(limiter: RateLimiter, user: Limit, anonymous: Limit) -> Middleware:
    @web.middleware
    async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith("/v1/"):
            return await handler(request)
        principal = request.get(PRINCIPAL)
        if principal is not None:
            headers = await enforce(limiter, f"user:{principal.user_id}", user)
        else:
            headers = await enforce(limiter, f"ip:{client_ip(request)}", anonymous)
        response = await handler(request)
        response.headers.update(headers)
        return response

    return rate_limit
