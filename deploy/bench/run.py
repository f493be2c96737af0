"""One bench run: a stack, the idle floors, then the load with probes and process watching."""

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from deploy.bench.context import run_context
from deploy.bench.figures import CLIENT, Figures, Floor
from deploy.bench.histogram import Histogram
from deploy.bench.kafka_floor import KafkaFloor, turn_command
from deploy.bench.load import Crowd, crowd
from deploy.bench.options import ROOT, Options
from deploy.bench.pg_floor import PgFloor
from deploy.bench.processes import Watched, read_pid_file
from deploy.bench.recorder import Recorder
from deploy.bench.sampling import Action, idle_floor, sample_until
from deploy.bench.stack import Target, asyncpg_dsn, private_stack, running_stack
from deploy.bench.watch import Usage, Watch

LOG_DIR = ROOT / ".run" / "logs" / "bench"
# Probes during the load: a few a second, so they feel the load without adding much to it.
PROBE_PAUSE_S = 0.1
FLOOR_WARMUP_S = 1.0


@dataclass(frozen=True)
class Loaded:
    setup: Recorder
    users_ready: int
    recorder: Recorder
    watch: Watch
    kafka: Histogram
    postgres: Histogram


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


async def bench(options: Options) -> Figures:
    run_id = f"{time.strftime('%Y%m%d%H%M%S')}{uuid.uuid4().hex[:4]}"
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    async with _stack(options, run_id) as target, _floors(target, run_id) as (kafka, postgres):
        kafka_idle, pg_idle = await _idle_floors(options, kafka, postgres)
        loaded = await _load(options, target, run_id, kafka, postgres)
        usages = loaded.watch.usages(options.duration_s)  # while the processes still run
    context = run_context(options, target.settings, target.description, target.notes)
    context["kafka floor record"] = f"{kafka.record_bytes} bytes, a turn command's with headers"
    floors = (
        Floor(kafka_idle, loaded.kafka, KafkaFloor.DETAIL),
        Floor(pg_idle, loaded.postgres, PgFloor.DETAIL),
    )
    return _figures(run_id, started_at, context, options, loaded, floors, usages)


def _figures(
    run_id: str,
    started_at: str,
    context: dict[str, object],
    options: Options,
    loaded: Loaded,
    floors: tuple[Floor, Floor],
    usages: list[Usage],
) -> Figures:
    return Figures(
        run_id=run_id,
        started_at=started_at,
        context=context,
        window_s=options.duration_s,
        routes=loaded.recorder.routes,
        setup=loaded.setup.routes,
        setup_s=loaded.setup.window_end - loaded.setup.window_start,
        users=(loaded.users_ready, options.users),
        kafka=floors[0],
        postgres=floors[1],
        usages=usages,
        machine_busy_percent=loaded.watch.machine_busy_percent(),
        unwatched_cpu_percent=loaded.watch.unwatched_cpu_percent(options.duration_s),
        cpus=os.cpu_count() or 1,
    )


def _stack(options: Options, run_id: str) -> contextlib.AbstractAsyncContextManager[Target]:
    if options.url:
        say(f"benching the running gateway at {options.url}")
        return running_stack(options)
    say(f"starting a private stack with raised rate limits (logs in {LOG_DIR})")
    return private_stack(run_id, LOG_DIR)


@contextlib.asynccontextmanager
async def _floors(target: Target, run_id: str) -> AsyncIterator[tuple[KafkaFloor, PgFloor]]:
    say(target.description)
    for note in target.notes:
        say(f"note: {note}")
    settings = target.settings
    kafka = KafkaFloor(settings.kafka_bootstrap, f"benchfloor{run_id}.", turn_command(settings))
    postgres = PgFloor(asyncpg_dsn(target.admin_url), f"bench_floor_{run_id}")
    async with contextlib.AsyncExitStack() as undo:
        await kafka.start()
        undo.push_async_callback(kafka.stop)
        await postgres.start()
        undo.push_async_callback(postgres.stop)
        yield kafka, postgres


async def _idle_floors(
    options: Options, kafka: KafkaFloor, postgres: PgFloor
) -> tuple[Histogram, Histogram]:
    say(f"idle floors, {options.floor_s:g} s each")
    kafka_idle = await idle_floor(kafka.round_trip, FLOOR_WARMUP_S, options.floor_s)
    pg_idle = await idle_floor(postgres.transaction, FLOOR_WARMUP_S, options.floor_s)
    say(
        f"floor p50: Kafka round trip {kafka_idle.percentile_ms(50):.2f} ms, "
        f"Postgres turn inserts {pg_idle.percentile_ms(50):.2f} ms"
    )
    return kafka_idle, pg_idle


async def _load(
    options: Options, target: Target, run_id: str, kafka: KafkaFloor, postgres: PgFloor
) -> Loaded:
    watch = Watch(_watched(target, options))
    sampler = asyncio.create_task(watch.sample_until_cancelled())
    try:
        async with crowd(target.base_url, options.users, run_id, options.seed) as users:
            setup = await _set_up(users, options.users)
            start = time.monotonic() + options.warmup_s
            recorder = Recorder(start, start + options.duration_s)
            say(f"load: warm-up {options.warmup_s:g} s, then {options.duration_s:g} s measured")
            kafka_loaded, pg_loaded, *_ = await asyncio.gather(
                _probe(kafka.round_trip, recorder),
                _probe(postgres.transaction, recorder),
                _mark_window(watch, recorder),
                users.run(recorder),
            )
    finally:
        sampler.cancel()
    return Loaded(setup, users.ready, recorder, watch, kafka_loaded, pg_loaded)


async def _set_up(users: Crowd, count: int) -> Recorder:
    say(f"setting up {count} users (register, create a bot, open a thread)")
    setup = await users.set_up()
    say(f"{users.ready} of {count} users ready in {setup.window_end - setup.window_start:.1f} s")
    if not users.ready:
        raise RuntimeError(f"no user could be set up; the app's logs are in {LOG_DIR}")
    return setup


async def _probe(action: Action, recorder: Recorder) -> Histogram:
    await _sleep_until(recorder.window_start)
    return await sample_until(action, recorder.window_end, PROBE_PAUSE_S)


async def _mark_window(watch: Watch, recorder: Recorder) -> None:
    await _sleep_until(recorder.window_start)
    watch.mark_window_start()
    await _sleep_until(recorder.window_end)
    watch.mark_window_end()


async def _sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.monotonic()))


def _watched(target: Target, options: Options) -> list[Watched]:
    """The app's processes (memory and CPU), the shared services and ourselves (CPU only)."""
    run_dir = options.pids_dir.parent
    infra = {
        "kafka": read_pid_file(options.pids_dir / "kafka.pid"),
        "postgres": read_pid_file(run_dir / "postgres" / "data" / "postmaster.pid"),
        "redis": read_pid_file(options.pids_dir / "redis.pid"),
        CLIENT: os.getpid(),
    }
    apps = [Watched(name, pid, app=True) for name, pid in target.apps.items()]
    others = [Watched(name, pid, False, tree=name != CLIENT) for name, pid in infra.items() if pid]
    return apps + others
