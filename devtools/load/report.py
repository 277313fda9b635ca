"""What a run did, stage by stage, for the command's progress lines and summary."""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Stage:
    """One step of a run: its main rows, the links and history rows written with them, and
    the time spent on it (in one or several `running()` spells)."""

    name: str
    total: int
    done: int = 0
    related: int = 0
    seconds: float = 0.0
    finished: bool = False
    generates: bool = True
    on_progress: object = field(default=None, repr=False)
    _started: float | None = field(default=None, repr=False)

    @contextmanager
    def running(self):
        self._started = time.perf_counter()
        try:
            yield self
        finally:
            self.seconds += time.perf_counter() - self._started
            self._started = None

    @property
    def elapsed(self):
        return self.seconds + (time.perf_counter() - self._started if self._started else 0.0)

    @property
    def rows_per_second(self):
        elapsed = self.elapsed
        return (self.done + self.related) / elapsed if elapsed else 0.0

    def advance(self, rows, related=0):
        self.done += rows
        self.related += related
        if self.on_progress:
            self.on_progress(self)

    def finish(self):
        self.finished = True
        if self.on_progress:
            self.on_progress(self)


@dataclass
class LoadReport:
    """What a run did: its stages in order, the anchor day its dates are placed around."""

    anchor: date | None = None
    stages: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def counts(self):
        return {stage.name: stage.done for stage in self.stages if stage.generates}

    @property
    def rows(self):
        """Every row written: the main rows, their links and their history."""
        return sum(stage.done + stage.related for stage in self.stages if stage.generates)
