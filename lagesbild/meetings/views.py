"""Working groups' and meetings' pages (staff only; nothing here is public).

Every read and write checks a django-rules permission against the object (rules.py). What a
user may not see is "not found" (404): another municipality's groups and meetings, and a
meeting she is not invited to before its minutes are approved. A partner gets 403: she has no
part in the municipality's internal meetings. Writes by anyone but the coordinator are 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lagesbild.accounts.models import Role, role_of
from lagesbild.core.history import change_kind
from lagesbild.reports.render import render_docx, render_pdf

from . import services
from .forms import (
    ActionPointForm,
    AgendaItemForm,
    MeetingForm,
    MinutesForm,
    WorkingGroupForm,
    area_choices,
)
from .models import ActionPoint, AgendaItem, Attendance, Meeting, WorkingGroup

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _own_municipality(user):
    """The user's kommunkod, or None for an installation admin (every municipality)."""
    if user.is_superuser:
        return None
    profile = getattr(user, "profile", None)
    return (profile.municipality or None) if profile else ""


def _check(user, obj, view_perm, perm=None):
    """404 for another municipality's object or one the user may not see; 403 for a partner
    and for a change (`perm`) the user may not make."""
    code = _own_municipality(user)
    if code is not None and obj.municipality != code:
        raise Http404
    if role_of(user) == Role.PARTNER:
        raise PermissionDenied
    if not user.has_perm(view_perm, obj):
        raise Http404
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied


def _group(request, pk, perm=None):
    group = get_object_or_404(WorkingGroup, pk=pk)
    _check(request.user, group, "meetings.view_workinggroup", perm)
    return group


def _meeting(request, pk, perm=None):
    meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    _check(request.user, meeting, "meetings.view_meeting", perm)
    return meeting


def _staff_only(user):
    if role_of(user) in (None, Role.PARTNER):
        raise PermissionDenied


# Groups -------------------------------------------------------------------------------------


@login_required
def group_list(request):
    """The working groups of the user's municipality."""
    user = request.user
    _staff_only(user)
    groups = WorkingGroup.objects.all()
    code = _own_municipality(user)
    if code is not None:
        groups = groups.filter(municipality=code)
    return render(
        request,
        "meetings/group_list.html",
        {
            "groups": groups,
            "can_add": bool(code) and user.has_perm("meetings.change_workinggroup", _Here(code)),
            "my_points": services.my_open_points(user),
        },
    )


class _Here:
    """Stands for "something in municipality `code`" in a permission check."""

    def __init__(self, code):
        self.municipality = code


@login_required
def group_create(request):
    code = _own_municipality(request.user)
    if not code or not request.user.has_perm("meetings.change_workinggroup", _Here(code)):
        raise PermissionDenied
    form = WorkingGroupForm(request.POST or None, municipality=code)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, _("Arbetsgruppen är skapad."))
        return redirect(group)
    return render(request, "meetings/form.html", {"form": form, "title": _("Ny arbetsgrupp")})


@login_required
def group_edit(request, pk):
    group = _group(request, pk, "meetings.change_workinggroup")
    form = WorkingGroupForm(request.POST or None, instance=group, municipality=group.municipality)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Arbetsgruppen är sparad."))
        return redirect(group)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": _("Ändra arbetsgruppen"), "back": group.get_absolute_url()},
    )


@login_required
def group_detail(request, pk):
    """The group, its members and the meetings the user may see."""
    group = _group(request, pk)
    user = request.user
    meetings = [m for m in group.meetings.all() if user.has_perm("meetings.view_meeting", m)]
    return render(
        request,
        "meetings/group_detail.html",
        {
            "group": group,
            "members": group.members.all(),
            "meetings": meetings,
            "open_points": [
                p
                for p in services.open_points(group)
                if user.has_perm("meetings.view_meeting", p.meeting)
            ],
            "can_change": user.has_perm("meetings.change_workinggroup", group),
            "can_add": user.has_perm("meetings.add_meeting", group),
        },
    )


# Meetings -----------------------------------------------------------------------------------


@login_required
def meeting_create(request, pk):
    """A new meeting; its agenda starts with the group's open action points."""
    group = _group(request, pk, "meetings.add_meeting")
    form = MeetingForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.is_example = group.is_example
            meeting = form.save()
            added = services.prefill_agenda(meeting)
        messages.success(
            request,
            ngettext(
                "Mötet är skapat. Dagordningen har %(n)s punkt från öppna åtgärdspunkter.",
                "Mötet är skapat. Dagordningen har %(n)s punkter från öppna åtgärdspunkter.",
                added,
            )
            % {"n": added},
        )
        return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": _("Nytt möte"), "back": group.get_absolute_url()},
    )


@login_required
def meeting_edit(request, pk):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    form = MeetingForm(request.POST or None, instance=meeting, group=meeting.group)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Mötet är sparat."))
        return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": _("Ändra mötet"), "back": meeting.get_absolute_url()},
    )


@login_required
def meeting_detail(request, pk):
    """The meeting page: agenda, attendance, minutes and action points."""
    meeting = _meeting(request, pk)
    user = request.user
    can_change = user.has_perm("meetings.change_meeting", meeting)
    present = set(meeting.attendance.filter(present=True).values_list("user_id", flat=True))
    points = list(meeting.action_points.select_related("responsible", "department", "activity"))
    areas = dict(area_choices(meeting.municipality))
    agenda = list(meeting.agenda.select_related("activity", "round"))
    for item in agenda:
        item.area_title = areas.get(item.area_key, item.area_key)
    for point in points:
        point.can_complete = not point.done and user.has_perm(
            "meetings.complete_actionpoint", point
        )
    return render(
        request,
        "meetings/meeting.html",
        {
            "meeting": meeting,
            "start": services.local(meeting.start),
            "end": services.local(meeting.end),
            "agenda": agenda,
            "invited": [(u, u.pk in present) for u in meeting.invited.all()],
            "points": points,
            "can_change": can_change,
            "agenda_form": AgendaItemForm(meeting=meeting, prefix="agenda") if can_change else None,
            "point_form": ActionPointForm(meeting=meeting, prefix="point") if can_change else None,
            "minutes_form": MinutesForm(instance=meeting) if can_change else None,
            "history": [
                {
                    "date": h.history_date,
                    "user": h.history_user,
                    "type": change_kind(h),
                    "status": h.get_status_display(),
                }
                for h in meeting.history.select_related("history_user")[:20]
            ],
        },
    )


