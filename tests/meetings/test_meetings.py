"""Invitation with its calendar file, minutes as PDF and Word, action points on approval, the
next meeting's agenda, the start page's panel, history and the demo (issue #15 part 1)."""

import datetime
import io
import re
import subprocess

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from icalendar import Calendar

from lagesbild.meetings import services
from lagesbild.meetings.models import STOCKHOLM, ActionPoint, AgendaItem, Attendance, Meeting
from lagesbild.plan.models import TimelineEntry

pytestmark = pytest.mark.django_db


def test_invitation_mails_every_invited_member_a_calendar_request(client, people, meeting):
    client.force_login(people["coordinator"])
    AgendaItem.objects.create(meeting=meeting, order=1, title="Handlingsplanens läge")
    response = client.post(reverse("meetings:invite", args=[meeting.pk]))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in meeting.invited.all())
    message = mail.outbox[0]
    assert "Integrationsgruppen" in message.subject
    assert "Handlingsplanens läge" in message.body
    assert f"/motesgrupper/mote/{meeting.pk}/" in message.body
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    cal = Calendar.from_ical(content)
    assert str(cal["METHOD"]) == "REQUEST"
    events = cal.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    start = event.decoded("DTSTART")
    assert start == datetime.datetime(2026, 3, 10, 13, 0, tzinfo=STOCKHOLM)
    assert str(start.tzinfo) == "Europe/Stockholm"
    assert event.decoded("DTEND") - start == datetime.timedelta(hours=2)
    assert str(event["LOCATION"]) == "Rådhuset"
    assert str(event["UID"]).startswith(f"meeting-{meeting.pk}@")
    assert str(event["ORGANIZER"]) == "mailto:coordinator@example.invalid"
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == sorted(f"mailto:{u.email}" for u in meeting.invited.all())
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITED


def test_invitation_links_use_base_url(client, people, meeting, settings):
    settings.BASE_URL = "https://lagesbild.karlshamn.example"
    client.force_login(people["coordinator"])
    client.post(reverse("meetings:invite", args=[meeting.pk]))
    assert "https://lagesbild.karlshamn.example/motesgrupper/mote/" in mail.outbox[0].body
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@lagesbild.karlshamn.example"


def _minutes(meeting, people, activity):
    AgendaItem.objects.create(
        meeting=meeting, order=1, title="SFI", activity=activity,
        decision="Gruppen beslutar att utöka språkcaféerna",
    )  # fmt: skip
    ActionPoint.objects.create(
        meeting=meeting, text="Boka lokal för språkcafé", responsible=people["rep"],
        due=datetime.date(2026, 4, 30), activity=activity,
    )  # fmt: skip
    Attendance.objects.create(meeting=meeting, user=people["rep"], present=True)
    services.approve(meeting, people["coordinator"])


@pytest.mark.slow
def test_minutes_pdf_shows_decisions_and_action_points(client, people, meeting, activity, tmp_path):
    _minutes(meeting, people, activity)
    client.force_login(people["reader"])
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "protokoll.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Gruppen beslutar att utöka språkcaféerna" in flat
    assert "Boka lokal för språkcafé" in flat
    assert "Fredrik Förvaltning" in flat
    assert "2026-04-30" in flat
    assert "Justerat" in flat
    # Minutes are one page here: no cover page, no contents, no page break per part.
    assert text.count("\f") == 1 and "Innehåll" not in flat


