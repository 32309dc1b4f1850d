"""Demo content: a year of Integrationsgruppen for Karlshamn (example, not real meetings).

Four meetings over the past year with approved minutes, agenda items and action points tied to
the example Handlingsplan's activities (lagesbild.plan.demo), and one open action point for the
demo user "forvaltning", so her start page shows it. Everything is flagged `is_example` and the
minutes say "Exempel". Running it again adds nothing.
"""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from lagesbild.plan.models import Activity

from . import services
from .models import STOCKHOLM, ActionPoint, AgendaItem, Attendance, Meeting, WorkingGroup

GROUP = "Integrationsgruppen (exempel)"

# days ago, title, [(agenda title, activity ref, decision)], [(action, user, activity ref, done)]
MEETINGS = [
    (330, "Uppstart av handlingsplanen",
     [("Handlingsplanens insatser och ansvar", "S1", "Förvaltningarna utser kontaktpersoner."),
      ("Lägesbildens underlag", "", "Samordnaren sammanställer statistiken.")],
     [("Utse kontaktperson för SFI kombinerad med yrkesutbildning", "forvaltning", "S1", True),
      ("Kartlägga behovet av hälsokommunikatörer", "socialtjanst", "H1", True)]),
    (240, "Uppföljning av språkinsatserna",
     [("Språkcaféer och SFI", "S1", "Samverkan med studieförbunden fortsätter.")],
     [("Ta fram statistik över SFI-deltagare i yrkesspår", "forvaltning", "S1", True)]),
    (150, "Hälsa och praktikplatser",
     [("Hälsokommunikatörer", "H1", "Insatsen fortsätter under året."),
      ("Praktikplatser i förvaltningarna", "A1", "Förslaget tas upp i ledningsgruppen.")],
     [("Rapportera antal samtal med hälsokommunikatörer", "socialtjanst", "H1", True)]),
    (60, "Inför uppföljningen",
     [("Uppföljningsomgången och lägesbilden", "", "Förvaltningarna rapporterar i tid."),
      ("Studiehandledning på modersmål", "U1", "Behovet redovisas vid nästa möte.")],
     [("Redovisa SFI-deltagarnas övergång till arbete", "forvaltning", "S1", False)]),
]  # fmt: skip
MEMBERS = ["forvaltning", "socialtjanst"]


@transaction.atomic
def load_demo(stdout):
    users = {u.username: u for u in User.objects.filter(username__in=["samordnare", *MEMBERS])}
    leader = users.get("samordnare")
    if leader is None:
        stdout.write("Integrationsgruppen (exempel): inga demokonton, hoppar över.")
        return
    group, created = WorkingGroup.objects.get_or_create(
        municipality="1082",
        name=GROUP,
        defaults={
            "leader": leader,
            "is_example": True,
            "description": "Exempel: en representant per förvaltning, ledd av "
            "integrationssamordnaren. Följer upp handlingsplanen och tar fram lägesbilden.",
        },
    )
    if created:
        group.members.set([leader, *[users[n] for n in MEMBERS if n in users]])
    activities = {
        a.ref: a
        for a in Activity.objects.filter(plan__policy__municipality="1082", plan__is_example=True)
    }
    today = timezone.localdate()
    added = 0
    for days, title, agenda, points in MEETINGS:
        title = f"{title} (exempel)"
        if group.meetings.filter(title=title).exists():
            continue
        day = today - datetime.timedelta(days=days)
        start = datetime.datetime.combine(day, datetime.time(13, 0), tzinfo=STOCKHOLM)
        meeting = Meeting.objects.create(
            group=group,
            title=title,
            start=start,
            end=start + datetime.timedelta(hours=2),
            place="Rådhuset, sammanträdesrum 2 (exempel)",
            status=Meeting.Status.HELD,
            minutes_text="Exempel – inte ett verkligt protokoll. Gruppen gick igenom "
            "handlingsplanens insatser och fördelade åtgärder.",
            is_example=True,
        )
        meeting.invited.set(group.members.all())
        for member in group.members.all():
            Attendance.objects.create(meeting=meeting, user=member, present=True)
        for order, (item, ref, decision) in enumerate(agenda, 1):
            AgendaItem.objects.create(
                meeting=meeting,
                order=order,
                title=item,
                activity=activities.get(ref),
                decision=f"Exempel: {decision}",
            )
        for text, username, ref, done in points:
            user = users.get(username)
            ActionPoint.objects.create(
                meeting=meeting,
                text=text,
                responsible=user,
                department=user.profile.department if user else None,
                due=day + datetime.timedelta(days=90 if done else days + 30),
                activity=activities.get(ref),
                done=done,
                done_at=min(start + datetime.timedelta(days=30), timezone.now()) if done else None,
            )
        services.approve(meeting, leader)
        # Approved a week after the meeting, as minutes are, not on the day the demo ran.
        approved = min(start + datetime.timedelta(days=7), timezone.now())
        Meeting.objects.filter(pk=meeting.pk).update(approved_at=approved)
        added += 1
    state = "skapad" if created else "finns redan"
    stdout.write(f"Integrationsgruppen (exempel) för Karlshamn: {state}, {added} nya möten.")
