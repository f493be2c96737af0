"""The crowd of virtual users on one shared HTTP connection pool: set up, then loaded.

Setting up (32 registrations hash 32 passwords with argon2) is a burst, not a steady state, so
it runs first and is measured apart; the clock of the warm-up and of the measured window
starts once every user is ready.
"""

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp

from deploy.bench.client import Caller
from deploy.bench.recorder import Recorder
from deploy.bench.scenario import VirtualUser

# Above the gateway's own reply deadline (10 s), so its 504 is what we see, not ours.
CLIENT_TIMEOUT_S = 15.0
SETUP_TIMEOUT_S = 180.0


@dataclass
class Crowd:
    users: list[VirtualUser]

    async def set_up(self) -> Recorder:
        """Every user registers, creates a bot and opens a thread; their calls are timed apart."""
        setup = Recorder(time.monotonic(), float("inf"))
        for user in self.users:
            user.caller.recorder = setup
        until = time.monotonic() + SETUP_TIMEOUT_S
        await asyncio.gather(*(user.set_up(until) for user in self.users))
        setup.window_end = time.monotonic()
        return setup

    async def run(self, recorder: Recorder) -> None:
        """The ready users loop until the recorder's window ends; in-flight calls finish."""
        for user in self.users:
            user.caller.recorder = recorder
        # The users stop by themselves at the window's end; this only guards against a hang.
        async with asyncio.timeout(recorder.window_end - time.monotonic() + CLIENT_TIMEOUT_S + 5):
            await asyncio.gather(*(user.run(recorder.window_end) for user in self.users))

    @property
    def ready(self) -> int:
        return sum(user.ready for user in self.users)


@contextlib.asynccontextmanager
async def crowd(base_url: str, users: int, run_id: str, seed: int) -> AsyncIterator[Crowd]:
    connector = aiohttp.TCPConnector(limit=users + 8)
    timeout = aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_S)
    async with aiohttp.ClientSession(base_url, connector=connector, timeout=timeout) as session:
        yield Crowd([_user(session, run_id, n, seed) for n in range(users)])


def _user(session: aiohttp.ClientSession, run_id: str, n: int, seed: int) -> VirtualUser:
    caller = Caller(session, Recorder(0.0, 0.0), op_prefix=f"bench-{run_id}-{n}")
    email = f"bench-{run_id}-{n}@example.com"
    return VirtualUser(caller, email, random.Random(seed * 100_003 + n))  # noqa: S311 (a load mix, not a secret)
