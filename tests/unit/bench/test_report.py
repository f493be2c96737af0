"""The report: the summary line's exact shape, the targets, the tables, the JSON."""

import re

import orjson

from deploy.bench.figures import TURN_ROUTE, Figures, Floor
from deploy.bench.histogram import Histogram
from deploy.bench.recorder import Recorder
from deploy.bench.report import errors_text, route_table, to_markdown
from deploy.bench.report_json import to_json
from deploy.bench.verdict import summary_line, target_checks
from deploy.bench.watch import Usage

LAST_LINE = re.compile(
    r"^bench: rps=\d+ p50_ms=\d+\.\d p99_ms=\d+\.\d floor_p50_ms=\d+\.\d ratio_p50=\d+\.\d\d$"
)


def _histogram(*values_ms: float) -> Histogram:
    h = Histogram()
    for value in values_ms:
        h.record(value / 1000)
    return h


def _figures(turn_ms: float = 12.0, gateway_mb: float = 60.0, status: str = "200") -> Figures:
    recorder = Recorder(0.0, 10.0)
    for n in range(4000):
        recorder.record(TURN_ROUTE, 1.0, turn_ms / 1000, status if n == 0 else "200")
    for _ in range(3000):
        recorder.record("GET /v1/bots/{id}", 1.0, 0.004, "200")
    return Figures(
        run_id="r1",
        started_at="2030-01-01T00:00:00+00:00",
        context={"stack": "private"},
        window_s=10.0,
        routes=recorder.routes,
        kafka=Floor(_histogram(6.0, 6.0, 6.0), _histogram(8.0), "raw round trip"),
        postgres=Floor(_histogram(1.0), _histogram(2.0), "raw inserts"),
        usages=[
            Usage("gateway", 11, True, gateway_mb, gateway_mb - 1, 80.0),
            Usage("conversations", 12, True, 90.0, 88.0, 60.0),
            Usage("kafka", 13, False, 0.0, 0.0, 30.0),
        ],
        machine_busy_percent=97.0,
        unwatched_cpu_percent=4.0,
    )


def test_the_summary_line_has_the_fixed_shape() -> None:
    line = summary_line(_figures())
    assert LAST_LINE.match(line), line
    assert line == "bench: rps=700 p50_ms=12.0 p99_ms=12.0 floor_p50_ms=6.0 ratio_p50=2.00"


def test_targets_are_judged_on_the_mixed_figures() -> None:
    met = {target: ok for target, _, ok in target_checks(_figures())}
    assert met == {
        ">= 500 requests/s": True,
        "p99 <= 250 ms": True,
        "zero errors": True,
        "turn p50 <= 3x Kafka floor p50": True,
        "gateway peak RSS <= 150 MB": True,
        "conversations peak RSS <= 200 MB": True,
    }


def test_a_missed_target_is_reported_as_missed() -> None:
    checks = target_checks(_figures(turn_ms=19.0, gateway_mb=151.0, status="504"))
    missed = [target for target, _, ok in checks if not ok]
    assert missed == ["zero errors", "turn p50 <= 3x Kafka floor p50", "gateway peak RSS <= 150 MB"]


def test_errors_are_listed_by_status() -> None:
    stats = _figures(status="504").routes[TURN_ROUTE]
    assert errors_text(stats) == "504: 1"
    assert errors_text(_figures().routes[TURN_ROUTE]) == "0"


def test_the_route_table_puts_the_busiest_route_first_and_the_total_last() -> None:
    lines = route_table(_figures())
    assert lines[0].startswith("| route | requests | req/s | p50 ms")
    assert [line.split(" | ")[0] for line in lines[2:]] == [
        f"| `{TURN_ROUTE}`",
        "| `GET /v1/bots/{id}`",
        "| **all**",
    ]
    assert lines[-1] == "| **all** | 7000 | 700.0 | 12.0 | 12.0 | 12.0 | 12.0 | 0 |"


def test_the_markdown_page_ends_with_the_summary_line() -> None:
    page = to_markdown(_figures())
    for heading in ["## Targets", "## Per route", "## Floors", "## Processes", "## Context"]:
        assert heading in page
    assert page.rstrip().endswith(f"{summary_line(_figures())}\n```")
    assert "| everything else on the machine |  | — | — | 4 |" in page


def test_the_json_report_carries_the_buckets_and_the_summary() -> None:
    data = orjson.loads(orjson.dumps(to_json(_figures())))
    assert data["summary_line"] == summary_line(_figures())
    turn = data["routes"][TURN_ROUTE]
    assert turn["latency"]["count"] == 4000
    assert sum(turn["latency"]["buckets_us"].values()) == 4000
    assert data["floors"]["turn_p50_over_kafka_floor_p50"] == {"idle": 2.0, "loaded": 1.5}
    assert data["processes"][0]["name"] == "gateway"


def test_cpu_per_request_and_the_capacity_it_implies() -> None:
    f = _figures()
    assert f.cpu_ms_per_request(70.0) == 1.0  # 0.7 core x 10 s / 7000 requests
    # 80 + 60 + 30 = 170% of a core -> ~2.43 ms per request; one core serves ~412 a second.
    assert round(f.capacity_rps()) == 412
    assert "could serve at most 412 requests/s" in to_markdown(f)
