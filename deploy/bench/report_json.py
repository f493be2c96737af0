"""The report as JSON: every figure of the Markdown page, plus each histogram's buckets."""

from typing import Any

from deploy.bench.figures import Figures
from deploy.bench.histogram import Histogram
from deploy.bench.recorder import RouteStats
from deploy.bench.report import PERCENTILES, by_count
from deploy.bench.verdict import summary_line, target_checks


def histogram_json(h: Histogram) -> dict[str, Any]:
    """Percentiles for reading, every bucket (lowest value in µs -> count) for re-analysis."""
    return {
        "count": h.total,
        **{f"p{p}_ms": h.percentile_ms(p) for p in PERCENTILES},
        "max_ms": h.max_ms,
        "mean_ms": round(h.mean_ms, 3),
        "buckets_us": {str(low): h.counts[low] for low in sorted(h.counts)},
    }


def route_json(stats: RouteStats, window_s: float) -> dict[str, Any]:
    return {
        "rps": round(stats.latency.total / window_s, 2) if window_s else 0.0,
        "statuses": dict(sorted(stats.statuses.items())),
        "errors": stats.errors,
        "latency": histogram_json(stats.latency),
    }


def to_json(f: Figures) -> dict[str, Any]:
    return {
        "run_id": f.run_id,
        "started_at": f.started_at,
        "context": f.context,
        "window_s": f.window_s,
        "summary": {"rps": round(f.rps, 2), **route_json(f.overall, f.window_s)},
        "routes": {route: route_json(stats, f.window_s) for route, stats in by_count(f.routes)},
        "setup": {
            "users_ready": f.users[0],
            "users": f.users[1],
            "seconds": round(f.setup_s, 3),
            "routes": {route: route_json(stats, f.setup_s) for route, stats in by_count(f.setup)},
        },
        "floors": _floors_json(f),
        **_processes_json(f),
        "targets": [{"target": t, "measured": m, "met": ok} for t, m, ok in target_checks(f)],
        "summary_line": summary_line(f),
    }


def _floors_json(f: Figures) -> dict[str, Any]:
    floors: dict[str, Any] = {
        name: {
            "detail": floor.detail,
            "idle": histogram_json(floor.idle),
            "loaded": histogram_json(floor.loaded),
        }
        for name, floor in (("kafka", f.kafka), ("postgres", f.postgres))
    }
    floors["turn_p50_over_kafka_floor_p50"] = {
        "idle": round(f.ratio_p50(f.kafka.idle), 3),
        "loaded": round(f.ratio_p50(f.kafka.loaded), 3),
    }
    return floors


def _processes_json(f: Figures) -> dict[str, Any]:
    return {
        "processes": [
            {**vars(u), "cpu_ms_per_request": round(f.cpu_ms_per_request(u.cpu_percent), 3)}
            for u in f.usages
        ],
        "machine_busy_percent": round(f.machine_busy_percent, 1),
        "unwatched_cpu_percent_of_a_core": round(f.unwatched_cpu_percent, 1),
        "capacity_rps_if_cpu_bound": {
            "client_elsewhere": round(f.capacity_rps(), 1),
            "client_co_located": round(f.capacity_rps(include_client=True), 1),
        },
    }
