"""Issue #16 on the public side: bounded repeat rules, scoped admin choices, text limits, purge
of old proposals, the moderation history and a page cache keyed by host."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from lagesbild.accounts.models import Role
from lagesbild.public import recurrence
from lagesbild.public.models import STOCKHOLM, Event, Moderation

from .conftest import local
from .test_admin import coordinator_client
from .test_proposals import event_form, karlshamn_policy  # noqa: F401 (fixture)

NEVER_MATCHES = "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30;COUNT=1"
HOURS_23 = "FREQ=DAILY;BYHOUR=" + ",".join(str(h) for h in range(23)) + ";COUNT=100000"


def admin_data(page, **changes):
    """The admin change form's current values as POST data, with changes."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        data[name] = getattr(value, "pk", value)
    data.update({"start_0": "2030-05-07", "start_1": "18:00:00"})
    data.update({"end_0": "2030-05-07", "end_1": "20:00:00"})
    data.update(changes)
    return {k: v for k, v in data.items() if k not in ("start", "end")}


# Finding 3: repeat rules.


@pytest.mark.parametrize(
    "rule, message",
    [
        (NEVER_MATCHES, "Upprepningen får inte vara tätare än en gång om dagen"),
        (HOURS_23, "BYHOUR får ha högst 12 värden."),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1", "ger inga tillfällen inom två år"),
        ("FREQ=WEEKLY;COUNT=501", "Högst 500 tillfällen (COUNT)."),
        ("FREQ=WEEKLY;UNTIL=20350101T000000Z", "sluta med COUNT eller med UNTIL senast 2032-05-"),
    ],
)
def test_a_costly_repeat_rule_is_refused_in_the_admin(make_event, make_user, rule, message):
    event = make_event()
    client, _user = coordinator_client(make_user)
    url = f"/admin/public/event/{event.pk}/change/"
    response = client.post(url, admin_data(client.get(url), rrule=rule))
    assert response.status_code == 200  # the form again, with the error
    assert message in response.content.decode()
    event.refresh_from_db()
    assert event.rrule == ""


