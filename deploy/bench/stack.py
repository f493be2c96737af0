"""What the load runs against: a private copy of the app, or a gateway already running.

The private stack (the default) is the test suite's recipe: its own database (migrated from
empty), topic prefix, gateway port and handler processes on the shared Kafka, PostgreSQL and
Redis, with the rate limits raised so the bench never measures 429s. It disturbs nothing a
running `make up` stack or a test session uses, starts from the same empty tables every run,
and everything it made is removed at the end.
"""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from config.settings import Settings
from contracts.topics import SERVICES
from deploy.bench.launch import launch_all, stop_all, wait_ready
from deploy.bench.options import Options
from deploy.bench.processes import python_pid, read_pid_file
from deploy.scratch import free_port, scratch_deployment, with_database

# High enough that no virtual user is ever throttled; each user is its own principal.
RAISED_LIMITS = {
    "rate_user_per_s": 1_000_000,
    "rate_user_burst": 1_000_000,
    "rate_anon_per_s": 1_000_000,
    "rate_anon_burst": 1_000_000,
    "rate_login_per_min": 1_000_000,
}
# What makes the stack private: its own database, topics, consumer groups and gateway.
PRIVATE = (
    "topic_prefix",
    "database_url",
    "admin_database_url",
    "relay_database_url",
    "gateway_port",
    "gateway_instance_id",
)


@dataclass(frozen=True)
class Target:
    base_url: str
    settings: Settings  # as the stack's processes see them (reported, floors reuse them)
    admin_url: str  # a database where the Postgres floor may make a throwaway schema
    apps: dict[str, int]  # gateway and handler groups: name -> Python pid
    description: str
    notes: list[str] = field(default_factory=list)


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.asynccontextmanager
async def running_stack(options: Options) -> AsyncIterator[Target]:
    """The gateway at `--url`, its processes found through the pid files of `make up`."""
    assert options.url is not None
    settings = Settings()
    apps = {}
    for name in ("gateway", *SERVICES):
        pid = read_pid_file(options.pids_dir / f"{name}.pid")
        if pid is not None:
            apps[name] = python_pid(pid)
    note = "rate limits are those the running stack was started with: 429s count as errors"
    yield Target(
        options.url,
        settings,
        settings.admin_database_url,
        apps,
        f"running stack at {options.url}",
        [note],
    )


@contextlib.asynccontextmanager
async def private_stack(run_id: str, log_dir: Path) -> AsyncIterator[Target]:
    settings = _private_settings(run_id)
    name = make_url(settings.database_url).database or ""
    # Undone in reverse order, each step even if a later one failed.
    async with contextlib.AsyncExitStack() as undo:
        await undo.enter_async_context(scratch_deployment(settings))
        procs = launch_all(settings, [*RAISED_LIMITS, *PRIVATE], log_dir)
        undo.callback(stop_all, procs)
        base_url = f"http://127.0.0.1:{settings.gateway_port}"
        await wait_ready(base_url, procs, log_dir)
        description = (
            f"private stack: database {name}, topic prefix {settings.topic_prefix}, "
            f"gateway {base_url}, rate limits raised to {RAISED_LIMITS['rate_user_per_s']:,}/s"
        )
        apps = {n: p.pid for n, p in procs.items()}
        yield Target(base_url, settings, settings.admin_database_url, apps, description)


def _private_settings(run_id: str) -> Settings:
    base = Settings()
    name = f"switchboard_bench_{run_id}"
    values: dict[str, object] = {
        **RAISED_LIMITS,
        "topic_prefix": f"bench{run_id}.",
        "database_url": with_database(base.database_url, name),
        "admin_database_url": with_database(base.admin_database_url, name),
        "relay_database_url": with_database(base.relay_database_url, name),
        "gateway_port": free_port(),
        "gateway_instance_id": f"bench-{run_id}",
    }
    return base.model_copy(update=values)
