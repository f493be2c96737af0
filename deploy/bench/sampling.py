"""Times one action over and over, one at a time, into a histogram."""

import asyncio
import time
from collections.abc import Awaitable, Callable

from deploy.bench.histogram import Histogram

Action = Callable[[], Awaitable[None]]


async def sample_until(action: Action, end: float, pause_s: float = 0.0) -> Histogram:
    """Run `action` back to back (or `pause_s` apart) until the monotonic clock reaches `end`."""
    histogram = Histogram()
    while time.monotonic() < end:
        started = time.monotonic()
        await action()
        histogram.record(time.monotonic() - started)
        if pause_s:
            await asyncio.sleep(pause_s)
    return histogram


async def idle_floor(action: Action, warmup_s: float, seconds: float) -> Histogram:
    """A floor on a quiet system: `warmup_s` of unrecorded calls (connections, metadata,
    caches), then `seconds` recorded."""
    await sample_until(action, time.monotonic() + warmup_s)
    return await sample_until(action, time.monotonic() + seconds)
