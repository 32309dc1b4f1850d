"""What happens to a meeting besides editing it: the invitation (e-mail with an iCalendar
file), the approval of the minutes (action points become timeline entries of their
activities), the next meeting's agenda, the minutes document and the start page's list."""

import datetime
from urllib.parse import urlsplit

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from lagesbild.accounts.services import base_url
from lagesbild.core import municipalities
from lagesbild.plan.models import TimelineEntry
from lagesbild.reports.document import Document, Paragraph, Section, Table

from .models import STOCKHOLM, ActionPoint, AgendaItem, Meeting

ICS_TYPE = "text/calendar; method=REQUEST; charset=UTF-8"


def _name(user):
    return user.get_full_name() or user.get_username()


def local(dt):
    return timezone.localtime(dt, STOCKHOLM)


def _address(user):
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(_name(user))
    return address


def build_ics(meeting, organizer, site):
    """A VCALENDAR with METHOD:REQUEST and the meeting as one VEVENT (bytes).

    `site` is the site's address (https://…) for the meeting page's link and the UID's host.
    """
    cal = Calendar()
    cal.add("prodid", "-//Lägesbild//meetings//SV")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    ev = VEvent()
    host = urlsplit(site).netloc or "lagesbild.invalid"
    ev.add("uid", f"meeting-{meeting.pk}@{host}")
    ev.add("sequence", meeting.sequence)
    ev.add("dtstamp", timezone.now())
    ev.add("dtstart", local(meeting.start))
    ev.add("dtend", local(meeting.end))
    ev.add("summary", f"{meeting.group.name}: {meeting.title}")
    page = site + meeting.get_absolute_url()
    ev.add("description", "\n".join([f"{i.order}. {i.title}" for i in meeting.agenda.all()]))
    ev.add("location", meeting.place or meeting.link)
    ev.add("url", meeting.link or page)
    ev.add("organizer", _address(organizer))
    for user in meeting.invited.all():
        if not user.email:
            continue
        attendee = _address(user)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        attendee.params["RSVP"] = vText("TRUE")
        ev.add("attendee", attendee)
    cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def send_invitation(meeting, organizer, request=None):
    """E-mail every invited member (with an address) the invitation and its calendar file.

    Returns the number of e-mails sent. Each person gets her own message, so no one sees the
    others' addresses in the header (the calendar file lists the participants, as any
    calendar invitation does)."""
    with transaction.atomic():
        meeting.sequence += 1
        meeting.invitation_sent_at = timezone.now()
        if meeting.status == Meeting.Status.PLANNED:
            meeting.status = Meeting.Status.INVITED
        meeting.save()
    site = base_url(request)
    ics = build_ics(meeting, organizer, site)
    context = {
        "meeting": meeting,
        "start": local(meeting.start),
        "end": local(meeting.end),
        "agenda": meeting.agenda.all(),
        "url": site + meeting.get_absolute_url(),
        "organizer": _name(organizer),
    }
    subject = _("Kallelse: %(group)s %(date)s") % {
        "group": meeting.group.name,
        "date": local(meeting.start).strftime("%Y-%m-%d %H:%M"),
    }
    body = render_to_string("meetings/email_invitation.txt", context)
    sent = 0
    for user in meeting.invited.all():
        if not user.email:
            continue
        message = EmailMessage(subject, body, to=[user.email], reply_to=_reply_to(organizer))
        message.attach("kallelse.ics", ics, ICS_TYPE)
        sent += message.send()
    return sent


def _reply_to(organizer):
    return [organizer.email] if organizer.email else None


def timeline_text(point):
    """The activity's timeline entry for an action point (stored in Swedish, the municipality's
    language, like every other timeline text)."""
    text = f"Åtgärd från {point.meeting}: {point.text}"
    who = point.who()
    if who:
        text += f", ansvarig {who}"
    if point.due:
        text += f", senast {point.due.isoformat()}"
    return text


@transaction.atomic
def approve(meeting, user):
    """Approve (justera) the minutes: the action points tied to an activity are added to its
    timeline, once each (approving again adds nothing). Returns the entries made."""
    meeting.status = Meeting.Status.APPROVED
    meeting.approved_by = user
    meeting.approved_at = timezone.now()
    meeting.save()
    made = []
    points = meeting.action_points.filter(activity__isnull=False, timeline_entry__isnull=True)
    for point in points.select_related("activity", "responsible", "department"):
        point.timeline_entry = TimelineEntry.objects.create(
            activity=point.activity,
            date=local(meeting.start).date(),
            kind=TimelineEntry.Kind.UPDATE,
            text=timeline_text(point),
            author=user,
        )
        point.save()
        made.append(point.timeline_entry)
    return made


