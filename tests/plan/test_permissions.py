"""The permission matrix: every role against every write action (issue 5, §2).

Each case posts a valid request as one role and checks both the answer and whether the data
changed: an allowed role changes it, every other role gets 403 (anonymous: the login page) and
changes nothing.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lagesbild.plan import rounds, transfer
from lagesbild.plan.models import Activity, FollowUpRound, Plan, Proposal, TimelineEntry

ROLES = [
    "coordinator",
    "other_coordinator",
    "rep_own",
    "rep_other",
    "partner",
    "reader",
    "anonymous",
]


def activity_data(activity, **changes):
    data = {
        "ref": activity.ref,
        "title": activity.title,
        "description": activity.description,
        "parent": activity.parent_id or "",
        "area_keys": activity.area_keys,
        "indicators": activity.indicators,
        "department": activity.department_id,
        "contact_name": "",
        "contact_email": "",
        "partners": "",
        "start": "",
        "end": "",
        "status": activity.status,
        "progress": activity.progress,
        "weight": str(activity.weight),
    }
    data.update(changes)
    return data


def round_with_reports(plan, user):
    return rounds.open_round(plan, "Runda", 2026, datetime.date(2026, 12, 1), user)


def report_data(report, progress):
    data = {"submit": "1"}
    for a in rounds.report_activities(report):
        data.update(
            {f"a{a.pk}-status": "pågår", f"a{a.pk}-progress": progress, f"a{a.pk}-text": "x"}
        )
    return data


# name: (allowed roles, setup(plan, users) -> (url, data, changed()))
def _plan_create(plan, users):
    url = reverse("plan:create", args=[plan.policy.slug])
    data = {"title": "Ny plan", "start_year": 2027, "end_year": 2030, "lagesbild_year": 2026}
    return url, data, lambda: Plan.objects.filter(title="Ny plan").exists()


def _plan_edit(plan, users):
    url = reverse("plan:edit", args=[plan.pk])
    data = {"title": "Ändrad", "start_year": 2026, "end_year": 2029, "lagesbild_year": 2025,
            "published": "on"}  # fmt: skip
    return url, data, lambda: Plan.objects.get(pk=plan.pk).published


def _activity_create(plan, users):
    url = reverse("plan:activity_create", args=[plan.pk])
    h1 = plan.activities.get(ref="H1")
    data = activity_data(h1, ref="N1", title="Ny insats")
    return url, data, lambda: plan.activities.filter(ref="N1").exists()


def _edit(ref):
    def setup(plan, users):
        a = plan.activities.get(ref=ref)
        url = reverse("plan:activity_edit", args=[a.pk])
        return (
            url,
            activity_data(a, progress=77),
            lambda: Activity.objects.get(pk=a.pk).progress == 77,
        )

    return setup


def _activity_delete(plan, users):
    a = plan.activities.get(ref="H1")
    url = reverse("plan:activity_delete", args=[a.pk])
    return url, {}, lambda: not Activity.objects.filter(pk=a.pk).exists()


def _timeline_add(plan, users):
    a = plan.activities.get(ref="S1")
    url = reverse("plan:timeline_add", args=[a.pk])
    data = {"date": "2026-09-01", "kind": "milestone", "text": "Start", "url": ""}
    return url, data, lambda: TimelineEntry.objects.filter(activity=a).exists()


def _import(plan, users):
    raw = transfer.export_csv(plan).decode("utf-8").replace("Hälsokommunikatörer", "Importerad")
    url = reverse("plan:import", args=[plan.pk])
    data = {"file": SimpleUploadedFile("insatser.csv", raw.encode("utf-8"))}
    return url, data, lambda: plan.activities.filter(title="Importerad").exists()


def _propose(plan, users):
    plan.published = True  # a partner proposes to a plan she can read: a published one
    plan.save()
    url = reverse("plan:propose", args=[plan.pk])
    data = {"title": "Läxhjälp", "description": "I föreningens lokal", "area_key": "utbildning",
            "organisation": "Föreningen"}  # fmt: skip
    return url, data, lambda: Proposal.objects.filter(title="Läxhjälp").exists()


def _proposal_review(plan, users):
    p = Proposal.objects.create(plan=plan, title="Förslag", description="-")
    url = reverse("plan:proposal_review", args=[p.pk])
    return url, {"state": "accepted"}, lambda: Proposal.objects.get(pk=p.pk).state == "accepted"


def _round_open(plan, users):
    url = reverse("plan:round_open", args=[plan.pk])
    data = {"title": "Höst", "year": 2026, "deadline": "2026-11-30"}
    return url, data, lambda: FollowUpRound.objects.filter(title="Höst").exists()


def _round_close(plan, users):
    # Both departments are still missing: closing needs the confirmation that names them.
    rnd = round_with_reports(plan, users["coordinator"])
    url = reverse("plan:round_close", args=[rnd.pk])
    confirm = ",".join(str(pk) for pk in sorted(rnd.reports.values_list("pk", flat=True)))
    data = {"confirm_missing": confirm}
    return url, data, lambda: not FollowUpRound.objects.get(pk=rnd.pk).is_open


def _round_assessment(plan, users):
    rnd = round_with_reports(plan, users["coordinator"])
    url = reverse("plan:round_assessment", args=[rnd.pk])
    data = {"assessment": "Bra år.", "proposal": "Att lägga rapporten till handlingarna."}
    return url, data, lambda: FollowUpRound.objects.get(pk=rnd.pk).assessment == "Bra år."


def _report(department):
    def setup(plan, users):
        rnd = round_with_reports(plan, users["coordinator"])
        report = rnd.reports.get(department__name=department)
        url = reverse("plan:report", args=[report.pk])
        return (
            url,
            report_data(report, 66),
            lambda: report.__class__.objects.get(pk=report.pk).submitted_at is not None,
        )

    return setup


ACTIONS = {
    "create plan": ({"coordinator"}, _plan_create),
    "edit plan": ({"coordinator"}, _plan_edit),
    "add activity": ({"coordinator"}, _activity_create),
    "edit own department's activity": ({"coordinator", "rep_own"}, _edit("S1")),
    "edit other department's activity": ({"coordinator", "rep_other"}, _edit("H1")),
    "delete activity": ({"coordinator"}, _activity_delete),
    "add timeline entry": ({"coordinator", "rep_own"}, _timeline_add),
    "import activities": ({"coordinator"}, _import),
    "propose activity": ({"coordinator", "partner"}, _propose),
    "review proposal": ({"coordinator"}, _proposal_review),
    "open round": ({"coordinator"}, _round_open),
    "close round": ({"coordinator"}, _round_close),
    "write assessment and proposal": ({"coordinator"}, _round_assessment),
    "submit own department's report": ({"coordinator", "rep_own"}, _report("Utbildningsförvaltningen")),
    "submit other department's report": ({"coordinator", "rep_other"}, _report("Socialförvaltningen")),
}  # fmt: skip


def test_a_partner_cannot_propose_to_a_plan_not_published(plan, users, client_for):
    url = reverse("plan:propose", args=[plan.pk])
    data = {"title": "Läxhjälp", "description": "I föreningens lokal", "organisation": "F"}
    assert client_for(users["partner"]).post(url, data).status_code == 403
    assert client_for(users["partner"]).get(url).status_code == 403
    assert not Proposal.objects.exists()


def test_a_partner_follows_her_own_proposals_and_nothing_else(plan, users, client_for):
    plan.published = True
    plan.save()
    Proposal.objects.create(plan=plan, title="Någon annans förslag", description="-")
    client = client_for(users["partner"])
    public = client.get(reverse("plan:public", args=[plan.pk])).content.decode()
    assert reverse("plan:propose", args=[plan.pk]) in public  # her way in: no dashboard
    url = reverse("plan:propose", args=[plan.pk])
    data = {"title": "Läxhjälp", "description": "I föreningens lokal", "organisation": "F"}
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert "Tack! Förslaget är skickat" in page
    assert "Dina förslag" in page and "Läxhjälp" in page and "Ny" in page
    assert "Någon annans förslag" not in page
    for name in ("plan:detail", "plan:export_csv", "plan:export_xlsx"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 403, name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_write_action_allowed_only_for_its_roles(action, role, plan, users, client_for):
    allowed, setup = ACTIONS[action]
    url, data, changed = setup(plan, users)
    response = client_for(users[role]).post(url, data)
    if role in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert changed(), f"{role} may {action}, but nothing changed"
    else:
        if role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        else:
            assert response.status_code == 403
        assert not changed(), f"{role} must not {action}, but the data changed"


READ_PAGES = {
    "dashboard": lambda plan: reverse("plan:detail", args=[plan.pk]),
    "activity": lambda plan: reverse("plan:activity", args=[plan.activities.get(ref="S1").pk]),
    "export csv": lambda plan: reverse("plan:export_csv", args=[plan.pk]),
    "export xlsx": lambda plan: reverse("plan:export_xlsx", args=[plan.pk]),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_non_public_pages_are_read_by_the_municipalitys_own_people_only(
    page, role, plan, users, client_for
):
    response = client_for(users[role]).get(READ_PAGES[page](plan))
    if role in ("other_coordinator", "partner"):  # a partner reads the published plan only
        assert response.status_code == 403
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 200


def test_public_page_shows_only_a_published_plan(plan, client_for):
    client = client_for(None)
    url = reverse("plan:public", args=[plan.pk])
    assert client.get(url).status_code == 404
    plan.published = True
    plan.save()
    response = client.get(url)
    assert response.status_code == 200
    assert "Hälsokommunikatörer" in response.content.decode()


def test_representative_cannot_move_her_activity_to_another_department(plan, users, client_for):
    a = plan.activities.get(ref="S1")
    other = plan.activities.get(ref="H1").department_id
    client = client_for(users["rep_own"])
    response = client.post(
        reverse("plan:activity_edit", args=[a.pk]),
        activity_data(a, department=other, weight="9", ref="ZZ", progress=10),
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.department.name, a.weight, a.ref, a.progress) == (
        "Utbildningsförvaltningen",
        2,
        "S1",
        10,
    )


def test_representative_report_form_cannot_smuggle_other_departments_activity(
    plan, users, client_for
):
    rnd = round_with_reports(plan, users["coordinator"])
    report = rnd.reports.get(department__name="Utbildningsförvaltningen")
    h1 = plan.activities.get(ref="H1")
    data = report_data(report, 50)
    data.update({f"a{h1.pk}-status": "klar", f"a{h1.pk}-progress": 100})
    client_for(users["rep_own"]).post(reverse("plan:report", args=[report.pk]), data)
    h1.refresh_from_db()
    assert (h1.status, h1.progress) == ("planerad", 20)
    assert report.items.count() == 3  # S1, S1.1, S1.2


def test_get_on_post_only_actions_is_refused(plan, users, client_for):
    a = plan.activities.get(ref="H1")
    response = client_for(users["coordinator"]).get(reverse("plan:activity_delete", args=[a.pk]))
    assert response.status_code == 405
    assert Activity.objects.filter(pk=a.pk).exists()
