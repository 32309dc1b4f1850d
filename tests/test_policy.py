"""Policy files: the format, the shipped policies, and bad files that must change nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lagesbild.policy.document import dump_policy, parse_policy
from lagesbild.policy.loading import load_policy
from lagesbild.policy.models import Policy, PolicyArea, PolicyVersion

from .conftest import POLICY_DIR

KARLSHAMN = POLICY_DIR / "karlshamn-integration-2026-2029.yaml"
LIDKOPING = POLICY_DIR / "lidkoping-integrationspolicy-2026.yaml"


def minimal(**changes):
    data = {
        "format": "lagesbild-policy/1",
        "id": "test-policy",
        "municipality": {"code": "1082", "name": "Karlshamns kommun"},
        "title": "Testpolicy",
        "decision": {"body": "Kommunfullmäktige", "date": "2026-01-01"},
        "area_term": {"singular": "mål", "plural": "mål"},
        "areas": [{"id": "arbete", "title": "Arbete", "goals": [{"text": "Fler i arbete."}]}],
    }
    data.update(changes)
    return dump_policy(data)


def table_counts():
    return (Policy.objects.count(), PolicyVersion.objects.count(), PolicyArea.objects.count())


def test_format_round_trips_through_yaml():
    data, problems = parse_policy(KARLSHAMN.read_text(encoding="utf-8"), "k.yaml")
    assert problems == []
    again, problems = parse_policy(dump_policy(data), "again.yaml")
    assert problems == []
    assert again == data


def test_goals_with_targets_subgoals_and_strategies_load():
    area = {
        "id": "arbete",
        "title": "Arbete",
        "goals": [
            {
                "id": "fler-i-arbete",
                "text": "Fler utrikes födda i arbete.",
                "targets": [{"indicator": "x", "value": 70, "year": 2030, "direction": "increase"}],
                "subgoals": [
                    {"text": "Kortare tid till första jobbet.", "strategies": ["Praktik."]}
                ],
            }
        ],
    }
    data, problems = parse_policy(minimal(areas=[area]), "t.yaml", known_indicators={"x"})
    assert problems == []
    assert data["areas"][0]["goals"][0]["subgoals"][0]["strategies"] == ["Praktik."]


@pytest.mark.django_db
def test_karlshamn_loads_with_its_five_principles_in_order():
    version = load_policy(KARLSHAMN.read_bytes(), "k.yaml").version
    assert version.policy.municipality == "1082"
    assert [a.title for a in version.areas.all()] == [
        "Utbildning",
        "Språk",
        "Arbete",
        "Hälsa",
        "Demokrati & delaktighet",
    ]
    assert {a.term for a in version.areas.all()} == {"vägledande princip"}
    assert version.data["areas"][2]["goals"][0]["text"] == (
        "Karlshamns kommun ska arbeta för att utrikes födda personer och personer med utländsk "
        "bakgrund ges jämlika förutsättningar till arbete och självförsörjning i förhållande "
        "till inrikes födda."
    )
    assert version.decision_reference == "KF § 63, 2026-05-18"
    assert version.data["decision"]["diarienummer"] == "2025/827"
    assert version.revise_by == 2029


@pytest.mark.django_db
def test_lidkoping_loads_with_four_focus_areas_and_three_responsibility_sections():
    version = load_policy(LIDKOPING.read_bytes(), "l.yaml").version
    assert [a.title for a in version.areas.all()] == [
        "Boende",
        "Utbildning",
        "Arbete",
        "Social integration",
    ]
    assert {a.term for a in version.areas.all()} == {"fokusområde"}
    actors = [a["name"] for a in version.data["actors"]]
    assert actors[:3] == ["Individen", "Kommunen", "Näringslivet och civilsamhället"]
    assert version.data["areas"][2]["goals"][0]["text"] == (
        "Verka för att invånarna ska vara självförsörjande så snabbt som möjligt."
    )


@pytest.mark.django_db
def test_new_version_keeps_the_earlier_one_readable():
    first = load_policy(minimal(), "t.yaml").version
    again = load_policy(minimal(), "t.yaml")
    assert not again.created and again.version.pk == first.pk
    second = load_policy(minimal(title="Reviderad testpolicy"), "t.yaml").version
    first.refresh_from_db()
    assert (first.number, first.is_current, first.data["title"]) == (1, False, "Testpolicy")
    assert (second.number, second.is_current) == (2, True)
    assert Policy.objects.get(slug="test-policy").title == "Reviderad testpolicy"


BAD_FILES = {
    "yaml syntax error": (
        "format: lagesbild-policy/1\nid: a\n  title: b\nareas: []\n",
        3,
        "YAML-syntaxfel",
    ),
    "empty file": ("   \n", None, "filen är tom"),
    "binary garbage": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", None, ""),
    "missing required field": (
        minimal().replace("title: Testpolicy\n", ""),
        None,
        "'title' saknas",
    ),
    "unknown kommunkod": (
        minimal(municipality={"code": "9999", "name": "X"}),
        4,
        "okänd kommunkod '9999'",
    ),
    "duplicate area id": (
        minimal(areas=[{"id": "a", "title": "A"}, {"id": "a", "title": "B"}]),
        None,
        "'a' används redan",
    ),
    "target without indicator": (
        minimal(
            areas=[
                {
                    "id": "a",
                    "title": "A",
                    "targets": [{"value": 1, "year": 2030, "direction": "increase"}],
                }
            ]
        ),
        None,
        "ett målvärde utan indikator behöver en text",
    ),
    **{
        f"target: {name}": (
            minimal(
                validity={"start_year": 2026, "end_year": 2029},
                areas=[{"id": "a", "title": "A", "targets": [target]}],
            ),
            None,
            message,
        )
        for name, target, message in [
            (
                "year outside the period",
                {"indicator": "ohalsotal", "value": 20, "year": 2035, "direction": "decrease"},
                "areas[0].targets[0].year: målåret 2035 ligger utanför policyns giltighetstid "
                "(2026–2029)",
            ),
            (
                "gap sign against its direction",
                {
                    "indicator": "sysselsattning-20-64",
                    "group": "gap",
                    "value": -10,
                    "year": 2029,
                    "direction": "decrease",
                },
                "areas[0].targets[0].direction: skillnaden (utrikes − inrikes födda) -10 med "
                "riktningen decrease blir större, inte mindre; skriv direction: increase",
            ),
            (
                "unit mismatch",
                {
                    "indicator": "sysselsattning-20-64",
                    "value": 70,
                    "year": 2029,
                    "direction": "increase",
                    "unit": "antal",
                },
                "areas[0].targets[0].unit: enheten 'antal' stämmer inte med indikatorns enhet "
                "'procent'",
            ),
            (
                "gap of an indicator without both groups",
                {
                    "indicator": "ohalsotal",
                    "group": "gap",
                    "value": 0,
                    "year": 2029,
                    "direction": "decrease",
                },
                "indikatorn 'ohalsotal' redovisas inte för både utrikes och inrikes födda",
            ),
            (
                "a share over 100",
                {
                    "indicator": "sysselsattning-20-64",
                    "value": 170,
                    "year": 2029,
                    "direction": "increase",
                },
                "areas[0].targets[0].value: 170 går inte som andel i procent (0–100)",
            ),
            (
                "measured target without a direction",
                {"indicator": "ohalsotal", "value": 20, "year": 2029},
                "areas[0].targets[0].direction: fältet saknas",
            ),
        ]
    },
    "unknown indicator": (
        minimal(areas=[{"id": "a", "title": "A", "indicators": ["finns-inte"]}]),
        None,
        "okänd indikator 'finns-inte'",
    ),
    "not a mapping": ("- just\n- a list\n", 1, "ska innehålla en policy"),
    "duplicate key": (minimal() + "title: Igen\n", None, "står två gånger"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_policy_file_is_reported_and_changes_nothing(case, tmp_path, capsys):
    load_policy(minimal(), "good.yaml")
    before = table_counts()
    content, line, expected = BAD_FILES[case]
    path = tmp_path / "bad.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    with pytest.raises(CommandError) as raised:
        call_command("policy", "load", str(path))
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert f"{path}" in err
    assert expected in err
    if line is not None:
        assert f"{path}:{line}:" in err
    assert table_counts() == before


def test_field_and_line_are_named(tmp_path):
    text = minimal().replace("date: '2026-01-01'", "date: igår")
    _, problems = parse_policy(text, "t.yaml")
    assert [(p.field, p.line) for p in problems] == [
        ("decision.date", text.splitlines().index("  date: igår") + 1)
    ]


@pytest.mark.django_db
def test_policy_check_and_list_commands(capsys):
    call_command("policy", "check", str(KARLSHAMN), str(LIDKOPING))
    assert capsys.readouterr().out.count(": OK") == 2
    call_command("policy", "load", str(KARLSHAMN))
    call_command("policy", "list")
    out = capsys.readouterr().out
    assert "karlshamn-integration  1082" in out and "* v1" in out


@pytest.mark.django_db
def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="filen finns inte"):
        call_command("policy", "check", "/nonexistent/policy.yaml")


# dump_policy (export) then load (import): the identical policy ------------------------------


def stored_policy(version):
    """Everything loading stores about a policy version, except the file's own text."""
    policy = version.policy
    return {
        "policy": (policy.slug, policy.municipality, policy.municipality_name, policy.title),
        "data": version.data,
        "decision": (str(version.decision_date), version.decision_reference, version.revise_by),
        "areas": [(a.key, a.position, a.title, a.term) for a in version.areas.order_by("position")],
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, slug, area_keys",
    [
        (
            KARLSHAMN,
            "karlshamn-integration",
            ["utbildning", "sprak", "arbete", "halsa", "demokrati-delaktighet"],
        ),
        (
            LIDKOPING,
            "lidkoping-integration",
            ["boende", "utbildning", "arbete", "social-integration"],
        ),
    ],
    ids=["karlshamn", "lidkoping"],
)
def test_shipped_policy_dumped_and_loaded_again_is_the_identical_policy(path, slug, area_keys):
    original = stored_policy(load_policy(path.read_bytes(), path.name).version)
    assert original["policy"][0] == slug
    assert [a[0] for a in original["areas"]] == area_keys
    data, problems = parse_policy(path.read_text(encoding="utf-8"), path.name)
    assert problems == []
    again = load_policy(dump_policy(data), "export.yaml")
    assert (again.created, again.version.number) == (True, 2)  # another text, same policy
    assert stored_policy(again.version) == original


