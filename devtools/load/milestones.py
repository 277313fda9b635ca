"""One generated milestone and the story of versions (its history rows) that led to it."""

from collections import Counter
from datetime import timedelta

from programs.models import Health, WorkStatus

from .shape import (
    LOAD_REASON,
    MILESTONE_COLUMNS,
    PROGRESS_NOTES,
    STATUS_MIX,
    WINDOW_AFTER_DAYS,
    WINDOW_BEFORE_DAYS,
)


class MilestoneSpec:
    """One generated milestone: how it stands now, and the story of versions that led there
    (creation, the workflow's status moves, progress, health, slips, note edits)."""

    def __init__(self, gen, *, initiative_id, project_id, owner_id, title_ja, title_en):
        rng = gen.rng
        self.initiative_id, self.project_id, self.owner_id = initiative_id, project_id, owner_id
        self.title_ja, self.title_en = title_ja, title_en
        self.description = f"{title_ja}に向け、関係機関と連携して準備を進める。"
        self.baseline = gen._day(rng.randint(-WINDOW_BEFORE_DAYS, WINDOW_AFTER_DAYS))
        draw = rng.random()
        slip_days = (0 if draw < 0.62 else rng.randint(7, 30) if draw < 0.77
                     else rng.randint(31, 90) if draw < 0.90 else rng.randint(91, 240)
                     if draw < 0.97 else -rng.randint(7, 30))
        self.planned = self.baseline + timedelta(days=slip_days)
        # Created before it was due, and at the latest two days before the anchor.
        created_day = max(self.baseline - timedelta(days=rng.randint(45, 420)),
                          gen._day(-WINDOW_BEFORE_DAYS - 60))
        if created_day > gen._day(-2):
            created_day = gen._day(-rng.randint(2, 240))
        self.created_at = gen._moment(created_day)
        days_to_due = (self.planned - gen.anchor).days
        mix = next(m for limit, m in STATUS_MIX if limit is None or days_to_due <= limit)
        self.status = gen._weighted(mix)
        last_day = self._draw_outcome(rng, created_day, gen._day(-1))
        self.last_at = max(gen._moment(last_day, 0, 24), self.created_at + timedelta(hours=1))
        self.health = gen._weighted(self._health_mix(overdue=days_to_due < 0))
        self.versions = 1

    def _draw_outcome(self, rng, created_day, yesterday):
        """Completion date and percentage; returns the day of the last version."""
        self.completed_on = None
        if self.status == WorkStatus.DONE:
            latest = min(yesterday, self.planned + timedelta(days=45))
            earliest = min(max(created_day + timedelta(days=1),
                               self.planned - timedelta(days=90)), latest)
            self.completed_on = earliest + timedelta(days=rng.randint(
                0, (latest - earliest).days))
            self.percent = 100
            return min(yesterday, self.completed_on + timedelta(days=rng.randint(0, 2)))
        if self.status == WorkStatus.CANCELLED:
            self.percent = 0 if rng.random() < 0.5 else rng.randrange(5, 65, 5)
            latest = max(created_day + timedelta(days=1),
                         min(yesterday, self.planned + timedelta(days=60)))
            return created_day + timedelta(days=rng.randint(1, (latest - created_day).days))
        self.percent = {WorkStatus.NOT_STARTED: 0,
                        WorkStatus.IN_PROGRESS: rng.randrange(5, 100, 5),
                        WorkStatus.BLOCKED: rng.randrange(5, 85, 5)}[self.status]
        # Open work was last touched recently, mostly within a few weeks.
        return max(created_day + timedelta(days=1),
                   yesterday - timedelta(days=int(rng.expovariate(1 / 20))))

    def _health_mix(self, *, overdue):
        status = self.status
        if status == WorkStatus.DONE:
            return {Health.GREEN: 85, Health.AMBER: 15}
        if status == WorkStatus.CANCELLED:
            return {Health.GREEN: 60, Health.AMBER: 30, Health.RED: 10}
        if status == WorkStatus.BLOCKED:
            return {Health.GREEN: 5, Health.AMBER: 35, Health.RED: 60}
        if overdue:
            return {Health.GREEN: 12, Health.AMBER: 38, Health.RED: 50}
        if status == WorkStatus.NOT_STARTED:
            return {Health.GREEN: 88, Health.AMBER: 10, Health.RED: 2}
        return {Health.GREEN: 70, Health.AMBER: 22, Health.RED: 8}

    def _status_moves(self):
        """The moves the workflow needs from "not started" to the current status."""
        return {
            WorkStatus.NOT_STARTED: (),
            WorkStatus.IN_PROGRESS: (WorkStatus.IN_PROGRESS,),
            WorkStatus.BLOCKED: (WorkStatus.IN_PROGRESS, WorkStatus.BLOCKED),
            WorkStatus.DONE: (WorkStatus.IN_PROGRESS, WorkStatus.DONE),
            WorkStatus.CANCELLED: ((WorkStatus.IN_PROGRESS, WorkStatus.CANCELLED)
                                   if self.percent else (WorkStatus.CANCELLED,)),
        }[self.status]

    def _required_changes(self):
        return ([("slip", None)] * (self.planned != self.baseline)
                + [("health", None)] * (self.health != Health.GREEN))

    def minimum_versions(self):
        return 1 + len(self._status_moves()) + len(self._required_changes())

    def _events(self, rng):
        """The `versions - 1` changes after creation, in order: start work first, close (block,
        finish, cancel) last, everything else shuffled in between."""
        moves = [("status", s) for s in self._status_moves()]
        opening = moves[:1] if moves and moves[0][1] == WorkStatus.IN_PROGRESS else []
        closing = moves[len(opening):]
        middle = self._required_changes()
        optional = {"progress": 6 if self.percent and self.status != WorkStatus.NOT_STARTED
                    else 0,
                    "health": 1.5, "edit": 2, "slip": 0.5 if self.planned != self.baseline else 0}
        optional = {kind: weight for kind, weight in optional.items() if weight}
        spare = self.versions - 1 - len(opening) - len(closing) - len(middle)
        middle += [(kind, None) for kind in rng.choices(
            list(optional), weights=list(optional.values()), k=max(spare, 0))]
        rng.shuffle(middle)
        return opening + middle + closing

    def story(self, rng, columns):
        """(every version as a history row without its id, oldest first; the milestone's
        current row). The current row is the last version, so they always agree."""
        events = self._events(rng)
        kinds = Counter(kind for kind, _ in events)
        moments = self._moments(rng, len(events))
        percents = iter(self._progress_values(rng, kinds["progress"]))
        healths = iter(self._health_values(rng, kinds["health"]))
        planned_dates = iter(self._planned_values(rng, kinds["slip"]))
        state = {"version": 1, "title_ja": self.title_ja, "title_en": self.title_en,
                 "description": self.description, "planned_due_on": self.baseline,
                 "baseline_due_on": self.baseline, "status": WorkStatus.NOT_STARTED,
                 "completed_on": None, "health": Health.GREEN, "percent_complete": 0,
                 "created_at": self.created_at, "updated_at": self.created_at,
                 "initiative_id": self.initiative_id, "project_id": self.project_id,
                 "owner_id": self.owner_id, "history_date": self.created_at,
                 "history_change_reason": LOAD_REASON, "history_type": "+",
                 "history_user_id": self.owner_id}
        versions = [tuple(state[c] for c in columns)]
        state["history_type"] = "~"
        for (kind, status), moment in zip(events, moments, strict=True):
            if kind == "status":
                self._move(state, status, has_progress=bool(kinds["progress"]))
            elif kind == "progress":
                state["percent_complete"] = next(percents)
            elif kind == "health":
                state["health"] = next(healths)
            elif kind == "slip":
                state["planned_due_on"] = next(planned_dates)
            else:
                state["description"] = f"{self.description}\n進捗メモ: {rng.choice(PROGRESS_NOTES)}"
            state.update(version=state["version"] + 1, updated_at=moment, history_date=moment)
            versions.append(tuple(state[c] for c in columns))
        current = {name: state[name] for name in MILESTONE_COLUMNS}
        return versions, current

    def _move(self, state, status, *, has_progress):
        state["status"] = status
        if status == WorkStatus.DONE:
            state["completed_on"], state["percent_complete"] = self.completed_on, 100
        elif status != WorkStatus.IN_PROGRESS or not has_progress:
            # Without separate progress updates the move carries the percentage (a done
            # milestone's start carries none: it is 0 % until done).
            state["percent_complete"] = 0 if self.status == WorkStatus.DONE else self.percent

    def _moments(self, rng, count):
        """`count` strictly increasing times after creation, the last at `last_at`."""
        span = (self.last_at - self.created_at).total_seconds()
        offsets = sorted(rng.random() * span for _ in range(count - 1)) + [span]
        moments, previous = [], self.created_at
        for offset in offsets[:count]:
            previous = max(self.created_at + timedelta(seconds=offset),
                           previous + timedelta(microseconds=1))
            moments.append(previous)
        return moments

    def _progress_values(self, rng, count):
        """Rising percentages ending at the current one (95 % before a milestone is done)."""
        top = 95 if self.status == WorkStatus.DONE else self.percent
        return sorted(rng.randint(1, max(top, 1)) for _ in range(count - 1)) + [top]

    def _health_values(self, rng, count):
        return [rng.choice(Health.values) for _ in range(count - 1)] + [self.health]

    def _planned_values(self, rng, count):
        """Planned dates moving from the baseline to the current planned date."""
        shift = (self.planned - self.baseline).days
        steps = sorted(round(shift * rng.random()) for _ in range(count - 1))
        return [self.baseline + timedelta(days=s) for s in steps] + [self.planned]

