"""The services a test session runs on: its own database and topic prefix on the shared
Kafka/Postgres/Redis, its own handler processes, and an in-process gateway."""

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from pydantic import SecretStr

from config.settings import Settings
from config.settings import settings_env as config_settings_env
from contracts.envelope import Envelope
from contracts.topics import SERVICES, Service, command_topic, reply_topic
from deploy.scratch import with_database
from gateway.bus_client import BusClient

ROOT = Path(__file__).resolve().parents[2]


def test_settings(**overrides: object) -> Settings:
    """Settings of one test session: a fresh prefix and database, fast retries, loose limits."""
    run = uuid.uuid4().hex[:8]
    base = Settings()
    values: dict[str, object] = {
        "environment": "test",
        "jwt_secret": SecretStr(secrets.token_urlsafe(48)),
        "topic_prefix": f"t{run}.",
        "database_url": with_database(base.database_url, f"switchboard_t_{run}"),
        "admin_database_url": with_database(base.admin_database_url, f"switchboard_t_{run}"),
        "relay_database_url": with_database(base.relay_database_url, f"switchboard_t_{run}"),
        "gateway_instance_id": f"test-{run}",
        # Embedded stores of this session only (the `settings` fixture removes them).
        "chdb_path": str(ROOT / ".run" / "test-stores" / run / "chdb"),
        "qdrant_path": str(ROOT / ".run" / "test-stores" / run / "qdrant"),
        "objects_path": str(ROOT / ".run" / "test-stores" / run / "objects"),
        "handler_retry_backoff_s": 0.05,
        "transient_retry_budget_s": 15.0,
        "rate_user_per_s": 10_000.0,
        "rate_user_burst": 10_000,
        "rate_anon_per_s": 10_000.0,
        "rate_anon_burst": 10_000,
        "rate_login_per_min": 10_000,
    }
    values.update(overrides)
    return base.model_copy(update=values)


def settings_env(settings: Settings) -> dict[str, str]:
    """Our environment, with exactly these settings for a child process (secrets included)."""
    return config_settings_env(settings, dict(os.environ))


class HandlerProcesses:
    """One OS process per handler group, as in production; tests may kill and restart them."""

    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self._settings = settings
        self._log_dir = log_dir
        self._procs: dict[Service, subprocess.Popen[bytes]] = {}

    def start(self, service: Service) -> None:
        log = (self._log_dir / f"{service}.log").open("ab")
        self._procs[service] = subprocess.Popen(
            [sys.executable, "-m", "handlers", service],
            cwd=ROOT,
            env=settings_env(self._settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def start_all(self) -> None:
        for service in SERVICES:
            self.start(service)

    def kill(self, service: Service) -> None:
        """SIGKILL: no graceful shutdown, no offset commit, nothing flushed."""
        self.stop(service, signal.SIGKILL)

    def stop(self, service: Service, how: signal.Signals = signal.SIGTERM) -> int:
        """Signal the group's process and wait for it; its exit code."""
        proc = self._procs.pop(service)
        proc.send_signal(how)
        return proc.wait(timeout=30)

    def stop_all(self) -> None:
        for proc in self._procs.values():
            proc.terminate()
        for proc in self._procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self._procs.clear()

    def log(self, service: Service) -> str:
        return (self._log_dir / f"{service}.log").read_text(errors="replace")


def new_bus(settings: Settings, name: str) -> BusClient:
    return BusClient(
        settings.kafka_bootstrap,
        reply_topic(f"{settings.gateway_instance_id}-{name}", settings.topic_prefix),
        settings.reply_timeout_s,
    )


async def wait_until_groups_answer(bus: BusClient, settings: Settings, timeout_s: float) -> None:
    """Every group answers a ping (its consumers joined and got partitions)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    pending = set(SERVICES)
    while pending:
        for service in list(pending):
            envelope = Envelope(
                type=f"{service}.ping", operation_id=uuid.uuid4().hex, trace_id=uuid.uuid4().hex
            )
            try:
                async with asyncio.timeout(2):
                    reply = await bus.request(
                        command_topic(service, settings.topic_prefix), envelope, None, None
                    )
                if reply.ok:
                    pending.discard(service)
            except Exception:
                pass
        if pending and asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"handler groups not answering: {sorted(pending)}")
