"""GCRA rate limiting in Redis: one atomic script per request, the clock taken from Redis itself.

GCRA keeps one number per key (the "theoretical arrival time"), allows `burst` requests at once
and `rate` per second sustained, and tells exactly when the next request would be allowed.
"""

import math
from dataclasses import dataclass

from redis.asyncio import Redis

_GCRA = """
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - tolerance
if allow_at > now then
  return {0, math.ceil(allow_at - now), 0, math.ceil(tat - now)}
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now) + 1)
return {1, 0, math.floor((tolerance - (new_tat - now)) / interval), math.ceil(new_tat - now)}
"""


@dataclass(frozen=True)
class Limit:
    name: str
    per_s: float
    burst: int

    @property
    def window_s(self) -> int:
        return max(1, math.ceil(self.burst / self.per_s))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    retry_after_ms: int
    reset_ms: int


class RateLimiter:
    def __init__(self, redis: "Redis") -> None:
        self._redis = redis
        self._script = redis.register_script(_GCRA)

    async def hit(self, key: str, limit: Limit) -> Decision:
        interval_ms = 1000.0 / limit.per_s
        # The script admits a request while its new arrival time is within `burst` intervals.
        tolerance_ms = interval_ms * limit.burst
        allowed, retry_ms, remaining, reset_ms = await self._script(
            keys=[f"ratelimit:{limit.name}:{key}"], args=[interval_ms, tolerance_ms]
        )
        return Decision(bool(allowed), int(remaining), int(retry_ms), int(reset_ms))
