"""Where and how a run happened, for the report: code version, machine, options, settings."""

import os
import subprocess
from pathlib import Path

from config.settings import Settings
from deploy.bench.options import ROOT, Options

# The settings that change the figures; the report repeats their values.
REPORTED_SETTINGS = (
    "environment",
    "log_level",
    "handler_max_workers",
    "database_pool_size",
    "reply_timeout_s",
    "rate_user_per_s",
    "rate_user_burst",
)


def run_context(
    options: Options, settings: Settings, stack: str, notes: list[str]
) -> dict[str, object]:
    return {
        "stack": stack,
        "notes": "; ".join(notes) or "none",
        "code": _git_version(),
        "machine": _machine(),
        "load": f"{options.users} users, warm-up {options.warmup_s:g} s, measured {options.duration_s:g} s, seed {options.seed}",
        "settings": ", ".join(f"{name}={getattr(settings, name)}" for name in REPORTED_SETTINGS),
    }


def _git_version() -> str:
    """`git describe`-like, read only: the commit and whether the tree had local changes."""
    try:
        head = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"{head}{' with uncommitted changes' if dirty else ''}"


def _git(*args: str) -> str:
    command = ["git", "-C", str(ROOT), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603


def _machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in _lines("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    memory = next(
        (line.split()[1] for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), "0"
    )
    return (
        f"{os.cpu_count()} CPUs ({model}), {int(memory) // 1024 // 1024} GiB, everything co-located"
    )


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []
