"""A policy's targets against the outcomes, for the Lägesbild and the follow-up report.

Sources: the targets in the policy version's data (`targets:` on an area, a goal or a
sub-goal; docs/policy-format.md) and, for their outcomes, the same per-indicator series the
Lägesbild shows (only values of one kind, example or real: see lagesbild.reports.lagesbild).
The judgement itself is the pure lagesbild.analysis.targets.progress.
"""

from dataclasses import dataclass

from lagesbild.analysis import targets as analysis
from lagesbild.analysis.observations import FOREIGN_BORN, TOTAL
from lagesbild.policy.document import entry_groups

from .document import Table
from .formatting import amount, gap_phrase, signed, unit_words

GAP = "gap"
DEFAULT_TERMS = {
    "goal": "Mål",
    "subgoal": "Delmål",
    "strategy": "Strategi",
    "target": "Målvärde",
    "commitment": "Åtagande",
}


def terms(policy_data):
    """The policy's own words for its parts, with plain defaults."""
    return {**DEFAULT_TERMS, **(policy_data.get("terms") or {})}


def _goal_targets(goals, goal_text=None):
    for goal in goals or []:
        text = goal_text or goal["text"]
        for target in goal.get("targets", []):
            yield text, target
        yield from _goal_targets(goal.get("subgoals"), text)


def policy_targets(area):
    """[(goal text or "", target)] of a policy area, in the policy's order."""
    out = [("", t) for t in area.get("targets", [])]
    out += list(_goal_targets(area.get("goals")))
    return out


def default_group(entry):
    """The group a target means when it names none: the foreign-born where published."""
    groups = entry_groups(entry)
    return FOREIGN_BORN if FOREIGN_BORN in groups or not groups else groups[0]


@dataclass
class Result:
    area: str  # policy area id
    goal: str  # the goal text the target belongs to ("" for an area-level target)
    target: dict  # as in the policy
    label: str  # what is measured, in words
    unit: str
    progress: analysis.Progress

    @property
    def is_gap(self):
        return self.target.get("group") == GAP

    def value_text(self, value):
        if value is None:
            return "–"
        return gap_phrase(value, self.unit) if self.is_gap else amount(value, self.unit)

    def pace_text(self, pace):
        if pace is None:
            return "–"
        _, diff, decimals = unit_words(self.unit)
        return f"{signed(pace, decimals)} {diff} per år".replace("  ", " ")

    def paces_text(self, achieved, needed):
        """'+1,5 / +1,4 procentenheter per år' (so far / needed), for the table."""
        if needed is None:
            return self.pace_text(achieved)
        _, diff, decimals = unit_words(self.unit)
        both = f"{signed(achieved, decimals)} / {signed(needed, decimals)}"
        return f"{both} {diff} per år".replace("  ", " ")

    @property
    def goal_text(self):
        t = self.target
        if "value" not in t:
            return f"{t['text']} ({t['year']})"
        bound = "minst" if t["direction"] == "increase" else "högst"
        if self.is_gap:
            # A signed gap that moves towards zero: "at most 10 points lower".
            toward_zero = (t["value"] < 0) == (t["direction"] == "increase")
            if t["value"] == 0:
                return f"ingen skillnad år {t['year']}"
            bound = "högst" if toward_zero else "minst"
            return f"skillnaden {bound} {self.value_text(t['value'])} år {t['year']}"
        return f"{bound} {self.value_text(t['value'])} år {t['year']}"

    def sentence(self):
        """The target and how it stands, in plain Swedish."""
        p, t = self.progress, self.target
        head = t.get("text") or self.label
        if p.status == analysis.NOT_MEASURED:
            return f"{head}: mäts inte ännu – ingen indikator är kopplad till målet ({t['year']})."
        parts = [f"{head}: målvärde {self.goal_text}."]
        if p.baseline:
            parts.append(f"Utgångsläge {p.baseline[0]}: {self.value_text(p.baseline[1])}.")
        if p.latest:
            parts.append(f"Senast {p.latest[0]}: {self.value_text(p.latest[1])}.")
        if p.achieved is not None:
            parts.append(f"Takt hittills {self.pace_text(p.achieved)}")
            if p.needed is not None:
                parts[-1] += f", takt som krävs {self.pace_text(p.needed)}"
            parts[-1] += "."
        status = f"Läget: {p.words}"
        return " ".join(parts) + f" {status}{f' ({p.reason})' if p.reason else ''}."


def evaluate_all(snapshot, indicators):
    """[Result] for every target of the snapshot's areas, from the indicators as shown."""
    from .lagesbild import group_label, lower_first

    kommun = snapshot["municipality"]["code"]
    out = []
    for area in snapshot["areas"]:
        for goal, target in area.get("targets", []):
            ind = indicators.get(target.get("indicator"))
            if ind is None:
                unit = ""
                label = target.get("text", "")
                result = analysis.Progress(analysis.NOT_MEASURED)
            else:
                unit = ind.unit
                group = target.get("group") or default_group(snapshot["catalogue"][ind.id])
                if group == GAP:
                    label = f"{ind.title}, skillnaden utrikes jämfört med inrikes födda"
                    series = {y: g.points for y, g in ind.gaps(kommun).items()}
                else:
                    label = f"{ind.title}, {lower_first(group_label(group))}"
                    if group == TOTAL and len(ind.groups) == 1:
                        label = ind.title
                    series = {
                        y: v
                        for y, v in ind.series.get((kommun, group), {}).items()
                        if y <= ind.year
                    }
                result = analysis.progress(
                    series,
                    target["value"],
                    target["year"],
                    target["direction"],
                    target.get("baseline_year"),
                )
            out.append(Result(area["id"], goal, target, label, unit, result))
    return out


def summary_table(results, term, year):
    """All targets in one table: what, baseline, latest, target, pace, status."""
    rows = []
    for r in results:
        p = r.progress
        rows.append(
            [
                r.target.get("text") or r.label,
                f"{p.baseline[0]}: {r.value_text(p.baseline[1])}" if p.baseline else "–",
                f"{p.latest[0]}: {r.value_text(p.latest[1])}" if p.latest else "–",
                r.goal_text,
                r.paces_text(p.achieved, p.needed) if p.achieved is not None else "–",
                p.words,
            ]
        )
    return Table(
        f"{term}: läget {year}",
        ["Mål", "Utgångsläge", "Senast", term, "Takt hittills / som krävs", "Läget"],
        rows,
    )


def evaluate(version, year):
    """[Result] for a policy version's targets in `year`, from today's statistics store
    (for the follow-up report; a Lägesbild uses its own frozen snapshot)."""
    from .lagesbild import collect, indicators_of

    snapshot = collect(version, year)
    return evaluate_all(snapshot, indicators_of(snapshot))


def status_counts(results):
    """'2 uppnått, 1 på väg, 1 inte på väg' in the order of the statuses."""
    counts = {}
    for r in results:
        counts[r.progress.words] = counts.get(r.progress.words, 0) + 1
    order = list(analysis.WORDS.values())
    return ", ".join(f"{n} {w}" for w, n in sorted(counts.items(), key=lambda i: order.index(i[0])))
