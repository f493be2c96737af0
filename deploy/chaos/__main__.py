"""`python -m deploy.chaos [--users N] [--duration S]` (`make chaos`): load under faults, then
verify. Needs the local Kafka and Postgres of `make infra`, and restarts each of them once.

Last line: `chaos: acknowledged=N lost=N duplicates=N dlq=N` (exit 1 unless lost=0,
duplicates=0 and every poison record reached a dead-letter topic).
"""

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import create_async_engine

from config.settings import settings_env
from deploy.chaos import verify
from deploy.chaos.client import Ledger
from deploy.chaos.faults import FaultLog, run_faults
from deploy.chaos.load import run_users
from deploy.chaos.stack import ROOT, ChaosStack, chaos_stack
from deploy.dlq.letters import Filters
from deploy.dlq.reader import read_dead_letters

SETTLE_S = 20.0


async def main(users: int, duration_s: float, log_dir: Path) -> verify.Verdict:
    async with chaos_stack(log_dir) as stack:
        print(
            f"chaos: {users} users for {duration_s:g} s against {stack.base_url}; logs in {log_dir}",
            flush=True,
        )
        ledger, faults = Ledger(), FaultLog()
        until = asyncio.get_running_loop().time() + duration_s
        await asyncio.gather(
            run_users(stack.base_url, users, until, ledger), run_faults(stack, duration_s, faults)
        )
        await stack.ready()
        await asyncio.sleep(SETTLE_S)  # relays drain, redeliveries land
        return await _verdict(stack, ledger, faults)


async def _verdict(stack: ChaosStack, ledger: Ledger, faults: FaultLog) -> verify.Verdict:
    settings = stack.settings
    letters = await read_dead_letters(settings.kafka_bootstrap, settings.topic_prefix, Filters())
    poisoned = {letter.headers.get("trace_id") for letter in letters} & set(faults.poison_traces)
    engine = create_async_engine(settings.admin_database_url)
    try:
        async with engine.connect() as conn:
            before = await verify.totals(conn)
            lost = await verify.lost(conn, ledger.acknowledged)
            doubled = await verify.duplicates(conn)
        _replay_dead_letters(stack)
        async with engine.connect() as conn:
            after = await verify.totals(conn)
    finally:
        await engine.dispose()
    print(
        f"chaos: {len(letters)} dead letters; replayed them all: totals {before} -> {after}",
        flush=True,
    )
    print(
        f"chaos: {len(ledger.given_up)} operations given up after retries; {ledger.attempts} attempts",
        flush=True,
    )
    changed = 0 if before == after else 1
    return verify.Verdict(
        len(ledger.acknowledged), lost, doubled + changed, len(poisoned), len(faults.poison_traces)
    )


def _replay_dead_letters(stack: ChaosStack) -> None:
    env = settings_env(stack.settings, {"PATH": "/usr/bin:/bin"})
    # Our own interpreter and CLI: nothing external reaches the command line.
    subprocess.run(
        [sys.executable, "-m", "deploy", "dlq", "replay", "--rate", "50"],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0)
    args = parser.parse_args()
    log_dir = ROOT / ".run" / f"chaos-{time.strftime('%Y%m%d-%H%M%S')}"
    log_dir.mkdir(parents=True, exist_ok=True)
    verdict = asyncio.run(main(args.users, args.duration, log_dir))
    print(
        f"chaos: acknowledged={verdict.acknowledged} lost={verdict.lost} "
        f"duplicates={verdict.duplicates} dlq={verdict.dlq}",
        flush=True,
    )
    sys.exit(0 if verdict.ok else 1)
