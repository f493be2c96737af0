"""The security suites print what they ran (routes x probes, fuzz cases) at the end of the session."""

import pytest

from tests.support.security import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if lines := TALLY.lines():
        terminalreporter.section("security suites")
        for line in lines:
            terminalreporter.write_line(line)
