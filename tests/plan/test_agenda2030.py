"""Agenda 2030 goals and targets on activities (issue #15): the form, the filter on the plan
page, the activity page, CSV import and export, and the demo plan."""

import csv
import io

import pytest
from django.urls import reverse

from lagesbild.plan.forms import ActivityForm
from lagesbild.plan.models import Plan
from lagesbild.plan.transfer import COLUMNS, ImportError_, export_csv, import_activities
from lagesbild.policy import agenda2030
from lagesbild.stats.catalogue import indicator_ids
from tests.plan.test_permissions import activity_data


def form_for(activity, agenda2030):
    data = activity_data(activity, agenda2030=agenda2030)
    return ActivityForm(data, instance=activity, plan=activity.plan, coordinator=True)


# The form -----------------------------------------------------------------------------------


def test_form_refuses_codes_not_in_agenda_2030_and_names_them(plan):
    h1 = plan.activities.get(ref="H1")
    form = form_for(h1, "18, 1.9")
    assert not form.is_valid()
    message = " ".join(form.errors["agenda2030"])
    assert "finns inte i Agenda 2030" in message
    assert "'18'" in message and "'1.9'" in message
    h1.refresh_from_db()
    assert h1.agenda2030 == []


def test_form_saves_the_codes_sorted_and_shows_them_joined(plan):
    h1 = plan.activities.get(ref="H1")
    form = form_for(h1, "10.2, 8.5, 10")
    assert form.is_valid(), form.errors
    form.save()
    h1.refresh_from_db()
    assert h1.agenda2030 == ["8.5", "10", "10.2"]
    shown = str(ActivityForm(instance=h1, plan=plan, coordinator=True)["agenda2030"])
    assert 'value="8.5, 10, 10.2"' in shown


def test_edit_page_posts_the_codes_and_the_activity_page_lists_them(plan, users, client_for):
    client = client_for(users["coordinator"])
    h1 = plan.activities.get(ref="H1")
    page = client.get(reverse("plan:activity_edit", args=[h1.pk])).content.decode()
    assert "Agenda 2030: mål och delmål" in page
    assert "Nummer åtskilda med komma, t.ex. 10, 10.2, 8.5" in page
    response = client.post(
        reverse("plan:activity_edit", args=[h1.pk]), activity_data(h1, agenda2030="3, 10.2")
    )
    assert response.status_code == 302
    page = client.get(reverse("plan:activity", args=[h1.pk])).content.decode()
    assert "Mål 3 God hälsa och välbefinnande" in page
    assert (
        "Delmål 10.2 Främja social, ekonomisk och politisk inkludering (mål 10 Minskad ojämlikhet)"
        in page
    )