FULL_POLICY = {
    "format": "lagesbild-policy/1",
    "id": "test-malvarden",
    "municipality": {"code": "1082", "name": "Karlshamns kommun"},
    "title": "Policy med målvärden",
    "document_type": "Policy",
    "decision": {
        "body": "Kommunfullmäktige",
        "date": "2026-05-18",
        "reference": "KF § 63, 2026-05-18",
        "diarienummer": "2025/827",
    },
    "validity": {"from": "Lagakraftvunnet beslut", "start_year": 2026, "end_year": 2029},
    "revise_by": 2029,
    "follow_up": {"rhythm": "yearly", "report_to": "Kommunstyrelsen"},
    "introduction": ["Första stycket.", "Andra stycket: med kolon och 'citat'."],
    "area_term": {"singular": "målområde", "plural": "målområden"},
    "terms": {
        "goal": "Inriktningsmål",
        "subgoal": "Effektmål",
        "strategy": "Arbetssätt",
        "target": "Kvantitativt mål",
        "commitment": "Vi lovar",
    },
    "areas": [
        {
            "id": "arbete",
            "title": "Arbete",
            "summary": "Fler i arbete.",
            "indicators": ["sysselsattning-20-64"],
            "commitments": ["Praktik i varje förvaltning.", "yes"],
            "targets": [
                {
                    "indicator": "motesplatser-deltagare",
                    "value": 1500,
                    "year": 2028,
                    "direction": "increase",
                    "unit": "antal",
                }
            ],
            "goals": [
                {
                    "id": "fler-i-arbete",
                    "text": "Fler utrikes födda ska ha ett arbete.",
                    "indicators": ["sysselsattning-20-64"],
                    "targets": [
                        {
                            "id": "sysselsattning-2029",
                            "indicator": "sysselsattning-20-64",
                            "group": "utrikes_fodda",
                            "value": 72.5,
                            "year": 2029,
                            "baseline_year": 2022,
                            "direction": "increase",
                        },
                        {
                            "indicator": "sysselsattning-20-64",
                            "group": "gap",
                            "value": -10,
                            "year": 2029,
                            "direction": "increase",
                        },
                        {"text": "Fler föreningar med utrikes födda i styrelsen", "year": 2029},
                    ],
                    "subgoals": [
                        {
                            "text": "Kortare tid från SFI till arbete.",
                            "strategies": ["Praktikplatser i kommunens verksamheter.", "1.5"],
                            "subgoals": [
                                {
                                    "text": "Handledare på varje arbetsplats.",
                                    "targets": [
                                        {
                                            "indicator": "ohalsotal",
                                            "value": 25.5,
                                            "year": 2027,
                                            "direction": "decrease",
                                        }
                                    ],
                                }
                            ],
                        }
                    ],
                }
            ],
        },
        {"id": "halsa", "title": "Hälsa", "goals": [{"text": "2026-01-01"}]},
    ],
    "actors": [
        {
            "id": "integrationssamordnaren",
            "name": "Integrationssamordnaren",
            "kind": ["role", "department"],
            "responsibilities": ["Ansvarig för redovisning, uppföljning och revidering."],
        }
    ],
}


