"""Options: built-in defaults, then `BENCH_*` variables, then flags."""

from pathlib import Path

import pytest

from deploy.bench.options import Options, parse


def test_defaults_are_the_issue_s() -> None:
    options = parse([], env={})
    assert (options.users, options.duration_s, options.warmup_s) == (32, 30.0, 5.0)
    assert options.url is None


def test_the_environment_sets_defaults_and_flags_win() -> None:
    env = {"BENCH_USERS": "8", "BENCH_DURATION": "12", "BENCH_URL": "http://127.0.0.1:8080/"}
    options = parse(["--users", "16", "--reports-dir", "/tmp/r"], env=env)
    assert options == Options(
        users=16,
        duration_s=12.0,
        url="http://127.0.0.1:8080",
        reports_dir=Path("/tmp/r"),
    )


@pytest.mark.parametrize("argv", [["--users", "0"], ["--duration", "0"], ["--warmup", "-1"]])
def test_nonsense_is_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        parse(argv, env={})
