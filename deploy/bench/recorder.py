"""Collects what the virtual users saw: a histogram and status counts per route.

Only requests that *start* inside the measured window count; warm-up requests and requests
started after the end are dropped, so the window's throughput is honest.
"""

from collections import Counter
from dataclasses import dataclass, field

from deploy.bench.histogram import Histogram

# Statuses that are not HTTP: the request never got an answer.
TIMEOUT = "timeout"
CONNECTION = "connection"


@dataclass
class RouteStats:
    latency: Histogram = field(default_factory=Histogram)
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if not is_success(status))


@dataclass
class Recorder:
    window_start: float
    window_end: float
    routes: dict[str, RouteStats] = field(default_factory=dict)

    def record(self, route: str, started: float, elapsed_s: float, status: str) -> None:
        if not self.window_start <= started < self.window_end:
            return
        stats = self.routes.setdefault(route, RouteStats())
        stats.latency.record(elapsed_s)
        stats.statuses[status] += 1


def is_success(status: str) -> bool:
    return status.isdigit() and 200 <= int(status) < 300
