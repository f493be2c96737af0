"""What a run is judged on: the issue's targets, and the one-line summary `make bench` ends with."""

from deploy.bench.figures import Figures

TARGET_RPS = 500
TARGET_P99_MS = 250
TARGET_RATIO = 3.0
TARGET_GATEWAY_MB = 150
TARGET_HANDLER_MB = 200


def summary_line(f: Figures) -> str:
    """The last line `make bench` prints (mixed scenario; the ratio is for turns)."""
    latency = f.overall.latency
    return (
        f"bench: rps={f.rps:.0f} p50_ms={latency.percentile_ms(50):.1f} "
        f"p99_ms={latency.percentile_ms(99):.1f} "
        f"floor_p50_ms={f.kafka.idle.percentile_ms(50):.1f} "
        f"ratio_p50={f.ratio_p50(f.kafka.idle):.2f}"
    )


def target_checks(f: Figures) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each target of the issue."""
    overall = f.overall
    p99 = overall.latency.percentile_ms(99)
    ratio = f.ratio_p50(f.kafka.idle)
    checks = [
        (f">= {TARGET_RPS} requests/s", f"{f.rps:.0f}", f.rps >= TARGET_RPS),
        (f"p99 <= {TARGET_P99_MS} ms", f"{p99:.1f} ms", p99 <= TARGET_P99_MS),
        ("zero errors", str(overall.errors), overall.errors == 0 and overall.latency.total > 0),
        (
            f"turn p50 <= {TARGET_RATIO:g}x Kafka floor p50",
            f"{ratio:.2f}x",
            0 < ratio <= TARGET_RATIO,
        ),
    ]
    for usage in (u for u in f.usages if u.app):
        limit = TARGET_GATEWAY_MB if usage.name == "gateway" else TARGET_HANDLER_MB
        peak = f"{usage.peak_rss_mb:.0f} MB"
        checks.append(
            (f"{usage.name} peak RSS <= {limit} MB", peak, 0 < usage.peak_rss_mb <= limit)
        )
    return checks