def open_points(group, before=None):
    """The group's action points not done yet, from meetings before `before` (a Meeting)."""
    points = ActionPoint.objects.filter(meeting__group=group, done=False)
    if before is not None and before.pk:
        points = points.exclude(meeting=before)
    return points.select_related("meeting", "responsible", "department", "activity")


def prefill_agenda(meeting):
    """A new meeting's agenda starts with the group's open action points, one item each."""
    order = 1
    for point in open_points(meeting.group, before=meeting):
        who = point.who()
        note = _("Från %(meeting)s") % {"meeting": point.meeting}
        if who:
            note += ", " + _("ansvarig %(who)s") % {"who": who}
        if point.due:
            note += ", " + _("senast %(due)s") % {"due": point.due.isoformat()}
        AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title=(_("Uppföljning: %(text)s") % {"text": point.text})[:200],
            note=note,
            activity=point.activity,
        )
        order += 1
    return order - 1


def my_open_points(user):
    """The user's open action points: hers, or her department's; soonest due first."""
    if not user.is_authenticated:
        return ActionPoint.objects.none()
    department = getattr(getattr(user, "profile", None), "department_id", None)
    mine = Q(responsible=user)
    if department:
        mine |= Q(department_id=department)
    return (
        ActionPoint.objects.filter(mine, done=False)
        .select_related("meeting__group", "responsible", "department", "activity")
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def minutes_document(meeting):
    """The minutes as a reports.document.Document (render_pdf / render_docx / render_html)."""
    area = municipalities.get(meeting.municipality)
    start, end = local(meeting.start), local(meeting.end)
    if meeting.is_approved and meeting.approved_by:
        status = _("Justerat %(date)s av %(name)s") % {
            "date": local(meeting.approved_at).date().isoformat(),
            "name": _name(meeting.approved_by),
        }
    else:
        status = _("Utkast, inte justerat")
    meta = [
        (_("Datum"), start.date().isoformat()),
        (pgettext("meeting time", "Tid"), f"{start:%H:%M}–{end:%H:%M}"),
        (_("Plats"), meeting.place or meeting.link or "–"),
    ]
    attendance = list(meeting.attendance.select_related("user"))
    present = [_name(a.user) for a in attendance if a.present]
    absent = [_name(a.user) for a in attendance if not a.present]
    people = Section(_("Närvaro"))
    people.blocks.append(Paragraph(_("Närvarande: %(names)s") % {"names": _list(present)}))
    if absent:
        people.blocks.append(Paragraph(_("Frånvarande: %(names)s") % {"names": _list(absent)}))

    agenda = Section(_("Dagordning och beslut"))
    for item in meeting.agenda.select_related("activity", "round"):
        lines = [f"{item.order}. {item.title}"]
        if item.activity:
            lines.append(_("Insats: %(activity)s") % {"activity": item.activity})
        if item.note:
            lines.append(item.note)
        if item.decision:
            lines.append(_("Beslut: %(decision)s") % {"decision": item.decision})
        agenda.blocks.append(Paragraph("\n".join(lines)))
    if not agenda.blocks:
        agenda.blocks.append(Paragraph(_("Ingen dagordning.")))

    sections = [people, agenda]
    if meeting.minutes_text:
        sections.append(Section(_("Anteckningar"), [Paragraph(meeting.minutes_text)]))
    points = list(meeting.action_points.select_related("responsible", "department", "activity"))
    rows = [
        [p.text, p.who() or "–", p.due.isoformat() if p.due else "–", str(p.activity or "–")]
        for p in points
    ]
    sections.append(
        Section(
            _("Åtgärdspunkter"),
            [
                Table(
                    _("Vem gör vad och när"),
                    [_("Åtgärd"), pgettext("action point", "Ansvarig"), _("Senast"), _("Insats")],
                    rows,
                )
            ]
            if rows
            else [Paragraph(_("Inga åtgärdspunkter."))],
        )
    )
    return Document(
        title=_("Protokoll: %(title)s") % {"title": meeting.title},
        subtitle=f"{meeting.group.name}, {start.date().isoformat()}",
        municipality=area.full_name if area else meeting.municipality,
        meta=meta,
        sections=sections,
        example_data=meeting.is_example or meeting.group.is_example,
        example_mark=_("Exempelinnehåll – inte ett verkligt möte eller protokoll"),
        language=(get_language() or "sv")[:2],
        status=status,
        dated=meeting.approved_at or datetime.datetime.now(datetime.UTC),
        short=True,  # minutes are a page or two: no cover page or contents
    )


def _list(names):
    return ", ".join(names) if names else "–"


def start_panel(user):
    """The start page's list of the user's open action points (for
    meetings/_my_action_points.html as `action_points`); empty for anyone without any."""
    # Only points of meetings she may open: a department's point in minutes not yet approved,
    # of a meeting she was not invited to, stays with those who were.
    return [p for p in my_open_points(user) if user.has_perm("meetings.view_meeting", p.meeting)]
