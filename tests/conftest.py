"""Test-run hooks: the hostile-input tally as one line of the terminal summary."""

from __future__ import annotations

from typing import Any

from tests.hostile import summary_line


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in summary_line().splitlines():
        terminalreporter.write_line(line)
