"""What counts: requests started inside the measured window, errors by status."""

from deploy.bench.recorder import CONNECTION, TIMEOUT, Recorder, is_success


def test_only_requests_started_inside_the_window_count() -> None:
    recorder = Recorder(window_start=10.0, window_end=20.0)
    recorder.record("GET /a", started=9.99, elapsed_s=0.5, status="200")  # warm-up
    recorder.record("GET /a", started=10.0, elapsed_s=0.5, status="200")
    recorder.record("GET /a", started=19.9, elapsed_s=5.0, status="200")  # ends late: counts
    recorder.record("GET /a", started=20.0, elapsed_s=0.1, status="200")  # after the end
    assert recorder.routes["GET /a"].latency.total == 2


def test_errors_are_everything_but_2xx() -> None:
    recorder = Recorder(0.0, 1.0)
    for status in ["200", "201", "204", "409", "504", TIMEOUT, CONNECTION]:
        recorder.record("POST /b", 0.5, 0.01, status)
    stats = recorder.routes["POST /b"]
    assert stats.errors == 4
    assert stats.latency.total == 7


def test_success_means_a_2xx_status() -> None:
    assert [is_success(s) for s in ["200", "299", "300", "199", "timeout"]] == [
        True,
        True,
        False,
        False,
        False,
    ]
