"""A stricter budget for password guessing: `POST /v1/auth/login` per client IP and email.

`settings.rate_login_per_min` attempts a minute (GCRA: that many at once, then one every
60/limit seconds), counted whatever the outcome, then 429 `RATE_LIMITED` with `Retry-After`.
It adds to the per-IP anonymous limit, which alone would let one IP try thousands of passwords
an hour. The email is read from the JSON body (the body stays readable for the route) and only
its digest goes into the Redis key: the key stays short and holds no address.
"""

import hashlib

import orjson
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from gateway.middleware.rate_limit import client_ip, enforce
from storage.rate_limit import Limit, RateLimiter

LOGIN_PATH = "/v1/auth/login"


def login_limit(per_min: int) -> Limit:
    return Limit("login", per_s=per_min / 60, burst=per_min)


async def email_of(request: web.Request) -> str:
    """The lower-cased email of a login body; "" when the body has none (it still counts)."""
    try:
        body = orjson.loads(await request.read())
    except orjson.JSONDecodeError:
        return ""
    email = body.get("email") if isinstance(body, dict) else None
    return email.strip().lower() if isinstance(email, str) else ""


def login_throttle_middleware(limiter: RateLimiter, per_min: int) -> Middleware:
    limit = login_limit(per_min)

    @web.middleware
    async def login_throttle(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method != "POST" or request.path != LOGIN_PATH:
            return await handler(request)
        email = hashlib.sha256((await email_of(request)).encode()).hexdigest()[:32]
        headers = await enforce(limiter, f"{client_ip(request)}:{email}", limit)
        response = await handler(request)
        response.headers.update(headers)
        return response

    return login_throttle
