"""The GCRA script against real Redis: bursts, refusals, the time to wait, per-key budgets."""

import asyncio
import uuid

from redis.asyncio import Redis

from storage.rate_limit import Limit, RateLimiter


async def test_a_burst_is_allowed_then_refused_with_the_time_to_wait(redis: Redis) -> None:
    limiter, key = RateLimiter(redis), uuid.uuid4().hex
    limit = Limit("test", per_s=1.0, burst=3)
    decisions = [await limiter.hit(key, limit) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions[:3]] == [2, 1, 0]
    assert 900 <= decisions[3].retry_after_ms <= 1000


async def test_budgets_are_per_key(redis: Redis) -> None:
    limiter, limit = RateLimiter(redis), Limit("test", per_s=1.0, burst=1)
    assert (await limiter.hit(uuid.uuid4().hex, limit)).allowed
    assert (await limiter.hit(uuid.uuid4().hex, limit)).allowed


async def test_the_budget_refills_at_the_sustained_rate(redis: Redis) -> None:
    limiter, key = RateLimiter(redis), uuid.uuid4().hex
    limit = Limit("test", per_s=20.0, burst=1)
    assert (await limiter.hit(key, limit)).allowed
    assert not (await limiter.hit(key, limit)).allowed
    await asyncio.sleep(0.06)
    assert (await limiter.hit(key, limit)).allowed


async def test_concurrent_hits_never_exceed_the_burst(redis: Redis) -> None:
    limiter, key = RateLimiter(redis), uuid.uuid4().hex
    limit = Limit("test", per_s=0.5, burst=10)
    decisions = await asyncio.gather(*(limiter.hit(key, limit) for _ in range(50)))
    assert sum(d.allowed for d in decisions) == 10
