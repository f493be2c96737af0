"""Everything one run measured, and the numbers the targets are judged on."""

from dataclasses import dataclass, field

from deploy.bench.histogram import Histogram
from deploy.bench.recorder import RouteStats
from deploy.bench.scenario import TURN
from deploy.bench.watch import Usage

TURN_ROUTE = f"POST {TURN}"
CLIENT = "bench client"


@dataclass(frozen=True)
class Floor:
    idle: Histogram  # on a quiet system, before the load
    loaded: Histogram  # a few probes a second during the measured window
    detail: str


@dataclass(frozen=True)
class Figures:
    run_id: str
    started_at: str
    context: dict[str, object]  # where and how it ran: git, machine, options, settings
    window_s: float
    routes: dict[str, RouteStats]
    kafka: Floor
    postgres: Floor
    setup: dict[str, RouteStats] = field(default_factory=dict)  # before the load, apart
    setup_s: float = 0.0
    users: tuple[int, int] = (0, 0)  # (ready, asked for)
    usages: list[Usage] = field(default_factory=list)
    machine_busy_percent: float = 0.0  # all cores together, 100 = saturated
    unwatched_cpu_percent: float = 0.0  # of one core, used by processes outside `usages`
    cpus: int = 1

    @property
    def overall(self) -> RouteStats:
        return merged(self.routes)

    @property
    def rps(self) -> float:
        return self.overall.latency.total / self.window_s if self.window_s else 0.0

    @property
    def turn_p50_ms(self) -> float:
        stats = self.routes.get(TURN_ROUTE)
        return stats.latency.percentile_ms(50) if stats else 0.0

    def cpu_ms_per_request(self, cpu_percent: float) -> float:
        """CPU (ms) a process spent per measured request, from its share of one core."""
        requests = self.overall.latency.total
        return cpu_percent / 100 * self.window_s * 1000 / requests if requests else 0.0

    def capacity_rps(self, include_client: bool = False) -> float:
        """Requests/s all cores could serve if the watched processes' CPU per request were the
        only limit (the bench client's own share optionally counted)."""
        watched = (u for u in self.usages if include_client or u.name != CLIENT)
        per_request_ms = sum(self.cpu_ms_per_request(u.cpu_percent) for u in watched)
        return 1000 * self.cpus / per_request_ms if per_request_ms else 0.0

    def ratio_p50(self, floor: Histogram) -> float:
        """Our turn's median over a floor's median (0 when either is missing)."""
        base = floor.percentile_ms(50)
        return self.turn_p50_ms / base if base and self.turn_p50_ms else 0.0


def merged(routes: dict[str, RouteStats]) -> RouteStats:
    total = RouteStats()
    for stats in routes.values():
        total.latency.merge(stats.latency)
        total.statuses.update(stats.statuses)
    return total
