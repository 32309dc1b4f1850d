"""The Agenda 2030 section of the Lägesbild and of the follow-up report (issue #15).

Which of the 17 global goals the policy's areas and goals, and the action plan's activities,
are tagged with, and how the indicators behind them have moved. Pure: the callers pass what
is tagged (lagesbild.policy.models.agenda2030_parts, the activities) and one sentence of
movement per indicator, each in its own report's words; the goals' names and the source come
from lagesbild.policy.agenda2030.
"""

from lagesbild.policy import agenda2030

from .document import Note, Paragraph, Section, Table

NOTHING_TAGGED = (
    "Ingen del av policyn eller handlingsplanen är kopplad till Agenda 2030:s globala mål. "
    "Samordnaren gör kopplingen på policyns sida (Koppla till Agenda 2030) och på varje insats."
)


def _named(item, goal):
    """'A3 Språkcafé (8.5, 10.2)': the item, with the targets under this goal it names."""
    targets = [c for c in item["codes"] if c != goal and agenda2030.goal_of(c) == goal]
    return item["name"] + (f" ({', '.join(targets)})" if targets else "")


def _targets(everything):
    """'Delmålen i tabellen: 10.2 Främja social, ekonomisk och politisk inkludering; 16.7.', so
    a reader of the printed report can tell what the numbers in brackets stand for. A target
    without a shipped Swedish name is given by its number, and the paragraph says so."""
    codes = sorted({c for item in everything for c in item["codes"] if "." in c},
                   key=agenda2030.sort_key)  # fmt: skip
    if not codes:
        return []
    named = [(c, agenda2030.target_name(c)) for c in codes]
    text = "Delmålen i tabellen: " + "; ".join(f"{c} {n}" if n else c for c, n in named) + "."
    if any(n is None for _, n in named):
        text += (
            " Delmål utan kortnamn här anges med sitt nummer; deras lydelse finns i "
            "regeringens översättning av Agenda 2030."
        )
    return [Paragraph(text)]


def section(parts, activities, movement, area_plural, key="agenda2030"):
    """Section "Agenda 2030".

    parts, activities: [{"name", "codes", "indicators"}]; movement: {indicator id: sentence}
    (an indicator without a sentence is left out)."""
    parts = [p for p in parts if p["codes"]]
    activities = [a for a in activities if a["codes"]]
    everything = parts + activities
    if not everything:
        return Section("Agenda 2030", [Note(NOTHING_TAGGED)], key=key)
    goals = agenda2030.goals_of([c for item in everything for c in item["codes"]])
    names = dict(agenda2030.goals())
    rows = []
    for goal in goals:
        mine_parts = [p for p in parts if goal in agenda2030.goals_of(p["codes"])]
        mine_acts = [a for a in activities if goal in agenda2030.goals_of(a["codes"])]
        ids = []
        for item in mine_parts + mine_acts:
            ids += [i for i in item["indicators"] if i in movement and i not in ids]
        rows.append(
            [
                f"{goal}. {names[goal]}",
                "; ".join(_named(p, goal) for p in mine_parts) or "–",
                "; ".join(_named(a, goal) for a in mine_acts) or "–",
                " ".join(movement[i] for i in ids) or "ingen indikator kopplad",
            ]
        )
    count = len(goals)
    intro = Paragraph(
        f"Policyns {area_plural} och mål och handlingsplanens insatser är kopplade till "
        f"{count} av Agenda 2030:s 17 globala mål: "
        + ", ".join(f"{g} {names[g]}" for g in goals)
        + ". Tabellen visar för varje mål vad i policyn och planen som bidrar till det (delmål "
        "inom parentes) och hur de indikatorer som hör dit har utvecklats."
    )
    table = Table(
        caption="Agenda 2030: globala mål, policy, insatser och indikatorer",
        header=["Globalt mål", "Policyn", "Insatser", "Indikatorerna"],
        rows=rows,
    )
    return Section(
        "Agenda 2030",
        [
            intro,
            table,
            *_targets(everything),
            Note(
                "Kopplingen till Agenda 2030 görs av kommunen och ändrar inte policybeslutet. "
                + agenda2030.source_text()
            ),
        ],
        key=key,
    )