@login_required
@require_POST
def send_invitation(request, pk):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    if not meeting.may_invite:
        # A held meeting is not called again; a changed time before it is (a new sequence).
        messages.error(request, _("Mötet är redan hållet, så ingen kallelse skickades."))
        return redirect(meeting)
    sent = services.send_invitation(meeting, request.user, request)
    messages.success(
        request,
        ngettext(
            "Kallelsen är skickad till %(n)s person.",
            "Kallelsen är skickad till %(n)s personer.",
            sent,
        )
        % {"n": sent},
    )
    return redirect(meeting)


@login_required
@require_POST
def attendance(request, pk):
    """Who was there: one checkbox per invited member. Taking attendance marks it held."""
    meeting = _meeting(request, pk, "meetings.change_meeting")
    chosen = set(request.POST.getlist("present"))
    with transaction.atomic():
        for user in meeting.invited.all():
            Attendance.objects.update_or_create(
                meeting=meeting, user=user, defaults={"present": str(user.pk) in chosen}
            )
        if meeting.status in (Meeting.Status.PLANNED, Meeting.Status.INVITED):
            meeting.status = Meeting.Status.HELD
            meeting.save()
    messages.success(request, _("Närvaron är sparad."))
    return redirect(meeting)


@login_required
@require_POST
def minutes(request, pk):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    form = MinutesForm(request.POST, instance=meeting)
    if form.is_valid():
        form.save()
        messages.success(request, _("Protokollsanteckningarna är sparade."))
    else:
        messages.error(request, _("Anteckningarna sparades inte: %(e)s") % {"e": form.errors})
    return redirect(meeting)


@login_required
@require_POST
def approve(request, pk):
    """Justera protokollet: every staff member of the municipality may read it from now on."""
    meeting = _meeting(request, pk, "meetings.change_meeting")
    made = services.approve(meeting, request.user)
    messages.success(
        request,
        ngettext(
            "Protokollet är justerat. %(n)s åtgärdspunkt har lagts till insatsernas tidslinje.",
            "Protokollet är justerat. %(n)s åtgärdspunkter har lagts till insatsernas tidslinje.",
            len(made),
        )
        % {"n": len(made)},
    )
    return redirect(meeting)


@login_required
def minutes_file(request, pk, fmt):
    """The minutes as PDF or Word, for everyone who may see the meeting."""
    meeting = _meeting(request, pk)
    doc = services.minutes_document(meeting)
    data = render_pdf(doc) if fmt == "pdf" else render_docx(doc)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    date = services.local(meeting.start).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="protokoll-{date}.{fmt}"'
    return response


# Agenda items and action points -------------------------------------------------------------


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    form = AgendaItemForm(request.POST, meeting=meeting, prefix="agenda")
    if form.is_valid():
        form.save()
        messages.success(request, _("Punkten är tillagd."))
    else:
        messages.error(request, _("Punkten lades inte till: %(e)s") % {"e": form.errors})
    return redirect(meeting)


@login_required
def agenda_edit(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__group"), pk=pk)
    meeting = item.meeting
    _check(request.user, meeting, "meetings.view_meeting", "meetings.change_meeting")
    form = AgendaItemForm(request.POST or None, instance=item, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Punkten är sparad."))
        return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": _("Ändra dagordningspunkten"), "back": meeting.get_absolute_url()},
    )


@login_required
@require_POST
def point_add(request, pk):
    meeting = _meeting(request, pk, "meetings.change_meeting")
    form = ActionPointForm(request.POST, meeting=meeting, prefix="point")
    if form.is_valid():
        form.save()
        messages.success(request, _("Åtgärdspunkten är tillagd."))
    else:
        messages.error(request, _("Åtgärdspunkten lades inte till: %(e)s") % {"e": form.errors})
    return redirect(meeting)


@login_required
def point_edit(request, pk):
    point = get_object_or_404(ActionPoint.objects.select_related("meeting__group"), pk=pk)
    meeting = point.meeting
    _check(request.user, meeting, "meetings.view_meeting", "meetings.change_meeting")
    form = ActionPointForm(request.POST or None, instance=point, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        if form.instance.done and not form.instance.done_at:
            form.instance.done_at = timezone.now()
        if not form.instance.done:
            form.instance.done_at = None
        form.save()
        messages.success(request, _("Åtgärdspunkten är sparad."))
        return redirect(meeting)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": _("Ändra åtgärdspunkten"), "back": meeting.get_absolute_url()},
    )


@login_required
@require_POST
def point_done(request, pk):
    """Mark an action point done: the coordinator, the person or department responsible."""
    point = get_object_or_404(ActionPoint.objects.select_related("meeting__group"), pk=pk)
    _check(request.user, point.meeting, "meetings.view_meeting")
    if not request.user.has_perm("meetings.complete_actionpoint", point):
        raise PermissionDenied
    point.done, point.done_at = True, timezone.now()
    point.save()
    messages.success(request, _("Åtgärdspunkten är markerad som klar."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = point.meeting.get_absolute_url()
    return redirect(target)
