"""Policy files that would blow up the reader (issue #16, finding 8): a YAML alias bomb, a file
that contains itself, a date that does not exist, an oversized file. Each is refused with a
`file:line: field: message` through `lagesbild policy check|load` and the editor's import."""

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from lagesbild.accounts.models import Role
from lagesbild.policy import editing
from lagesbild.policy.document import MAX_FILE_BYTES, parse_policy
from lagesbild.policy.models import Policy, PolicyDraft

from ..conftest import POLICY_DIR

KARLSHAMN = (POLICY_DIR / "karlshamn-integration-2026-2029.yaml").read_text(encoding="utf-8")


def alias_bomb(levels):
    """The "billion laughs" in YAML: each level lists the one above nine times, so the file of
    a few hundred bytes stands for 9**levels strings."""
    lines = [
        "format: lagesbild-policy/1",
        'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [{','.join([f'*l{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def check(tmp_path, name, text, action="check"):
    """`lagesbild policy check|load FILE`: (stdout + stderr, the error's message or None)."""
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("policy", action, str(path), stdout=out, stderr=err)
    except CommandError as e:
        return out.getvalue() + err.getvalue(), str(e)
    return out.getvalue() + err.getvalue(), None


def test_the_billion_laughs_is_refused_at_its_line(tmp_path):
    output, error = check(tmp_path, "bomb.yaml", alias_bomb(9))  # 9**9 ≈ 387 million strings
    assert f"{tmp_path}/bomb.yaml:6: filen har fler än 20000 fält och listvärden" in output
    assert error == "1 fil(er) har fel"


@pytest.mark.django_db
def test_policy_load_refuses_the_bomb_and_loads_nothing(tmp_path):
    output, error = check(tmp_path, "bomb.yaml", alias_bomb(9), action="load")
    assert "bomb.yaml:6: filen har fler än 20000 fält och listvärden" in output
    assert error.endswith("bomb.yaml: inget lästes in")
    assert not Policy.objects.exists()


def test_a_small_bomb_is_refused_before_it_is_built():
    # 9**5 = 59,049 strings: the reader used to build all of them (and walk, check and copy
    # them); now it stops at the events, in well under the few MB the issue allows.
    tracemalloc.start()
    try:
        data, problems = parse_policy(alias_bomb(5), "bomb.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert data is None
    assert [str(p) for p in problems] == [
        "bomb.yaml:6: filen har fler än 20000 fält och listvärden"
    ]
    assert peak < 3 * 1024 * 1024, peak


@pytest.mark.parametrize(
    "text, message",
    [
        ("format: &a [1, *a]\n", "policy.yaml:1: aliaset *a hänvisar till sig självt"),
        (
            "a: &a x\nb: [" + ", ".join(["*a"] * 101) + "]\n",
            "policy.yaml:2: fler än 100 YAML-alias (*namn); skriv ut värdena",
        ),
        ("a: " + "[" * 60 + "]" * 60 + "\n", "policy.yaml:1: mer än 50 nivåer inuti varandra"),
    ],
    ids=["itself", "many-aliases", "deep"],
)
def test_other_shapes_that_expand_are_refused(text, message):
    data, problems = parse_policy(text, "policy.yaml")
    assert data is None
    assert [str(p) for p in problems] == [message]


def test_a_few_aliases_still_work():
    text = KARLSHAMN.replace("revise_by: 2029", "revise_by: &year 2029\nx-unused: *year")
    _, problems = parse_policy(text, "policy.yaml")
    # The alias is read (the only problem is the extra field, not the alias).
    assert [p.message for p in problems] == ["okänt fält (se docs/policy-format.md)"]


BAD_DATE = KARLSHAMN.replace("  date: 2026-05-18", "  date: 2016-02-30")
DATE_MESSAGE = "decision.date: '2016-02-30' är inget datum som finns (skriv ÅÅÅÅ-MM-DD)"


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["check", "load"])
def test_a_date_that_does_not_exist_names_line_and_field(tmp_path, action):
    assert BAD_DATE != KARLSHAMN
    output, error = check(tmp_path, "datum.yaml", BAD_DATE, action=action)
    assert f"{tmp_path}/datum.yaml:12: {DATE_MESSAGE}" in output
    assert "Traceback" not in output and error


@pytest.mark.parametrize(
    "value, message",
    [
        ("!!int tio", "ska vara ett heltal, inte 'tio'"),
        ("!!timestamp snart", "ska vara ett heltal, inte 'snart'"),
    ],
)
def test_a_tagged_value_that_is_no_value_names_the_field(value, message):
    text = KARLSHAMN.replace("revise_by: 2029", f"revise_by: {value}")
    _, problems = parse_policy(text, "p.yaml")
    assert [str(p) for p in problems] == [f"p.yaml:22: revise_by: {message}"]


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    assert editing.MAX_IMPORT_BYTES == MAX_FILE_BYTES  # one limit, the editor's and the files'
    big = KARLSHAMN + "#" * MAX_FILE_BYTES + "\n"
    output, error = check(tmp_path, "stor.yaml", big)
    assert f"{tmp_path}/stor.yaml: filen är större än 1 MB" in output
    assert error == "1 fil(er) har fel"


# Through the editor's import and adoption -------------------------------------------------


@pytest.fixture
def draft(client, make_user, shipped):
    client.force_login(make_user(Role.COORDINATOR, municipality="1082"))
    response = client.post(reverse("policy:revise", args=[shipped["1082"].slug]))
    assert response.status_code == 302
    return PolicyDraft.objects.get()


@pytest.mark.parametrize(
    "text, shown",
    [
        (alias_bomb(9), "bomb.yaml:6: filen har fler än 20000 fält och listvärden"),
        (BAD_DATE, "bomb.yaml:12: " + DATE_MESSAGE.replace("'", "&#x27;")),
    ],
    ids=["bomb", "date"],
)
def test_the_editors_import_shows_the_message_and_keeps_the_draft(client, draft, text, shown):
    before = draft.data
    response = client.post(
        reverse("policy:import", args=[draft.pk]),
        {"file": SimpleUploadedFile("bomb.yaml", text.encode())},
    )
    assert response.status_code == 200
    assert shown in response.content.decode()
    draft.refresh_from_db()
    assert draft.data == before


def test_adopting_with_a_date_that_does_not_exist_names_the_field(client, draft):
    url = reverse("policy:adopt", args=[draft.pk])
    response = client.post(url, {"body": "Kommunfullmäktige", "date": "2016-02-30"})
    assert response.status_code == 200
    assert "Ange ett datum som ÅÅÅÅ-MM-DD." in response.content.decode()
    assert PolicyDraft.objects.filter(pk=draft.pk).exists()