def test_a_reasonable_repeat_rule_is_accepted_in_the_admin(make_event, make_user):
    event = make_event()
    client, _user = coordinator_client(make_user)
    url = f"/admin/public/event/{event.pk}/change/"
    response = client.post(url, admin_data(client.get(url), rrule="FREQ=WEEKLY;COUNT=10"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.rrule == "FREQ=WEEKLY;COUNT=10"


def test_expansion_stops_on_a_rule_that_never_matches():
    start = datetime.datetime(2030, 1, 1, 18, tzinfo=STOCKHOLM)
    rule = recurrence.parse("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1", start)
    starts, ended = recurrence.expand(rule)
    # Without the step limit dateutil would walk to the year 9999 and report the rule ended.
    assert (starts, ended) == ([], False)


def test_stored_rules_past_the_limits_still_render_bounded(client, make_event):
    # Written through the ORM, as rows stored before the limits were: no validation.
    make_event(title="Aldrig", start=local(2030, 1, 8, 18), rrule=NEVER_MATCHES)
    make_event(title="Varje timme", start=local(2030, 1, 8, 0), rrule=HOURS_23)
    make_event(title="Veckovis", start=local(2030, 1, 8, 18), rrule="FREQ=WEEKLY;COUNT=3")

    page = client.get("/karlshamn/aktuellt/?fran=2030-01-08&till=2030-01-31")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aldrig" in html and "Varje timme" in html and "Veckovis" in html

    feed = client.get("/karlshamn/kalender.ics")
    assert feed.status_code == 200
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    # A rule within the limits is passed on; the others as their dates, at most 500.
    assert events["Veckovis"]["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=3"
    assert "RRULE" not in events["Aldrig"] and "RRULE" not in events["Varje timme"]
    rdates = events["Varje timme"]["RDATE"]
    rdates = rdates if isinstance(rdates, list) else [rdates]
    assert sum(len(r.dts) for r in rdates) == 499  # 500 occurrences, the first is DTSTART

    hourly = Event.objects.get(title_sv="Varje timme")
    assert client.get(f"/karlshamn/evenemang/{hourly.pk}/").status_code == 200
    assert len(hourly.occurrences()) == recurrence.MAX_OCCURRENCES


# Finding 7: the admin offers and records only the coordinator's own municipality.


def test_admin_offers_no_user_of_another_municipality(make_event, make_user):
    make_user(Role.COORDINATOR, municipality="1494", username="annan-kommun")
    event = make_event()
    client, _user = coordinator_client(make_user)
    for url in (f"/admin/public/event/{event.pk}/change/", "/admin/public/event/add/"):
        html = client.get(url).content.decode()
        assert "annan-kommun" not in html, url


def test_a_forged_reviewer_does_not_stick(make_event, make_user):
    other = make_user(Role.COORDINATOR, municipality="1494", username="annan-kommun")
    event = make_event(status=Moderation.PENDING)
    client, user = coordinator_client(make_user)
    url = f"/admin/public/event/{event.pk}/change/"
    data = admin_data(
        client.get(url),
        status="published",
        reviewed_by=other.pk,
        reviewed_at_0="2020-01-01",
        reviewed_at_1="12:00:00",
    )
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.status == Moderation.PUBLISHED
    assert event.reviewed_by == user
    assert event.reviewed_at.year == timezone.now().year


# Finding 8: text limits and the purge of old proposals.


def test_an_overlong_proposal_is_refused_with_the_limit(client, karlshamn_policy):  # noqa: F811
    response = client.post("/karlshamn/foresla/evenemang/", event_form(description="x" * 5001))
    assert response.status_code == 400
    assert "Texten är för lång: högst 5000 tecken (nu 5001)." in response.content.decode()
    assert not Event.objects.exists()


def test_old_pending_and_rejected_proposals_are_purged(client, karlshamn_policy, make_event):  # noqa: F811
    for title in ("Gammal väntande", "Gammal avvisad", "Ny väntande", "Gammal publicerad"):
        assert (
            client.post("/karlshamn/foresla/evenemang/", event_form(title=title)).status_code == 302
        )
    long_ago = timezone.now() - datetime.timedelta(days=100)
    Event.objects.update(created_at=long_ago)
    Event.objects.filter(title_sv="Ny väntande").update(created_at=timezone.now())
    Event.objects.filter(title_sv="Gammal avvisad").update(
        status=Moderation.REJECTED, reviewed_at=long_ago
    )
    Event.objects.filter(title_sv="Gammal publicerad").update(status=Moderation.PUBLISHED)
    draft = make_event(title="Eget utkast", status=Moderation.PENDING)  # a coordinator's own
    Event.objects.filter(pk=draft.pk).update(created_at=long_ago)
    purged = list(
        Event.objects.filter(title_sv__in=["Gammal väntande", "Gammal avvisad"]).values_list(
            "pk", flat=True
        )
    )

    out = io.StringIO()
    call_command("personal-data", "purge-senders", stdout=out)
    assert "public.event (förslag raderade): 2" in out.getvalue()
    left = set(Event.objects.values_list("title_sv", flat=True))
    assert left == {"Ny väntande", "Gammal publicerad", "Eget utkast"}
    assert not Event.history.filter(id__in=purged).exists()


def test_the_proposal_retention_setting_is_checked(settings):
    from django.core.exceptions import ImproperlyConfigured

    from lagesbild.public.retention import retention_days

    settings.PUBLIC_PROPOSAL_RETENTION_DAYS = "90 dagar"
    with pytest.raises(ImproperlyConfigured, match="LAGESBILD_PROPOSAL_RETENTION_DAYS='90 dagar'"):
        retention_days()


# Finding 10: who published or rejected what, and when.


def test_moderation_is_in_the_history_shown_to_the_coordinator(make_event, make_user):
    event = make_event(title="Granskas", status=Moderation.PENDING)
    client, user = coordinator_client(make_user)
    response = client.post(f"/aktuellt/moderering/evenemang/{event.pk}/", {"decision": "reject"})
    assert response.status_code == 302
    latest = event.history.first()
    assert (latest.history_user, latest.status) == (user, Moderation.REJECTED)
    assert latest.history_change_reason == "Avvisad"
    html = client.get(f"/admin/public/event/{event.pk}/history/").content.decode()
    assert user.username in html and "Avvisad" in html
    # Another municipality's coordinator does not see it.
    other, _other_user = coordinator_client(make_user, municipality="1494")
    assert other.get(f"/admin/public/event/{event.pk}/history/").status_code == 404


# Finding 11: the page cache is keyed by host.


def test_a_page_cached_for_one_host_is_not_served_for_another(client, make_event, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    make_event(title="Språkcafé")
    first = client.get("/karlshamn/kalender.ics", HTTP_HOST="a.example").content.decode()
    second = client.get("/karlshamn/kalender.ics", HTTP_HOST="b.example").content.decode()
    assert "http://a.example/karlshamn/evenemang/" in first
    assert "http://b.example/karlshamn/evenemang/" in second
    assert "a.example" not in second