def test_edit_page_shows_the_error_and_keeps_the_stored_codes(plan, users, client_for):
    h1 = plan.activities.get(ref="H1")
    h1.agenda2030 = ["3"]
    h1.save()
    response = client_for(users["coordinator"]).post(
        reverse("plan:activity_edit", args=[h1.pk]), activity_data(h1, agenda2030="18, 1.9")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "finns inte i Agenda 2030: &#x27;18&#x27;, &#x27;1.9&#x27;" in page
    h1.refresh_from_db()
    assert h1.agenda2030 == ["3"]


# The filter on the plan page ------------------------------------------------------------------


@pytest.fixture
def tagged(plan):
    """H1 contributes to target 10.2 (so to goal 10), S1.2 to goal 4; S1 and S1.1 to none."""
    plan.activities.filter(ref="H1").update(agenda2030=["3", "10.2"])
    plan.activities.filter(ref="S1.2").update(agenda2030=["4"])
    return plan


def plan_page(client, plan, query=""):
    response = client.get(reverse("plan:detail", args=[plan.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_plan_page_offers_the_17_goals_with_all_goals_first(tagged, users, client_for):
    page = plan_page(client_for(users["reader"]), tagged)
    assert '<label for="mal">Agenda 2030-mål</label>' in page
    assert '<option value="">Alla mål</option>' in page
    assert '<option value="10">10 Minskad ojämlikhet</option>' in page
    for number, name in agenda2030.goals():
        assert f'<option value="{number}">{number} {name}</option>' in page
    assert '<option value="18">' not in page
    assert "Visar " not in page  # no filter: every activity, per area
    assert "Hälsokommunikatörer" in page and "SFI och yrke" in page


def test_filter_by_goal_shows_activities_tagged_with_its_targets_only(tagged, users, client_for):
    page = plan_page(client_for(users["reader"]), tagged, "?mal=10")
    assert "Visar 1 insats som bidrar till mål 10 Minskad ojämlikhet." in page
    assert "H1 Hälsokommunikatörer" in page
    assert "SFI och yrke" not in page and "Kurser" not in page and "Kartläggning" not in page
    assert '<option value="10" selected>' in page
    assert f'<a href="{reverse("plan:detail", args=[tagged.pk])}">Visa alla insatser</a>' in page
    # The roll-up by area is still there, for all activities.
    assert "Sammanvägt genomfört per område (alla insatser)" in page


def test_english_pages_name_the_goals_and_targets_in_english(tagged, users, client_for):
    from django.utils import translation

    with translation.override("en"):
        plan_url = reverse("plan:detail", args=[tagged.pk])
        activity = tagged.activities.get(ref="H1")
        activity_url = reverse("plan:activity", args=[activity.pk])
    assert plan_url.startswith("/en/")
    client = client_for(users["reader"])
    page = client.get(plan_url + "?mal=10").content.decode()
    assert '<option value="10" selected>10 Reduced Inequalities</option>' in page
    assert "Minskad ojämlikhet" not in page
    page = client.get(activity_url).content.decode()
    assert "<li>Target 10.2 (goal 10 Reduced Inequalities)</li>" in page
    assert "<li>Goal 3 Good Health and Well-being</li>" in page
    assert "Source: " in page and "United Nations, The 17 Goals (https://sdgs.un.org/goals)" in page
    assert "Svenska FN-förbundet" not in page  # the Swedish names' source, not shown here
    # The Swedish page keeps the Swedish names and their source.
    with translation.override("sv"):
        swedish_url = reverse("plan:activity", args=[activity.pk])
    swedish = client.get(swedish_url).content.decode()
    name = "Främja social, ekonomisk och politisk inkludering"
    assert f"<li>Delmål 10.2 {name} (mål 10 Minskad ojämlikhet)</li>" in swedish
    assert "Svenska FN-förbundet" in swedish and "sdgs.un.org" not in swedish


def test_filter_by_another_goal(tagged, users, client_for):
    page = plan_page(client_for(users["reader"]), tagged, "?mal=4")
    assert "Visar 1 insats som bidrar till mål 4 God utbildning för alla." in page
    assert "S1.2 Kurser" in page and "Hälsokommunikatörer" not in page


def test_filter_by_a_goal_no_activity_has(tagged, users, client_for):
    page = plan_page(client_for(users["reader"]), tagged, "?mal=17")
    assert "Visar 0 insatser som bidrar till mål 17" in page
    assert "Inga insatser är märkta med det målet eller dess delmål." in page
    assert "Hälsokommunikatörer" not in page


@pytest.mark.parametrize("value", ["abc", "99", "0", "10.2", "<b>x</b>"])
def test_unknown_goal_is_ignored_with_a_message(tagged, users, client_for, value):
    page = plan_page(client_for(users["reader"]), tagged, f"?mal={value}")
    assert "Okänt mål" in page and "alla insatser visas" in page
    assert "<b>x</b>" not in page  # shown as text, escaped
    assert "Visar " not in page
    assert "Hälsokommunikatörer" in page and "SFI och yrke" in page


def test_empty_goal_means_all_goals(tagged, users, client_for):
    page = plan_page(client_for(users["reader"]), tagged, "?mal=")
    assert "Okänt mål" not in page and "Visar " not in page
    assert "Hälsokommunikatörer" in page and "SFI och yrke" in page


# CSV import and export ------------------------------------------------------------------------


def csv_rows(raw):
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def write_csv(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def empty_plan_like(plan):
    return Plan.objects.create(
        policy=plan.policy, title="Kopia", start_year=2026, end_year=2029, lagesbild_year=2025
    )


def test_csv_export_has_the_column_and_reimport_keeps_the_codes(tagged):
    tagged.activities.filter(ref="H1").update(agenda2030=["3", "10.2", "10.a"])
    rows = csv_rows(export_csv(tagged))
    assert "agenda2030" in rows[0]
    by_ref = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_ref["H1"]["agenda2030"] == "3;10.2;10.a"
    assert by_ref["S1"]["agenda2030"] == ""
    copy = empty_plan_like(tagged)
    assert import_activities(copy, export_csv(tagged), "i.csv", indicator_ids()) == (4, 0)
    assert copy.activities.get(ref="H1").agenda2030 == ["3", "10.2", "10.a"]
    assert copy.activities.get(ref="S1.2").agenda2030 == ["4"]
    assert copy.activities.get(ref="S1").agenda2030 == []
    assert export_csv(copy) == export_csv(tagged)


def test_import_sorts_and_changes_the_codes(tagged):
    rows = csv_rows(export_csv(tagged))
    column = rows[0].index("agenda2030")
    for row in rows[1:]:
        if row[0] == "S1":
            row[column] = "10.2; 8.5 ;10"
    assert import_activities(tagged, write_csv(rows), "i.csv", indicator_ids()) == (0, 1)
    assert tagged.activities.get(ref="S1").agenda2030 == ["8.5", "10", "10.2"]


def test_a_wrong_code_in_an_import_names_row_and_column_and_stores_nothing(tagged):
    rows = csv_rows(export_csv(tagged))
    column = rows[0].index("agenda2030")
    for row in rows[1:]:
        if row[0] == "H1":  # row 2 of the file (the header is row 1)
            row[column] = "10.2;18"
        if row[0] == "S1":
            row[COLUMNS.index("titel")] = "Ändrad"
    with pytest.raises(ImportError_) as excinfo:
        import_activities(tagged, write_csv(rows), "insatser.csv", indicator_ids())
    assert "insatser.csv, rad 2, kolumn 'agenda2030': finns inte i Agenda 2030: '18'" in str(
        excinfo.value
    )
    assert tagged.activities.get(ref="H1").agenda2030 == ["3", "10.2"]
    assert tagged.activities.get(ref="S1").title == "SFI och yrke"


def test_a_file_without_the_column_still_imports_and_keeps_the_codes(tagged):
    rows = csv_rows(export_csv(tagged))
    column = rows[0].index("agenda2030")
    old = [r[:column] + r[column + 1 :] for r in rows]
    for row in old[1:]:
        if row[0] == "H1":
            row[COLUMNS.index("titel")] = "Hälsokommunikatörer i hela kommunen"
    old.append(
        ["N1", "", "Ny insats", "", "halsa", "", "Socialförvaltningen", "", "", "", "", "",
         "planerad", "0", "1"]
    )  # fmt: skip
    assert import_activities(tagged, write_csv(old), "gammal.csv", indicator_ids()) == (1, 1)
    h1 = tagged.activities.get(ref="H1")
    assert (h1.title, h1.agenda2030) == ("Hälsokommunikatörer i hela kommunen", ["3", "10.2"])
    assert tagged.activities.get(ref="N1").agenda2030 == []


# The demo plan ------------------------------------------------------------------------------


def test_demo_tags_exist_in_agenda_2030():
    from lagesbild.plan import demo

    refs = {a[0] for a in demo.ACTIVITIES}
    assert set(demo.AGENDA2030) <= refs
    for codes in demo.AGENDA2030.values():
        assert codes == agenda2030.clean(codes)  # raises on a code that does not exist


def test_every_goal_has_an_english_name_and_the_sources_follow_the_language():
    english = dict(agenda2030.goals("en"))
    assert len(english) == 17 and english["10"] == "Reduced Inequalities"
    assert english["17"] == "Partnerships for the Goals"
    assert dict(agenda2030.goals())["10"] == "Minskad ojämlikhet"
    assert agenda2030.label("10.a", "en-gb") == "Target 10.a (goal 10 Reduced Inequalities)"
    assert agenda2030.source_text().startswith("Källa: FN:s generalförsamling")
    assert "sdgs.un.org" not in agenda2030.source_text()
    assert agenda2030.source_text("en").startswith("Source: FN:s generalförsamling")
    assert "fn.se" not in agenda2030.source_text("en")