@pytest.mark.django_db
def test_policy_with_targets_terms_and_subgoals_dumped_and_loaded_is_identical():
    # Texts that YAML would read as other types ("yes", "1.5", a date) must stay texts.
    version = load_policy(dump_policy(FULL_POLICY), "export.yaml").version
    assert version.data == FULL_POLICY
    assert stored_policy(version)["areas"] == [
        ("arbete", 0, "Arbete", "målområde"),
        ("halsa", 1, "Hälsa", "målområde"),
    ]
    assert stored_policy(version)["decision"] == ("2026-05-18", "KF § 63, 2026-05-18", 2029)


@pytest.mark.django_db
def test_a_refused_policy_file_says_so_in_the_error_itself(tmp_path, capsys):
    # test_bad_policy_file_is_reported_and_changes_nothing checks stderr; this the error text.
    path = tmp_path / "bad.yaml"
    path.write_text(minimal(municipality={"code": "9999", "name": "X"}), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("policy", "load", str(path))
    assert str(raised.value) == f"{path}: inget lästes in"
    with pytest.raises(CommandError) as raised:
        call_command("policy", "check", str(path), str(KARLSHAMN))
    assert str(raised.value) == "1 fil(er) har fel"
    assert f"{path}:4: municipality.code: okänd kommunkod '9999'" in capsys.readouterr().err
