"""`switchboard init` and `infra check` with the stores: the embedded analytics store is asked
through the bus while its group holds it, and opened directly when nobody does."""

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import Settings
from deploy.infra_check import run_checks
from deploy.init_stores import init_stores
from gateway.bus_client import BusClient
from tests.support.callers import send_command
from tests.support.stack import ROOT, HandlerProcesses, settings_env


def with_local_blobs(settings: Settings, root: Path) -> Settings:
    return settings.model_copy(
        update={"objects_path": str(root / "objects"), "qdrant_path": str(root / "qdrant")}
    )


@pytest.mark.timeout(120)
async def test_the_check_asks_the_group_that_holds_the_embedded_store(
    settings: Settings, bus: BusClient, handlers: HandlerProcesses, tmp_path: Path
) -> None:
    # Once the group answers this, it holds its store open: this process must not open it.
    reply = await send_command(bus, settings, "analytics.store_check", {})
    assert (reply.status, reply.body) == (
        200,
        {"backend": "chdb", "detail": "answers; schema in place"},
    )
    local = with_local_blobs(settings, tmp_path)

    initialised = dict(await init_stores(local))
    assert "held by the running analytics group" in initialised["analytics"]
    assert "bucket ready" in initialised["objects"]
    assert "384 dimensions, cosine" in initialised["vectors"]

    results = {r.name: r for r in await run_checks(local)}
    assert all(r.ok for r in results.values()), results
    assert results["clickhouse"].detail.startswith("chdb (ClickHouse engine in-process) at ")
    assert "asked the analytics group that owns it" in results["clickhouse"].detail
    assert results["object storage"].detail.startswith("filesystem: directory ")
    assert "the local stand-in for S3" in results["object storage"].detail
    assert "probe upserted, found, deleted" in results["vector store"].detail


@pytest.mark.timeout(180)
async def test_init_then_check_open_an_embedded_store_that_nobody_holds(
    settings: Settings, handlers: HandlerProcesses, tmp_path: Path
) -> None:
    # Separate processes, as an operator runs them: each opens the chDB directory and lets go.
    local = with_local_blobs(settings, tmp_path).model_copy(
        update={"chdb_path": str(tmp_path / "chdb")}
    )
    env = settings_env(local)

    def switchboard(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "deploy", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return " ".join(done.stdout.split())  # the console wraps long lines

    initialised = await asyncio.to_thread(switchboard, "init")
    assert "analytics: chdb (ClickHouse engine in-process) at " in initialised
    assert "table `switchboard" in initialised
    checked = await asyncio.to_thread(switchboard, "infra", "check")
    assert "no process held it; opened by this check" in checked
    assert "All infra checks passed" in checked
