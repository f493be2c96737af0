"""What a bench run does, from CLI flags with `BENCH_*` environment variables as defaults."""

import argparse
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Options:
    users: int = 32
    duration_s: float = 30.0
    warmup_s: float = 5.0
    floor_s: float = 5.0
    url: str | None = None
    pids_dir: Path = ROOT / ".run" / "pids"
    reports_dir: Path = ROOT / "reports"
    seed: int = 1


def parse(argv: Sequence[str], env: Mapping[str, str] = os.environ) -> Options:
    parser = _parser(env)
    args = parser.parse_args(argv)
    if args.users < 1 or args.duration <= 0 or args.warmup < 0 or args.floor <= 0:
        parser.error("--users must be >= 1, --duration and --floor > 0, --warmup >= 0")
    return Options(
        users=args.users,
        duration_s=args.duration,
        warmup_s=args.warmup,
        floor_s=args.floor,
        url=args.url.rstrip("/") if args.url else None,
        pids_dir=args.pids_dir,
        reports_dir=args.reports_dir,
        seed=args.seed,
    )


def _parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deploy.bench", description=__doc__)

    def flag(
        name: str, var: str, kind: Callable[[str], object], default: object, text: str
    ) -> None:
        # The environment overrides the built-in default; a flag overrides both.
        value = kind(env[var]) if env.get(var) else default
        parser.add_argument(name, type=kind, default=value, help=f"{text} (env {var})")

    flag("--users", "BENCH_USERS", int, Options.users, "virtual users (one account each)")
    flag("--duration", "BENCH_DURATION", float, Options.duration_s, "measured seconds")
    flag("--warmup", "BENCH_WARMUP", float, Options.warmup_s, "seconds of load not counted")
    flag("--floor", "BENCH_FLOOR", float, Options.floor_s, "seconds per idle floor measurement")
    flag("--url", "BENCH_URL", str, None, "bench this running gateway instead of a private stack")
    flag("--pids-dir", "BENCH_PIDS_DIR", Path, Options.pids_dir, "pid files of --url's processes")
    flag("--reports-dir", "BENCH_REPORTS_DIR", Path, Options.reports_dir, "where reports go")
    flag("--seed", "BENCH_SEED", int, Options.seed, "seed of the virtual users' choices")
    return parser
