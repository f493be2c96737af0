"""The faults, on a schedule over the run: SIGKILLed handler replicas (restarted a moment later),
one Kafka restart, one Postgres restart, one gateway restart, and poison records."""

import asyncio
import signal
import subprocess
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from config.settings import Settings
from contracts.topics import command_topic
from deploy.chaos.stack import REPLICATED, ROOT, ChaosStack
from gateway.bus_client import BusClient

LOCAL = ROOT / "deploy" / "local"


@dataclass
class FaultLog:
    events: list[str] = field(default_factory=list)
    poison_traces: list[str] = field(default_factory=list)

    def note(self, event: str) -> None:
        self.events.append(event)
        print(f"chaos: {event}", flush=True)


async def kill_replicas(stack: ChaosStack, round_: int, faults: FaultLog) -> None:
    for group in REPLICATED:
        name = f"{group}-{1 + round_ % 2}"
        await asyncio.to_thread(stack.signal, name, signal.SIGKILL)
        faults.note(f"kill -9 {name}")
    await asyncio.sleep(1.0)
    for group in REPLICATED:
        stack.start(f"{group}-{1 + round_ % 2}")


async def restart_service(script: str, faults: FaultLog) -> None:
    for action in ("stop", "start"):
        await asyncio.to_thread(
            subprocess.run,
            ["bash", str(LOCAL / script), action],
            check=True,
            capture_output=True,
        )
    faults.note(f"restarted {script.removesuffix('.sh')}")


async def restart_gateway(stack: ChaosStack, faults: FaultLog) -> None:
    await asyncio.to_thread(stack.signal, "gateway", signal.SIGTERM)
    stack.start("gateway")
    faults.note("restarted the gateway")


async def inject_poison(settings: Settings, faults: FaultLog) -> None:
    bus = BusClient(settings.kafka_bootstrap, f"{settings.topic_prefix}chaos.poison", 5.0)
    await bus.start()
    try:
        for group in REPLICATED:
            trace = f"poison-{uuid.uuid4().hex}"
            await bus.publish(
                command_topic(group, settings.topic_prefix),
                b"\x00not a command",
                None,
                {"trace_id": trace},
            )
            faults.poison_traces.append(trace)
    finally:
        await bus.stop()
    faults.note(f"injected {len(faults.poison_traces)} poison records")


def schedule(
    stack: ChaosStack, duration_s: float, faults: FaultLog
) -> list[tuple[float, Callable[[], Awaitable[None]]]]:
    """(seconds after the load started, fault) pairs, spread over the run."""
    at = [duration_s * share for share in (0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.85)]
    return [
        (at[0], lambda: kill_replicas(stack, 0, faults)),
        (at[1], lambda: inject_poison(stack.settings, faults)),
        (at[2], lambda: restart_service("kafka.sh", faults)),
        (at[3], lambda: kill_replicas(stack, 1, faults)),
        (at[4], lambda: restart_service("postgres.sh", faults)),
        (at[5], lambda: restart_gateway(stack, faults)),
        (at[6], lambda: kill_replicas(stack, 2, faults)),
    ]


async def run_faults(stack: ChaosStack, duration_s: float, faults: FaultLog) -> None:
    started = asyncio.get_running_loop().time()
    for offset, fault in schedule(stack, duration_s, faults):
        await asyncio.sleep(max(0.0, started + offset - asyncio.get_running_loop().time()))
        try:
            await fault()
        except Exception as exc:  # a fault that fails to inject is reported, the run goes on
            faults.note(f"fault failed: {type(exc).__name__}: {exc}")
