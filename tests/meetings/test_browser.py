"""A meeting of Integrationsgruppen in headless Chromium against the real server: from the
invitation to approved minutes, with the action point on the representative's start page."""

import pytest
from django.core import mail
from icalendar import Calendar

from lagesbild.meetings.models import Meeting
from lagesbild.plan.models import TimelineEntry

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "pw-test-12345"  # make_user's


def log_in(page, base, username):
    page.goto(base + "/konto/logga-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_meeting_from_invitation_to_approved_minutes(
    transactional_db, live_server, chromium, people, group, activity
):
    base = live_server.url
    coordinator = chromium.new_context().new_page()
    log_in(coordinator, base, "coordinator")

    # A new meeting; the group's members are invited to start with.
    coordinator.goto(f"{base}/motesgrupper/{group.pk}/nytt-mote/")
    coordinator.fill("input[name=title]", "Integrationsgruppen mars")
    coordinator.fill("input[name=start]", "2030-03-12T13:00")
    coordinator.fill("input[name=end]", "2030-03-12T15:00")
    coordinator.fill("input[name=place]", "Rådhuset, sal 2")
    coordinator.click("main form button[type=submit]")
    coordinator.wait_for_load_state()
    meeting = Meeting.objects.get(title="Integrationsgruppen mars")
    assert coordinator.url.endswith(f"/motesgrupper/mote/{meeting.pk}/")

    # The invitation: one mail per invited member, each with a calendar file that parses.
    coordinator.click("text=Skicka kallelse")
    coordinator.wait_for_load_state()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (people["coordinator"], people["rep"], people["rep2"])
    )
    ics = [a for a in mail.outbox[0].attachments if a[0].endswith(".ics")]
    assert len(ics) == 1
    event = Calendar.from_ical(ics[0][1]).walk("VEVENT")[0]
    assert event["DTSTART"].dt.isoformat() == "2030-03-12T13:00:00+01:00"
    assert str(event["LOCATION"]) == "Rådhuset, sal 2"
    assert len(event["ATTENDEE"]) == 3

    # An agenda item about the activity, and an action point for the representative.
    coordinator.click("text=Lägg till en punkt")
    coordinator.fill("input[name=agenda-title]", "Uppföljning av SFI och yrke")
    coordinator.select_option("select[name=agenda-activity]", str(activity.pk))
    coordinator.click("text=Lägg till punkten")
    coordinator.wait_for_load_state()
    coordinator.click("text=Lägg till en åtgärdspunkt")
    coordinator.fill("textarea[name=point-text]", "Ta fram antalet deltagare i SFI med praktik")
    coordinator.select_option("select[name=point-responsible]", str(people["rep"].pk))
    coordinator.fill("input[name=point-due]", "2030-04-30")
    coordinator.select_option("select[name=point-activity]", str(activity.pk))
    coordinator.click("text=Lägg till åtgärdspunkten")
    coordinator.wait_for_load_state()
    assert coordinator.locator("text=Ta fram antalet deltagare i SFI med praktik").count() >= 1

    # Minutes, then approval: the action point lands on the activity's timeline.
    coordinator.click("text=Skriv anteckningar")
    coordinator.fill("textarea[name=minutes_text]", "Gruppen gick igenom uppföljningen.")
    coordinator.click("text=Spara anteckningarna")
    coordinator.wait_for_load_state()
    assert not TimelineEntry.objects.filter(activity=activity).exists()
    coordinator.click("main form button:has-text('Justera protokollet')")
    coordinator.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.is_approved
    entries = TimelineEntry.objects.filter(activity=activity)
    assert entries.count() == 1
    assert "Ta fram antalet deltagare i SFI med praktik" in entries.get().text

    # The representative finds it on her start page.
    rep = chromium.new_context().new_page()
    log_in(rep, base, "rep")
    rep.goto(base + "/")
    panel = rep.locator("section.my-action-points")
    assert "Ta fram antalet deltagare i SFI med praktik" in panel.inner_text()
    assert "2030-04-30" in panel.inner_text()
    rep.click("section.my-action-points a")
    rep.wait_for_load_state()
    assert rep.url.endswith(f"/motesgrupper/mote/{meeting.pk}/")
