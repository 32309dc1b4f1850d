"""compare(): what changed between two policy versions, with readable Swedish labels."""

from lagesbild.policy.compare import Change, compare

OLD = {
    "title": "Policy",
    "decision": {"body": "Kommunfullmäktige", "date": "2026-01-01"},
    "areas": [
        {"id": "utbildning", "title": "Utbildning"},
        {"id": "sprak", "title": "Språk", "goals": [{"text": "Gammalt mål"}], "indicators": ["a"]},
    ],
}


def changed(**edits):
    import copy

    new = copy.deepcopy(OLD)
    for apply in edits.values():
        apply(new)
    return new


def test_identical_policies_have_no_changes():
    assert compare(OLD, changed()) == []


def test_a_changed_decision_date():
    new = changed(d=lambda n: n["decision"].update(date="2027-02-03"))
    assert compare(OLD, new) == [Change("Beslut – datum", "2026-01-01", "2027-02-03")]


def test_a_changed_goal_is_named_by_area_number_title_and_goal():
    new = changed(g=lambda n: n["areas"][1]["goals"][0].update(text="Nytt mål"))
    assert compare(OLD, new) == [Change("Område 2 Språk – mål 1", "Gammalt mål", "Nytt mål")]
    assert compare(OLD, new)[0].kind == "ändrad"


def test_added_and_removed_items():
    new = changed(
        c=lambda n: n["areas"][1].update(commitments=["Ett åtagande"]),
        i=lambda n: n["areas"][1]["indicators"].append("b"),
        p=lambda n: n.update(purpose="Syftet"),
        d=lambda n: n["decision"].update(diarienummer="2026/1"),
    )
    result = compare(OLD, new)
    assert result == [
        Change("Beslut – diarienummer", "", "2026/1"),
        Change("Område 2 Språk – indikatorer", "a", "a, b"),
        Change("Område 2 Språk – åtagande 1", "", "Ett åtagande"),
        Change("Syfte, stycke 1", "", "Syftet"),
    ]
    assert [c.kind for c in result] == ["tillagd", "ändrad", "tillagd", "tillagd"]
    assert compare(new, OLD)[0] == Change("Beslut – diarienummer", "2026/1", "")
    assert compare(new, OLD)[0].kind == "borttagen"


def test_areas_are_matched_by_id_so_a_move_is_a_move():
    new = changed(r=lambda n: n["areas"].reverse())
    assert compare(OLD, new) == [
        Change("Område 1 Språk – ordning", "2", "1"),
        Change("Område 2 Utbildning – ordning", "1", "2"),
    ]


def test_an_added_and_a_removed_area_use_the_policys_own_term():
    new = changed(
        t=lambda n: n.update(area_term={"singular": "fokusområde", "plural": "fokusområden"}),
        a=lambda n: n["areas"].pop(0),
        b=lambda n: n["areas"].append({"id": "arbete", "title": "Arbete"}),
    )
    result = [c for c in compare(OLD, new) if not c.label.startswith("Benämning")]
    assert Change("Fokusområde 2 Arbete", "", "id: arbete; titel: Arbete") in result
    assert Change("Fokusområde 1 Utbildning", "id: utbildning; titel: Utbildning", "") in result
