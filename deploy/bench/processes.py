"""Memory and CPU of the processes under test, read from /proc (Linux only, like `make up`).

Peak RSS is the kernel's own high-water mark (`VmHWM`), so nothing between two samples is
missed; `VmRSS` is also sampled during the run to show whether memory keeps growing. CPU is the
user+system time a process *and its children* used inside the measured window (Postgres runs
one backend per connection), as a percentage of one core.
"""

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def status_kb(pid: int, field: str) -> int:
    """A `kB` field of /proc/<pid>/status (`VmHWM`, `VmRSS`); 0 once the process is gone."""
    try:
        lines = (PROC / str(pid) / "status").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def children(pid: int) -> list[int]:
    try:
        return [
            int(p) for p in (PROC / str(pid) / "task" / str(pid) / "children").read_text().split()
        ]
    except OSError:
        return []


def python_pid(pid: int) -> int:
    """The Python process behind a pid file. `deploy/local/app.sh` records the pid of the
    subshell that launched Python rather than Python's own, so look one level down."""
    if "python" in cmdline(pid):
        return pid
    return next((child for child in children(pid) if "python" in cmdline(child)), pid)


def read_pid_file(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cpu_seconds(pid: int, tree: bool = False) -> float:
    """User+system CPU of `pid` in seconds; with `tree`, of its descendants too, the live ones
    and (through their parents' reaped-children times) the ones that exited, so the sum only
    grows even as Postgres backends come and go."""
    if not tree:
        return _cpu_ticks(pid, reaped=False) / CLOCK_TICKS
    return sum(_cpu_ticks(p, reaped=True) for p in [pid, *descendants(pid)]) / CLOCK_TICKS


def descendants(pid: int) -> list[int]:
    found: list[int] = []
    queue = children(pid)
    while queue:
        child = queue.pop()
        found.append(child)
        queue.extend(children(child))
    return found


def _cpu_ticks(pid: int, reaped: bool) -> int:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0
    # Fields after the command name (which may hold spaces) start at field 3: utime is field
    # 14, stime 15, and the times of waited-for children (cutime, cstime) 16 and 17.
    fields = [int(f) for f in stat[stat.rindex(")") + 2 :].split()[11:15]]
    return sum(fields) if reaped else fields[0] + fields[1]


def machine_busy_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot, from /proc/stat."""
    # user nice system idle iowait irq softirq steal (guest time is already inside user).
    values = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:9]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


@dataclass(frozen=True)
class Watched:
    """A process to report on; `app` ones (gateway, handlers) also get their memory reported.
    `tree` counts the CPU of its children too (Postgres backends; not the harness, whose
    children are the private stack's processes, reported on their own)."""

    name: str
    pid: int
    app: bool
    tree: bool = False
