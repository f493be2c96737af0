"""The chaos run's own stack: a private database and topic prefix on the local Kafka and
Postgres, two replicas of each command group (so one can take over the other's partitions),
one analytics process (its embedded store has one owner), and a gateway."""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from config.settings import Settings, settings_env
from contracts.topics import Service
from deploy.scratch import free_port, scratch_deployment, with_database

ROOT = Path(__file__).resolve().parents[2]
REPLICATED: tuple[Service, ...] = ("auth", "bots", "conversations")
LOOSE_LIMITS = {
    "rate_user_per_s": 1_000_000.0,
    "rate_user_burst": 1_000_000,
    "rate_anon_per_s": 1_000_000.0,
    "rate_anon_burst": 1_000_000,
    "rate_login_per_min": 1_000_000,
}


@dataclass
class ChaosStack:
    settings: Settings
    log_dir: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.gateway_port}"

    @property
    def names(self) -> list[str]:
        return [f"{g}-{n}" for g in REPLICATED for n in (1, 2)] + ["analytics-1", "gateway"]

    def start(self, name: str) -> None:
        module = ["gateway"] if name == "gateway" else ["handlers", name.rsplit("-", 1)[0]]
        with (self.log_dir / f"{name}.log").open("ab") as log:
            # Our own interpreter and module names: nothing external reaches the command line.
            self.procs[name] = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", *module],
                cwd=ROOT,
                env=settings_env(self.settings, _inherited()),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def signal(self, name: str, how: signal.Signals) -> None:
        proc = self.procs.pop(name)
        proc.send_signal(how)
        proc.wait(timeout=60)

    def stop_all(self) -> None:
        for name in sorted(self.procs, key=lambda n: n != "gateway"):
            self.procs[name].terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()

    async def ready(self, timeout_s: float = 120.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout_s
        async with aiohttp.ClientSession(self.base_url) as http:
            while asyncio.get_running_loop().time() < deadline:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with http.get("/readyz", timeout=aiohttp.ClientTimeout(total=5)) as r:
                        if r.status == 200:
                            return
                await asyncio.sleep(0.5)
        raise RuntimeError(
            f"the chaos stack was not ready in {timeout_s:.0f} s; logs in {self.log_dir}"
        )


@contextlib.asynccontextmanager
async def chaos_stack(log_dir: Path) -> AsyncIterator[ChaosStack]:
    run = uuid.uuid4().hex[:8]
    settings = _settings(run)
    async with contextlib.AsyncExitStack() as undo:
        await undo.enter_async_context(scratch_deployment(settings))
        stack = ChaosStack(settings, log_dir)
        undo.callback(stack.stop_all)
        for process in stack.names:
            stack.start(process)
        await stack.ready()
        yield stack


def _settings(run: str) -> Settings:
    base = Settings()
    database = f"switchboard_chaos_{run}"
    urls = {
        key: with_database(getattr(base, key), database)
        for key in ("database_url", "admin_database_url", "relay_database_url")
    }
    return base.model_copy(
        update={
            **LOOSE_LIMITS,
            **urls,
            "topic_prefix": f"chaos{run}.",
            "gateway_port": free_port(),
            "gateway_instance_id": f"chaos-{run}",
        }
    )


def _inherited() -> dict[str, str]:
    """Our environment without SWITCHBOARD_* (the stack's settings are set explicitly)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("SWITCHBOARD_")}
