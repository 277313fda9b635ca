"""How each case's time may grow from one scale measured to the next."""

import itertools
from dataclasses import dataclass


@dataclass
class Sizes:
    """What the cases' times may grow with: all milestones, and the reminders due today."""

    milestones: int
    reminders: int


PAGE = (lambda milestones, reminders: 1.5, "≤ 1.5× (a page)")
LINEAR = (lambda milestones, reminders: milestones, "≤ the milestones' growth (linear)")

# Per case: the bound on its time's growth, given how much the milestones and the reminders
# due grew, and the bound in words.
LIMITS = {
    "milestone_list": PAGE,
    "project_list": PAGE,
    "exporter_measures": PAGE,
    "portfolio_report": LINEAR,
    "initiative_report": LINEAR,
    "dashboard": (lambda milestones, reminders: 3.0,
                  "≤ 3× (beyond it the reports need per-initiative roll-ups)"),
    "reminder_sweep": (lambda milestones, reminders: 1.5 * reminders,
                       "≤ 1.5 × the reminders' growth"),
}


def growth_lines(runs):
    """(line, target met) for each step from one scale to the next, per case: its endpoint's
    time at both, the growth, the data's growth and the bound."""
    for (small, first, smaller), (large, last, larger) in itertools.pairwise(runs):
        milestones = last.milestones / first.milestones
        reminders = last.reminders / max(first.reminders, 1)
        yield (f"\nscale {small:g} → {large:g}: milestones ×{milestones:.1f} "
               f"({first.milestones:,} → {last.milestones:,}), reminders due "
               f"×{reminders:.1f} ({first.reminders:,} → {last.reminders:,})"), True
        for case, result in larger.items():
            before = smaller[case]
            growth = result.endpoint_ms / before.endpoint_ms
            limit, words = LIMITS[case]
            met = growth <= limit(milestones, reminders)
            yield (f"  {case:<20} {before.endpoint_ms:>8.1f}ms → {result.endpoint_ms:>8.1f}ms "
                   f"×{growth:.2f} (baseline ×{result.baseline_ms / before.baseline_ms:.2f})  "
                   f"{words}{'' if met else '  MISSED'}"), met
