"""Every page and every write, for every role (issue #15 part 4).

Before the minutes are approved only the coordinator and the invited see a meeting; after,
every staff member of the municipality. Partners get 403, another municipality 404, anonymous
users the login page. Only the coordinator writes."""

import pytest
from django.urls import reverse

from lagesbild.meetings import services
from lagesbild.meetings.models import ActionPoint, AgendaItem

pytestmark = pytest.mark.django_db


def _get(client, user, url, method="get", data=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url, data or {})


def _pages(meeting, item, point):
    m, g = meeting.pk, meeting.group.pk
    return [
        ("get", reverse("meetings:meeting", args=[m])),
        ("get", reverse("meetings:minutes_pdf", args=[m])),
        ("get", reverse("meetings:minutes_docx", args=[m])),
    ], [
        ("get", reverse("meetings:meeting_edit", args=[m])),
        ("post", reverse("meetings:invite", args=[m])),
        ("post", reverse("meetings:attendance", args=[m])),
        ("post", reverse("meetings:minutes", args=[m])),
        ("post", reverse("meetings:approve", args=[m])),
        ("post", reverse("meetings:agenda_add", args=[m])),
        ("get", reverse("meetings:agenda_edit", args=[item.pk])),
        ("post", reverse("meetings:point_add", args=[m])),
        ("get", reverse("meetings:point_edit", args=[point.pk])),
        ("get", reverse("meetings:group_edit", args=[g])),
        ("get", reverse("meetings:meeting_create", args=[g])),
    ]


@pytest.fixture
def things(meeting):
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Läget")
    point = ActionPoint.objects.create(meeting=meeting, text="Ring Arbetsförmedlingen")
    return item, point


def test_anonymous_is_sent_to_log_in(client, meeting, things):
    reads, writes = _pages(meeting, *things)
    urls = [*reads, *writes, ("get", reverse("meetings:list"))]
    urls.append(("get", reverse("meetings:group", args=[meeting.group.pk])))
    for method, url in urls:
        response = _get(client, None, url, method)
        assert response.status_code == 302, url
        assert "/konto/" in response["Location"] or "login" in response["Location"], url


def test_partner_gets_403_everywhere(client, people, meeting, things):
    reads, writes = _pages(meeting, *things)
    urls = [*reads, *writes, ("get", reverse("meetings:list"))]
    urls.append(("get", reverse("meetings:group", args=[meeting.group.pk])))
    for method, url in urls:
        assert _get(client, people["partner"], url, method).status_code == 403, url


def test_another_municipality_gets_404(client, people, meeting, things):
    reads, writes = _pages(meeting, *things)
    services.approve(meeting, people["coordinator"])
    urls = [*reads, *writes, ("get", reverse("meetings:group", args=[meeting.group.pk]))]
    for method, url in urls:
        assert _get(client, people["lidkoping"], url, method).status_code == 404, url
    page = _get(client, people["lidkoping"], reverse("meetings:list"))
    assert "Integrationsgruppen" not in page.content.decode()


def test_not_invited_staff_sees_the_meeting_only_after_approval(client, people, meeting, things):
    reads, _writes = _pages(meeting, *things)
    reader = people["reader"]
    for method, url in reads:
        assert _get(client, reader, url, method).status_code == 404, url
    group_page = _get(client, reader, reverse("meetings:group", args=[meeting.group.pk]))
    assert group_page.status_code == 200
    assert "Vårens möte" not in group_page.content.decode()
    assert "Ring Arbetsförmedlingen" not in group_page.content.decode()

    services.approve(meeting, people["coordinator"])
    for method, url in reads:
        assert _get(client, reader, url, method).status_code == 200, url
    group_page = _get(client, reader, reverse("meetings:group", args=[meeting.group.pk]))
    assert "Vårens möte" in group_page.content.decode()


def test_invited_member_reads_but_does_not_write(client, people, meeting, things):
    reads, writes = _pages(meeting, *things)
    rep = people["rep"]
    for method, url in reads:
        assert _get(client, rep, url, method).status_code == 200, url
    page = _get(client, rep, reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert "Skicka kallelse" not in page
    for method, url in writes:
        assert _get(client, rep, url, method).status_code == 403, url


def test_coordinator_reads_and_writes(client, people, meeting, things):
    reads, writes = _pages(meeting, *things)
    coordinator = people["coordinator"]
    for method, url in reads:
        assert _get(client, coordinator, url, method).status_code == 200, url
    for method, url in writes:
        assert _get(client, coordinator, url, method).status_code in (200, 302), url


def test_group_create_only_by_the_coordinator(client, people):
    url = reverse("meetings:group_create")
    assert _get(client, people["rep"], url).status_code == 403
    assert _get(client, people["partner"], url).status_code == 403
    response = _get(client, people["coordinator"], url, "post", {"name": "Språkgruppen"})
    assert response.status_code == 302
    listing = _get(client, people["reader"], reverse("meetings:list")).content.decode()
    assert "Språkgruppen" in listing
    assert (
        "Språkgruppen"
        not in _get(client, people["lidkoping"], reverse("meetings:list")).content.decode()
    )


def test_responsible_marks_her_point_done_others_cannot(client, people, meeting):
    point = ActionPoint.objects.create(
        meeting=meeting, text="Skicka statistik", responsible=people["rep"]
    )
    url = reverse("meetings:point_done", args=[point.pk])
    assert _get(client, people["rep2"], url, "post").status_code == 403
    point.refresh_from_db()
    assert not point.done
    assert _get(client, people["rep"], url, "post").status_code == 302
    point.refresh_from_db()
    assert point.done and point.done_at
