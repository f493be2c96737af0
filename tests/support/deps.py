"""Handler dependencies for tests that wire use cases without running a process."""

from redis.asyncio import Redis

from config.settings import Settings
from handlers.deps import Deps
from tests.support.callers import access_tokens


def wired_deps(settings: Settings) -> Deps:
    # Redis.from_url connects lazily: wiring tests never touch the server.
    return Deps(
        settings=settings,
        access_tokens=access_tokens(settings),
        redis=Redis.from_url(settings.redis_url),
    )
