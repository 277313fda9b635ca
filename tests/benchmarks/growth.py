"""How each case's time may grow from the smallest scale measured to the largest."""

from dataclasses import dataclass


@dataclass
class Sizes:
    """What the cases' times may grow with: all milestones, and the reminders due today."""

    milestones: int
    reminders: int


# Per case: the bound on its time's growth, given how much the milestones and the reminders
# due grew, and the bound in words.
LIMITS = {
    "milestone_list": (lambda milestones, reminders: 1.5, "≤ 1.5× (a page)"),
    "portfolio_report": (lambda milestones, reminders: milestones,
                         "≤ the milestones' growth (linear)"),
    "initiative_report": (lambda milestones, reminders: milestones,
                          "≤ the milestones' growth (linear)"),
    "reminder_sweep": (lambda milestones, reminders: 1.5 * reminders,
                       "≤ 1.5 × the reminders' growth"),
}


def growth_lines(runs):
    """(line, target met) per case: its endpoint's time at the smallest and the largest scale,
    the growth, the data's growth and the bound."""
    (_small, first, smallest), (_large, last, largest) = runs[0], runs[-1]
    milestones = last.milestones / first.milestones
    reminders = last.reminders / max(first.reminders, 1)
    yield (f"  data: milestones ×{milestones:.1f} ({first.milestones:,} → {last.milestones:,}), "
           f"reminders due ×{reminders:.1f} ({first.reminders:,} → {last.reminders:,})"), True
    for case, result in largest.items():
        before = smallest[case]
        growth = result.endpoint_ms / before.endpoint_ms
        limit, words = LIMITS.get(case, (None, "no target"))
        met = limit is None or growth <= limit(milestones, reminders)
        yield (f"  {case:<20} {before.endpoint_ms:>8.1f}ms → {result.endpoint_ms:>8.1f}ms "
               f"×{growth:.2f} (baseline ×{result.baseline_ms / before.baseline_ms:.2f})  "
               f"{words}{'' if met else '  MISSED'}"), met
