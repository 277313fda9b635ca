"""Figures the reliability tests report (requests fuzzed, rounds raced, cases rejected...),
printed at the end of the run by tests/conftest.py's pytest_terminal_summary."""

FIGURES = []


def record(line):
    FIGURES.append(line)
