"""Agenda 2030's 17 global goals and 169 targets, as codes a policy, goal or activity is tagged with.

Sources (named in agenda2030.json beside this file, and printed under every Agenda 2030 section):
the goals and the numbering of the targets from the UN's resolutions A/RES/70/1 and
A/RES/71/313; the goals' Swedish names as Svenska FN-förbundet publishes them; their short
English names as the UN publishes them (sdgs.un.org/goals), for the English pages; the Swedish
short names of 90 of the 169 targets as Svenska FN-förbundet (globalamalen.se) or SCB
(Statistik för Agenda 2030) write them, each with the address it was read at. Only those could
be read from a source here; every other target is shown by its number ("delmål 10.6").

A code is a goal ("10") or a target ("10.2", "10.a"). Pure: no Django, no I/O beyond reading
the data file once.
"""

import functools
import json
import re
from pathlib import Path

CODE = re.compile(r"^(?P<goal>[1-9][0-9]?)(?:\.(?P<target>[1-9][0-9]?|[a-d]))?$")


@functools.cache
def catalogue():
    data = json.loads((Path(__file__).with_name("agenda2030.json")).read_text("utf-8"))
    goals = {}
    for goal in data["goals"]:
        n = goal["number"]
        numbered = [f"{n}.{i}" for i in range(1, goal["targets"] + 1)]
        goals[str(n)] = {
            "name": goal["name"],
            "name_en": goal["name_en"],
            "targets": numbered + [f"{n}.{c}" for c in goal["lettered"]],
            "target_names": {k: v["name"] for k, v in goal.get("target_names", {}).items()},
        }
    # Sanity checks against the known real shape: 17 goals, 169 targets, names only of targets
    # that exist (10.2 under goal 10), each with the address it was read at.
    assert len(goals) == 17, len(goals)
    assert sum(len(g["targets"]) for g in goals.values()) == 169
    for goal in data["goals"]:
        for code, named in goal.get("target_names", {}).items():
            assert code in goals[str(goal["number"])]["targets"], code
            assert named["name"].strip() and named["url"].startswith("http"), code
    return {"goals": goals, "sources": data["sources"], "note": data["note"]}


def page_language(language):
    """ "en" for an English page (en, en-gb, …), else "sv": the two languages names exist in."""
    return "en" if (language or "sv").startswith("en") else "sv"


def _english(language):
    return page_language(language) == "en"


def goals(language="sv"):
    """[(number as text, name)] in order: the Swedish names, or the English ones for "en"."""
    key = "name_en" if _english(language) else "name"
    return [(n, g[key]) for n, g in catalogue()["goals"].items()]


def exists(code):
    m = CODE.match(code)
    if not m or m["goal"] not in catalogue()["goals"]:
        return False
    return m["target"] is None or code in catalogue()["goals"][m["goal"]]["targets"]


def goal_of(code):
    """'10' for '10', '10.2' and '10.a'."""
    return code.split(".", 1)[0]


def label(code, language="sv"):
    """'Mål 10 Minskad ojämlikhet', 'Delmål 10.2 Främja social, ekonomisk och politisk
    inkludering (mål 10 Minskad ojämlikhet)' where the target's Swedish name is shipped, else
    'Delmål 10.6 (mål 10 Minskad ojämlikhet)'; in English 'Goal 10 Reduced Inequalities' or
    'Target 10.2 (goal 10 Reduced Inequalities)'."""
    goal = goal_of(code)
    if _english(language):
        name = catalogue()["goals"][goal]["name_en"]
        return f"Goal {goal} {name}" if code == goal else f"Target {code} (goal {goal} {name})"
    name = catalogue()["goals"][goal]["name"]
    if code == goal:
        return f"Mål {goal} {name}"
    target = target_name(code)
    return f"Delmål {code}{' ' + target if target else ''} (mål {goal} {name})"


def targets(goal, language="sv"):
    """[(code, Swedish short name or None)] of the goal's targets in order; names only on
    Swedish pages (they exist in Swedish only)."""
    english = _english(language)
    return [(c, None if english else target_name(c)) for c in catalogue()["goals"][goal]["targets"]]


def target_name(code):
    """The target's Swedish short name where it is shipped, else None (and None for a goal)."""
    return catalogue()["goals"][goal_of(code)]["target_names"].get(code)


def sort_key(code):
    """Goals in number order; a goal before its targets; 10.2 before 10.10 before 10.a."""
    goal, _, target = code.partition(".")
    if not target:
        return (int(goal), 0, 0, "")
    if target.isdigit():
        return (int(goal), 1, int(target), "")
    return (int(goal), 2, 0, target)


def parse(text):
    """Codes from what a person typed ('10, 10.2 8.5'), sorted and without repeats.

    Raises ValueError naming every code that is not a goal or target of Agenda 2030."""
    codes = [c for c in re.split(r"[\s,;]+", text.strip()) if c]
    return clean(codes)


def clean(codes):
    """The same codes, checked, sorted and without repeats; ValueError names the wrong ones."""
    wrong = [c for c in codes if not isinstance(c, str) or not exists(c)]
    if wrong:
        raise ValueError(
            "finns inte i Agenda 2030: "
            + ", ".join(repr(c) for c in wrong)
            + " (ange ett mål 1–17 eller ett delmål som 10.2 eller 10.a)"
        )
    return sorted(set(codes), key=sort_key)


def goals_of(codes):
    """The goals the codes belong to, in order: ['8', '10'] for ['10.2', '8.5', '10']."""
    return sorted({goal_of(c) for c in codes}, key=int)


def source_text(language="sv"):
    """The sources of what is shown in this language (the English names only on English
    pages); the word "Källa"/"Source" in that language."""
    page = page_language(language)
    sources = [s for s in catalogue()["sources"] if s.get("language", page) == page]
    word = "Source" if _english(language) else "Källa"
    return f"{word}: " + "; ".join(f"{s['name']} ({s['url']})" for s in sources) + "."
