"""The private stack's processes: one per handler group and a gateway, as in production."""

import asyncio
import contextlib
import os
import subprocess
import sys
from pathlib import Path

import aiohttp

from config.settings import Settings
from contracts.topics import SERVICES
from deploy.bench.options import ROOT

READY_TIMEOUT_S = 120.0
Processes = dict[str, subprocess.Popen[bytes]]


def _child_env(settings: Settings, overrides: list[str]) -> dict[str, str]:
    """Our environment plus the overridden settings: anything else the user exported
    (`SWITCHBOARD_HANDLER_MAX_WORKERS=6 make bench`) reaches the processes unchanged."""
    env = dict(os.environ)
    for key in overrides:
        env[f"SWITCHBOARD_{key.upper()}"] = str(getattr(settings, key))
    return env


def launch_all(settings: Settings, overrides: list[str], log_dir: Path) -> Processes:
    env = _child_env(settings, overrides)
    log_dir.mkdir(parents=True, exist_ok=True)
    commands = {group: ["handlers", group] for group in SERVICES} | {"gateway": ["gateway"]}
    return {name: _launch(args, env, log_dir / f"{name}.log") for name, args in commands.items()}


def _launch(module_args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        # Our own interpreter with fixed module names: no untrusted input reaches the command.
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", *module_args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


async def wait_ready(base_url: str, procs: Processes, log_dir: Path) -> None:
    """Until `/readyz` is 200 (Kafka reachable, every group answered a ping)."""
    deadline = asyncio.get_running_loop().time() + READY_TIMEOUT_S
    async with aiohttp.ClientSession(base_url) as http:
        while asyncio.get_running_loop().time() < deadline:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited on start; its log is {log_dir / name}.log")
            if await _ready(http):
                return
            await asyncio.sleep(0.5)
    raise RuntimeError(f"the private stack was not ready in {READY_TIMEOUT_S:.0f} s; see {log_dir}")


async def _ready(http: aiohttp.ClientSession) -> bool:
    with contextlib.suppress(aiohttp.ClientError, TimeoutError):
        async with http.get("/readyz", timeout=aiohttp.ClientTimeout(total=5)) as response:
            return response.status == 200
    return False


def stop_all(procs: Processes) -> None:
    """SIGTERM the processes we started (the gateway first, as app.sh does), then wait."""
    for name in ("gateway", *SERVICES):
        if name in procs:
            procs[name].terminate()
    for proc in procs.values():
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
