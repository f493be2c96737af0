"""Reading /proc: a fake tree under a temporary directory stands in for the real one."""

from pathlib import Path

import pytest

from deploy.bench import processes
from deploy.bench.processes import cpu_seconds, python_pid, status_kb


def _process(
    proc: Path, pid: int, cmd: str, ticks: tuple[int, int, int, int], kids: str = ""
) -> None:
    folder = proc / str(pid)
    (folder / "task" / str(pid)).mkdir(parents=True)
    (folder / "cmdline").write_bytes(cmd.replace(" ", "\0").encode() + b"\0")
    utime, stime, cutime, cstime = ticks
    # A command name with a space and a parenthesis, as `comm` may hold.
    rest = " ".join(["S", *["0"] * 10, str(utime), str(stime), str(cutime), str(cstime), "20"])
    (folder / "stat").write_text(f"{pid} (odd) name) {rest}\n")
    (folder / "status").write_text("Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n")
    (folder / "task" / str(pid) / "children").write_text(kids)


@pytest.fixture
def proc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(processes, "PROC", tmp_path)
    monkeypatch.setattr(processes, "CLOCK_TICKS", 100)
    return tmp_path


def test_the_python_process_behind_a_launcher_subshell_is_found(proc: Path) -> None:
    _process(proc, 10, "bash deploy/local/app.sh start", (0, 0, 0, 0), kids="11 ")
    _process(proc, 11, "/venv/bin/python -m gateway", (0, 0, 0, 0))
    assert python_pid(10) == 11
    assert python_pid(11) == 11


def test_cpu_of_one_process_or_of_its_tree_with_reaped_children(proc: Path) -> None:
    _process(proc, 20, "postgres -D data", (100, 50, 300, 200), kids="21")
    _process(proc, 21, "postgres: backend", (40, 10, 0, 0))
    assert cpu_seconds(20) == 1.5
    assert cpu_seconds(20, tree=True) == 7.0  # 150 own + 500 reaped + 50 of the live backend


def test_memory_fields_are_read_in_kilobytes(proc: Path) -> None:
    _process(proc, 30, "python", (0, 0, 0, 0))
    assert (status_kb(30, "VmHWM"), status_kb(30, "VmRSS")) == (2048, 1024)
    assert status_kb(31, "VmHWM") == 0  # gone
