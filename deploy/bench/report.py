"""The report of a run as a Markdown page: targets, routes, set-up, floors, processes, context.

Pure functions of `Figures`; nothing here measures or writes files.
"""

from deploy.bench.figures import Figures, merged
from deploy.bench.histogram import Histogram
from deploy.bench.recorder import RouteStats, is_success
from deploy.bench.scenario import MIX
from deploy.bench.verdict import summary_line, target_checks
from deploy.bench.watch import Usage

PERCENTILES = (50, 90, 99)


def to_markdown(f: Figures) -> str:
    sections = [
        _heading(f),
        ["## Targets", "", *_table(["target", "measured", "met"], _target_rows(f))],
        ["## Per route (measured window)", "", *route_table(f)],
        ["## Set-up (before the warm-up, not in the figures above)", "", *_setup_section(f)],
        ["## Floors", "", *_floor_section(f)],
        ["## Processes", "", *_process_section(f)],
        ["## Context", "", *(f"- {key}: {value}" for key, value in f.context.items())],
        ["```", summary_line(f), "```"],
    ]
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"


def route_table(f: Figures) -> list[str]:
    return routes_table(f.routes, f.window_s)


def routes_table(routes: dict[str, RouteStats], seconds: float) -> list[str]:
    """One row per route, busiest first, and the total; req/s over `seconds`."""
    header = ["route", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"]
    rows = [[f"`{route}`", *_route_cells(stats, seconds)] for route, stats in by_count(routes)]
    rows.append(["**all**", *_route_cells(merged(routes), seconds)])
    return _table(header, rows)


def by_count(routes: dict[str, RouteStats]) -> list[tuple[str, RouteStats]]:
    return sorted(routes.items(), key=lambda item: (-item[1].latency.total, item[0]))


def errors_text(stats: RouteStats) -> str:
    """Non-2xx answers by status, e.g. `504: 3, timeout: 1`; `0` when there were none."""
    bad = sorted((s, n) for s, n in stats.statuses.items() if not is_success(s))
    return ", ".join(f"{s}: {n}" for s, n in bad) or "0"


def _heading(f: Figures) -> list[str]:
    mix = ", ".join(f"{action} {weight}%" for action, weight in MIX.items())
    return [
        f"# Switchboard bench {f.run_id}",
        "",
        f"Started {f.started_at}. Closed-loop virtual users, no think time; "
        f"each registers, creates a bot and opens a thread, then loops over: {mix}. "
        f"Figures cover the measured window of {f.window_s:g} s only.",
    ]


def _route_cells(stats: RouteStats, window_s: float) -> list[str]:
    rps = stats.latency.total / window_s if window_s else 0.0
    return [str(stats.latency.total), f"{rps:.1f}", *_ms(stats.latency), errors_text(stats)]


def _setup_section(f: Figures) -> list[str]:
    ready, asked = f.users
    return [
        f"{ready} of {asked} users registered, created a bot and opened a thread in "
        f"{f.setup_s:.1f} s, all at once (a burst of argon2 hashing in `auth`).",
        "",
        *routes_table(f.setup, f.setup_s),
    ]


def _target_rows(f: Figures) -> list[list[str]]:
    return [
        [target, measured, "yes" if met else "**no**"] for target, measured, met in target_checks(f)
    ]


def _floor_section(f: Figures) -> list[str]:
    rows = [
        [name, str(h.total), *_ms(h)]
        for name, h in (
            ("Kafka round trip, idle", f.kafka.idle),
            ("Kafka round trip, under load", f.kafka.loaded),
            ("Postgres turn inserts, idle", f.postgres.idle),
            ("Postgres turn inserts, under load", f.postgres.loaded),
        )
    ]
    return [
        *_table(["floor", "samples", "p50 ms", "p90 ms", "p99 ms", "max ms"], rows),
        "",
        f"- Kafka: {f.kafka.detail}",
        f"- Postgres: {f.postgres.detail}",
        f"- Turn p50 over the Kafka floor p50: {f.ratio_p50(f.kafka.idle):.2f}x idle, "
        f"{f.ratio_p50(f.kafka.loaded):.2f}x under load.",
    ]


def _process_section(f: Figures) -> list[str]:
    header = ["process", "pid", "peak RSS MB (VmHWM)", "max sampled RSS MB", "CPU % of a core"]
    header.append("CPU ms per request")
    rows = [_process_row(f, u) for u in f.usages]
    rows.append(
        ["everything else on the machine", "", "—", "—", f"{f.unwatched_cpu_percent:.0f}", "—"]
    )
    return [
        *_table(header, rows),
        "",
        f"All {f.cpus} cores together were {f.machine_busy_percent:.0f}% busy during the window. "
        "CPU is user+system time inside the window (Postgres: all its backends); per request "
        "means per measured request of the mix.",
        "",
        f"At these costs the {f.cpus} cores could serve at most {f.capacity_rps():.0f} requests/s "
        f"of this mix with the client elsewhere ({f.capacity_rps(include_client=True):.0f} with "
        "it co-located), if nothing else ran and nothing waited.",
    ]


def _process_row(f: Figures, u: Usage) -> list[str]:
    return [
        u.name,
        str(u.pid),
        _mb(u.peak_rss_mb, u.app),
        _mb(u.sampled_rss_mb, u.app),
        f"{u.cpu_percent:.0f}",
        f"{f.cpu_ms_per_request(u.cpu_percent):.2f}",
    ]


def _mb(value: float, shown: bool) -> str:
    return f"{value:.1f}" if shown else "—"


def _ms(h: Histogram) -> list[str]:
    return [f"{h.percentile_ms(p):.1f}" for p in PERCENTILES] + [f"{h.max_ms:.1f}"]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---"] + ["---:"] * (len(header) - 1)
    return ["| " + " | ".join(cells) + " |" for cells in [header, align, *rows]]