def test_minutes_word_has_the_decisions_and_who_does_what(client, people, meeting, activity):
    from docx import Document

    _minutes(meeting, people, activity)
    client.force_login(people["rep"])
    response = client.get(reverse("meetings:minutes_docx", args=[meeting.pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "Beslut: Gruppen beslutar att utöka språkcaféerna" in paragraphs
    assert "Närvarande: Fredrik Förvaltning" in paragraphs
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Boka lokal för språkcafé" in cells
    assert "Fredrik Förvaltning" in cells
    assert "2026-04-30" in cells


def test_approval_adds_one_timeline_entry_per_action_point(client, people, meeting, activity):
    ActionPoint.objects.create(
        meeting=meeting, text="Boka lokal", responsible=people["rep"],
        due=datetime.date(2026, 4, 30), activity=activity,
    )  # fmt: skip
    ActionPoint.objects.create(meeting=meeting, text="Utan insats")
    client.force_login(people["coordinator"])
    response = client.post(reverse("meetings:approve", args=[meeting.pk]), follow=True)
    assert response.redirect_chain[0][1] == 302
    # One point, in the singular ("1 åtgärdspunkt har", not "1 åtgärdspunkter har").
    assert "1 åtgärdspunkt har lagts till insatsernas tidslinje" in response.content.decode()
    client.post(reverse("meetings:approve", args=[meeting.pk]))  # again: nothing new
    entries = TimelineEntry.objects.filter(activity=activity)
    assert [e.text for e in entries] == [
        "Åtgärd från Vårens möte: Boka lokal, ansvarig Fredrik Förvaltning, senast 2026-04-30"
    ]
    assert entries[0].kind == TimelineEntry.Kind.UPDATE
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Åtgärd från Vårens möte: Boka lokal" in page


def test_new_meeting_agenda_starts_from_open_action_points(client, people, meeting):
    ActionPoint.objects.create(meeting=meeting, text="Boka lokal", responsible=people["rep"])
    ActionPoint.objects.create(meeting=meeting, text="Redan gjort", done=True)
    client.force_login(people["coordinator"])
    form = client.get(reverse("meetings:meeting_create", args=[meeting.group.pk])).content.decode()
    # The group's members are invited unless the coordinator unticks them.
    ticked = re.findall(r'name="invited" value="(\d+)"[^>]*checked', form)
    assert sorted(map(int, ticked)) == sorted(u.pk for u in meeting.group.members.all())
    response = client.post(
        reverse("meetings:meeting_create", args=[meeting.group.pk]),
        {
            "title": "Höstens möte",
            "start": "2026-09-01T13:00",
            "end": "2026-09-01T15:00",
            "link": "https://meet.example/abc",
            "invited": [people["rep"].pk],
        },
    )
    assert response.status_code == 302
    new = Meeting.objects.get(title="Höstens möte")
    assert new.start == datetime.datetime(2026, 9, 1, 13, 0, tzinfo=STOCKHOLM)
    page = client.get(response["Location"]).content.decode()
    assert "Uppföljning: Boka lokal" in page
    assert "Redan gjort" not in page


def test_meeting_needs_a_place_or_a_link_and_an_end_after_start(client, people, group):
    client.force_login(people["coordinator"])
    response = client.post(
        reverse("meetings:meeting_create", args=[group.pk]),
        {"title": "X", "start": "2026-09-01T13:00", "end": "2026-09-01T12:00"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mötet måste sluta efter att det börjar." in page
    assert "Ange en plats eller en länk" in page


def test_attendance_is_saved_and_shown(client, people, meeting):
    client.force_login(people["coordinator"])
    client.post(reverse("meetings:attendance", args=[meeting.pk]), {"present": [people["rep"].pk]})
    present = {a.user.username: a.present for a in Attendance.objects.filter(meeting=meeting)}
    assert present == {"coordinator": False, "rep": True, "rep2": False}
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_start_panel_lists_the_representatives_open_points(people, meeting, department):
    later = ActionPoint.objects.create(
        meeting=meeting, text="Senare punkt", responsible=people["rep"],
        due=datetime.date(2026, 6, 1),
    )  # fmt: skip
    sooner = ActionPoint.objects.create(
        meeting=meeting, text="Förvaltningens punkt", department=department,
        due=datetime.date(2026, 4, 1),
    )  # fmt: skip
    ActionPoint.objects.create(
        meeting=meeting, text="Klar punkt", responsible=people["rep"], done=True
    )
    ActionPoint.objects.create(meeting=meeting, text="Någon annans", responsible=people["rep2"])
    assert services.start_panel(people["rep"]) == [sooner, later]
    html = render_to_string(
        "meetings/_my_action_points.html", {"action_points": services.start_panel(people["rep"])}
    )
    assert "Mina åtgärdspunkter" in html
    assert html.index("Förvaltningens punkt") < html.index("Senare punkt")
    assert "senast 2026-04-01" in html
    assert f"/motesgrupper/mote/{meeting.pk}/" in html
    assert "Klar punkt" not in html and "Någon annans" not in html
    empty = render_to_string(
        "meetings/_my_action_points.html", {"action_points": services.start_panel(people["reader"])}
    )
    assert "Mina åtgärdspunkter" not in empty


def test_changes_are_kept_in_history(client, people, meeting):
    point = ActionPoint.objects.create(meeting=meeting, text="Första lydelsen")
    client.force_login(people["coordinator"])
    client.post(
        reverse("meetings:point_edit", args=[point.pk]), {"text": "Andra lydelsen", "done": "on"}
    )
    point.refresh_from_db()
    assert point.done and point.done_at
    assert [h.text for h in point.history.all()] == ["Andra lydelsen", "Första lydelsen"]
    client.post(reverse("meetings:minutes", args=[meeting.pk]), {"minutes_text": "Anteckning"})
    assert meeting.history.count() == 2
    assert meeting.history.first().history_user == people["coordinator"]
    # The page names each change in Swedish, not simple-history's English "Created/Changed".
    page = client.get(meeting.get_absolute_url()).content.decode()
    history = page[page.index('id="history-h"') :]
    assert "ändrad – " in history and "skapad" in history
    assert "Changed" not in history and "Created" not in history


def test_a_held_meeting_is_not_called_again(client, people, meeting):
    client.force_login(people["coordinator"])
    assert "Skicka kallelse" in client.get(meeting.get_absolute_url()).content.decode()
    client.post(reverse("meetings:attendance", args=[meeting.pk]), {"present": []})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Skicka kallelse" not in page
    response = client.post(reverse("meetings:invite", args=[meeting.pk]), follow=True)
    assert "Mötet är redan hållet, så ingen kallelse skickades." in response.content.decode()
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.invitation_sent_at is None


def test_demo_is_a_year_of_example_meetings_and_runs_twice(people):
    from django.core.management import call_command

    call_command("demo", "--no-serve", stdout=io.StringIO())
    meetings = Meeting.objects.filter(group__name="Integrationsgruppen (exempel)")
    assert meetings.count() == 4
    assert all(m.is_approved and m.is_example and "Exempel" in m.minutes_text for m in meetings)
    # Approved a week after each meeting, not all on the day the demo ran.
    assert all(m.approved_at - m.start == datetime.timedelta(days=7) for m in meetings)
    # The example minutes say they are example content, not example statistics.
    doc = services.minutes_document(meetings[0])
    assert doc.example_data and doc.example_mark.startswith("Exempelinnehåll")
    forvaltning = meetings[0].group.members.get(username="forvaltning")
    assert [p.text for p in services.start_panel(forvaltning)] == [
        "Redovisa SFI-deltagarnas övergång till arbete"
    ]
    entries = TimelineEntry.objects.filter(text__startswith="Åtgärd från").count()
    assert entries >= 4
    call_command("demo", "--no-serve", stdout=io.StringIO())
    assert meetings.count() == 4
    assert TimelineEntry.objects.filter(text__startswith="Åtgärd från").count() == entries


def test_action_point_cannot_name_someone_of_another_municipality(client, people, meeting):
    client.force_login(people["coordinator"])
    url = reverse("meetings:point_add", args=[meeting.pk])
    client.post(url, {"point-text": "Fel kommun", "point-responsible": people["lidkoping"].pk})
    assert not ActionPoint.objects.filter(text="Fel kommun").exists()
    client.post(url, {"point-text": "Rätt kommun", "point-responsible": people["rep"].pk})
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Rätt kommun" in page and "Fredrik Förvaltning" in page


def test_personal_data_export_covers_membership_invitation_attendance_and_points(people, meeting):
    from lagesbild.ops import personal_data

    rep = people["rep"]
    Attendance.objects.create(meeting=meeting, user=rep, present=True)
    ActionPoint.objects.create(meeting=meeting, text="Boka lokal", responsible=rep)
    models = {r["model"] for r in personal_data.export(rep.email)["records"]}
    assert {
        "meetings.membership",
        "meetings.invitation",
        "meetings.attendance",
        "meetings.actionpoint",
    } <= models
    personal_data.erase(rep.email)
    assert not Attendance.objects.filter(user_id=rep.pk).exists()
    assert not meeting.invited.filter(pk=rep.pk).exists()
    assert ActionPoint.objects.get(text="Boka lokal").responsible is None


def test_agenda_item_points_at_activity_indicator_and_policy_area(
    client, people, meeting, activity
):
    client.force_login(people["coordinator"])
    client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {
            "agenda-order": 2,
            "agenda-title": "Språkinsatserna",
            "agenda-activity": activity.pk,
            "agenda-indicator": "sysselsattning-20-64",
            "agenda-area_key": "sprak",
            "agenda-decision": "Fortsätter",
        },
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Språkinsatserna" in page
    assert "S1 SFI och yrke" in page
    assert "sysselsattning-20-64" in page
    assert "Policyområde: Språk" in page
