"""Watches the processes under test during a run: RSS samples, peak RSS, CPU in the window."""

import asyncio
import os
from dataclasses import dataclass, field

from deploy.bench.processes import Watched, cpu_seconds, machine_busy_ticks, status_kb

SAMPLE_EVERY_S = 0.5


@dataclass(frozen=True)
class Usage:
    name: str
    pid: int
    app: bool
    peak_rss_mb: float  # VmHWM: the kernel's high-water mark since the process started
    sampled_rss_mb: float  # the largest VmRSS sampled during the run
    cpu_percent: float  # of one core, inside the measured window


@dataclass
class Watch:
    processes: list[Watched]
    _rss_max_kb: dict[str, int] = field(default_factory=dict)
    _cpu_start: dict[str, float] = field(default_factory=dict)
    _cpu_end: dict[str, float] = field(default_factory=dict)
    _busy: list[tuple[int, int]] = field(default_factory=list)

    def sample(self) -> None:
        for proc in self.processes:
            if proc.app:
                rss = status_kb(proc.pid, "VmRSS")
                self._rss_max_kb[proc.name] = max(self._rss_max_kb.get(proc.name, 0), rss)

    async def sample_until_cancelled(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(SAMPLE_EVERY_S)

    def mark_window_start(self) -> None:
        self._cpu_start = {p.name: cpu_seconds(p.pid, p.tree) for p in self.processes}
        self._busy = [machine_busy_ticks()]

    def mark_window_end(self) -> None:
        self._cpu_end = {p.name: cpu_seconds(p.pid, p.tree) for p in self.processes}
        self._busy.append(machine_busy_ticks())

    def machine_busy_percent(self) -> float:
        """How busy all cores together were in the window (100 = every core saturated)."""
        if len(self._busy) != 2:
            return 0.0
        (busy0, total0), (busy1, total1) = self._busy
        return 100 * (busy1 - busy0) / max(1, total1 - total0)

    def unwatched_cpu_percent(self, window_s: float) -> float:
        """CPU (% of one core) used in the window by processes not watched: other work on the
        machine, which the figures of a co-located bench cannot exclude."""
        watched = sum(u.cpu_percent for u in self.usages(window_s))
        return max(0.0, self.machine_busy_percent() * (os.cpu_count() or 1) - watched)

    def usages(self, window_s: float) -> list[Usage]:
        self.sample()
        return [self._usage(proc, window_s) for proc in self.processes]

    def _usage(self, proc: Watched, window_s: float) -> Usage:
        cpu = self._cpu_end.get(proc.name, 0.0) - self._cpu_start.get(proc.name, 0.0)
        return Usage(
            name=proc.name,
            pid=proc.pid,
            app=proc.app,
            peak_rss_mb=status_kb(proc.pid, "VmHWM") / 1024 if proc.app else 0.0,
            sampled_rss_mb=self._rss_max_kb.get(proc.name, 0) / 1024,
            cpu_percent=100 * max(0.0, cpu) / window_s if window_s > 0 else 0.0,
        )
