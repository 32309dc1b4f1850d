"""Handlingsplan and uppföljning pages.

Every write view checks a django-rules permission against the object it changes (rules.py);
reading needs a role in the plan's municipality, except the public page of a published plan.
"""

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lagesbild.core.history import change_kind, field_changes
from lagesbild.policy import agenda2030
from lagesbild.policy.models import Policy
from lagesbild.stats.catalogue import indicator_ids

from . import rounds, transfer
from .forms import (
    ActivityForm,
    ActivityReportForm,
    AskPartnerForm,
    AssessmentForm,
    ContributionForm,
    ExperienceForm,
    ImportForm,
    PlanForm,
    ProposalForm,
    RoundForm,
    TimelineEntryForm,
)
from .models import (
    Activity,
    DepartmentReport,
    FollowUpRound,
    PartnerContribution,
    Plan,
    Proposal,
)
from .progress import activity_progress, by_area, plan_deadlines

logger = logging.getLogger(__name__)


def _require(request, perm, obj):
    """403 unless the user has `perm` on `obj`; anonymous users are sent to log in."""
    if not request.user.is_authenticated:
        raise _LoginRequired
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


class _LoginRequired(Exception):
    pass


def _guard(view):
    """Turn _LoginRequired into a redirect to the login page."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# Plans --------------------------------------------------------------------------------------


def plan_list(request):
    """Staff see their municipality's plans; everyone sees the published ones."""
    user = request.user
    published = Plan.objects.filter(published=True).select_related("policy")
    mine = Plan.objects.none()
    staff = user.has_perm("plan.view_plan")  # not partners: they read the published ones
    if staff:
        mine = Plan.objects.select_related("policy")
        if not user.is_superuser:
            mine = mine.filter(policy__municipality=user.profile.municipality)
    policies = [p for p in Policy.objects.all() if user.has_perm("plan.add_plan", p)]
    return render(
        request,
        "plan/list.html",
        {"plans": mine, "published": published, "policies": policies, "staff": staff},
    )


def _goal_filter(request, plan):
    """The ?mal= filter on the plan page: the Agenda 2030 goal asked for and the activities
    tagged with it or one of its targets, as a flat list (the roll-up by area stays whole).

    Returns a dict for the template: goals (the choices), goal and goal_name (None if no
    filter), matching ([(activity, rolled-up progress, [])…]) and unknown (what was asked for
    when it is not a goal 1–17: then every activity is shown)."""
    names = dict(agenda2030.goals(get_language()))
    asked = request.GET.get("mal", "").strip()
    out = {"goals": names.items(), "goal": None, "goal_name": "", "matching": [], "unknown": ""}
    if not asked:
        return out
    if asked not in names:
        out["unknown"] = asked[:20]
        return out
    activities = list(plan.activities.select_related("department").order_by("ref"))
    progress = activity_progress(activities)
    out["goal"], out["goal_name"] = asked, names[asked]
    out["matching"] = [
        (a, progress[a.pk], [])
        for a in activities
        if asked in agenda2030.goals_of(c for c in a.agenda2030 if agenda2030.exists(c))
    ]
    return out


@_guard
def plan_detail(request, pk):
    """The coordinator's and Integrationsgruppen's dashboard of one plan."""
    plan = get_object_or_404(Plan.objects.select_related("policy"), pk=pk)
    _require(request, "plan.view_plan", plan)
    user = request.user
    return render(
        request,
        "plan/detail.html",
        {
            "plan": plan,
            "areas": by_area(plan),
            "goal_filter": _goal_filter(request, plan),
            "deadlines": plan_deadlines(plan, timezone.localdate()),
            "rounds": plan.rounds.all(),
            "proposals": plan.proposals.all(),
            "can_change": user.has_perm("plan.change_plan", plan),
            "can_add": user.has_perm("plan.add_activity", plan),
            "can_import": user.has_perm("plan.import_activities", plan),
            "can_open_round": user.has_perm("plan.open_round", plan),
            "open_round": rounds.open_round_of(plan),
            "can_propose": user.has_perm("plan.propose_activity", plan),
            "can_review": user.has_perm("plan.review_proposal", plan),
            "my_reports": DepartmentReport.objects.filter(
                round__plan=plan,
                round__closed_at__isnull=True,
                department_id=getattr(getattr(user, "profile", None), "department_id", None),
            ),
        },
    )


def plan_public(request, pk):
    """The published plan and its progress, for everyone (no login)."""
    plan = get_object_or_404(Plan.objects.select_related("policy"), pk=pk, published=True)
    return render(
        request,
        "plan/public.html",
        {
            "plan": plan,
            "areas": by_area(plan),
            # A partner's way in: she has no dashboard (docs/roles.md).
            "can_propose": request.user.has_perm("plan.propose_activity", plan),
        },
    )


@_guard
def plan_create(request, slug):
    policy = get_object_or_404(Policy, slug=slug)
    _require(request, "plan.add_plan", policy)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.policy = policy
        plan = form.save()
        messages.success(request, _("Handlingsplanen är skapad."))
        return redirect(plan)
    return render(request, "plan/form.html", {"form": form, "title": _("Ny handlingsplan")})


@_guard
def plan_edit(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    _require(request, "plan.change_plan", plan)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Handlingsplanen är sparad."))
        return redirect(plan)
    return render(
        request,
        "plan/form.html",
        {"form": form, "title": _("Ändra handlingsplanen"), "back": plan.get_absolute_url()},
    )


# Activities ---------------------------------------------------------------------------------


def _history(activity):
    """The activity's audit trail: who changed which fields when, newest first."""
    out = []
    for record in activity.history.select_related("history_user").all():
        out.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": change_kind(record),
                "changes": field_changes(record),
            }
        )
    return out


@_guard
def activity_detail(request, pk):
    activity = get_object_or_404(
        Activity.objects.select_related("plan__policy", "department", "parent"), pk=pk
    )
    _require(request, "plan.view_plan", activity.plan)
    user = request.user
    areas = {a.key: a.title for a in activity.plan.areas()}
    return render(
        request,
        "plan/activity.html",
        {
            "activity": activity,
            "plan": activity.plan,
            "area_titles": [areas.get(k, k) for k in activity.area_keys],
            "agenda2030": [
                agenda2030.label(c, get_language()) if agenda2030.exists(c) else c
                for c in activity.agenda2030
            ],
            "agenda2030_source": agenda2030.source_text(get_language()),
            "children": activity.children.all(),
            "timeline": activity.timeline.select_related("author"),
            "history": _history(activity),
            "reports": activity.reports.select_related("report__round").order_by(
                "-report__round__deadline"
            ),
            "can_change": user.has_perm("plan.change_activity", activity),
            "can_delete": user.has_perm("plan.delete_activity", activity),
            "can_add_entry": user.has_perm("plan.add_timelineentry", activity),
            "entry_form": TimelineEntryForm(initial={"date": timezone.localdate()}),
        },
    )


@_guard
def activity_create(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    _require(request, "plan.add_activity", plan)
    form = ActivityForm(request.POST or None, plan=plan, coordinator=True)
    if request.method == "POST" and form.is_valid():
        form.instance.plan = plan
        activity = form.save()
        messages.success(request, _("Insatsen är skapad."))
        return redirect(activity)
    return render(
        request,
        "plan/form.html",
        {"form": form, "title": _("Ny insats"), "back": plan.get_absolute_url()},
    )


@_guard
def activity_edit(request, pk):
    activity = get_object_or_404(Activity.objects.select_related("plan__policy"), pk=pk)
    _require(request, "plan.change_activity", activity)
    coordinator = request.user.has_perm("plan.add_activity", activity.plan)
    form = ActivityForm(
        request.POST or None, instance=activity, plan=activity.plan, coordinator=coordinator
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Insatsen är sparad."))
        return redirect(activity)
    return render(
        request,
        "plan/form.html",
        {"form": form, "title": _("Ändra insats"), "back": activity.get_absolute_url()},
    )


@_guard
@require_POST
def activity_delete(request, pk):
    activity = get_object_or_404(Activity, pk=pk)
    _require(request, "plan.delete_activity", activity)
    if activity.children.exists():
        messages.error(request, _("Insatsen har delinsatser; ta bort eller flytta dem först."))
        return redirect(activity)
    plan = activity.plan
    activity.delete()
    messages.success(request, _("Insatsen är borttagen."))
    return redirect(plan)


@_guard
@require_POST
def timeline_add(request, pk):
    activity = get_object_or_404(Activity, pk=pk)
    _require(request, "plan.add_timelineentry", activity)
    form = TimelineEntryForm(request.POST)
    if form.is_valid():
        form.instance.activity = activity
        form.instance.author = request.user
        form.save()
        messages.success(request, _("Händelsen är tillagd."))
    else:
        errors = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        messages.error(request, _("Händelsen sparades inte: %(errors)s") % {"errors": errors})
    return redirect(activity)


# Proposals ----------------------------------------------------------------------------------


@_guard
def proposal_create(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    _require(request, "plan.propose_activity", plan)
    profile = getattr(request.user, "profile", None)
    form = ProposalForm(
        request.POST or None,
        plan=plan,
        initial={"organisation": profile.organisation if profile else ""},
    )
    if request.method == "POST" and form.is_valid():
        form.instance.plan = plan
        form.instance.proposed_by = request.user
        form.save()
        messages.success(request, _("Tack! Förslaget är skickat till integrationssamordnaren."))
        if request.user.has_perm("plan.view_plan", plan):
            return redirect(plan)
        return redirect("plan:propose", plan.pk)  # a partner sees her proposals there
    staff = request.user.has_perm("plan.view_plan", plan)
    return render(
        request,
        "plan/propose.html",
        {
            "form": form,
            "title": _("Föreslå en insats"),
            "plan": plan,
            "back": plan.get_absolute_url() if staff else reverse("plan:public", args=[plan.pk]),
            # The proposer's own proposals and the coordinator's decision on each.
            "mine": plan.proposals.filter(proposed_by=request.user),
        },
    )


@_guard
@require_POST
def proposal_review(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    _require(request, "plan.review_proposal", proposal)
    state = request.POST.get("state")
    if state not in Proposal.State.values:
        messages.error(request, _("Okänt beslut."))
    else:
        proposal.state = state
        proposal.save(update_fields=["state"])
    return redirect(proposal.plan)


# Import and export --------------------------------------------------------------------------


@_guard
def export_activities(request, pk, fmt):
    plan = get_object_or_404(Plan, pk=pk)
    _require(request, "plan.view_plan", plan)
    name = f"insatser-plan-{plan.pk}"
    if fmt == "csv":
        response = HttpResponse(transfer.export_csv(plan), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            transfer.export_xlsx(plan),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@_guard
def import_activities(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    _require(request, "plan.import_activities", plan)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created, updated = transfer.import_activities(
                plan, upload.read(), upload.name, indicator_ids()
            )
        except transfer.ImportError_ as e:
            errors = e.errors
        else:
            messages.success(
                request,
                _("Inläst: %(created)s nya och %(updated)s ändrade insatser.")
                % {"created": created, "updated": updated},
            )
            return redirect(plan)
    return render(
        request,
        "plan/import.html",
        {"form": form, "plan": plan, "errors": errors, "columns": transfer.COLUMNS},
    )


# Follow-up rounds ---------------------------------------------------------------------------


def _refuse_second_round(request, current):
    """One open round per plan: the coordinator is sent to the open one, to close it first."""
    messages.error(
        request,
        _(
            "Omgången %(title)s är fortfarande öppen (sista dag att rapportera %(deadline)s). "
            "Stäng den innan du öppnar en ny omgång; ingen ny omgång har öppnats."
        )
        % {"title": current.title, "deadline": current.deadline.isoformat()},
    )
    return redirect(current)


@_guard
def round_open(request, pk):
    plan = get_object_or_404(Plan, pk=pk)
    _require(request, "plan.open_round", plan)
    current = rounds.open_round_of(plan)
    if current is not None:
        return _refuse_second_round(request, current)
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        initial={"title": _("Uppföljning %(year)s") % {"year": today.year}, "year": today.year},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rnd = rounds.open_round(
                plan, data["title"], data["year"], data["deadline"], request.user
            )
        except rounds.RoundAlreadyOpen as e:  # opened by someone else meanwhile
            return _refuse_second_round(request, e.round)
        messages.success(request, _("Uppföljningsomgången är öppnad."))
        return redirect(rnd)
    return render(
        request,
        "plan/form.html",
        {"form": form, "title": _("Öppna en uppföljningsomgång"), "back": plan.get_absolute_url()},
    )


@_guard
def round_detail(request, pk):
    """The coordinator's view of a round: who has reported and who is late."""
    rnd = get_object_or_404(FollowUpRound.objects.select_related("plan__policy"), pk=pk)
    user = request.user
    if user.has_perm("plan.view_plan", rnd.plan):
        rounds.add_missing_reports(rnd)
    if not user.has_perm("plan.review_round", rnd):
        # A department representative goes to her own department's report.
        _require(request, "plan.view_plan", rnd.plan)
        department_id = getattr(getattr(user, "profile", None), "department_id", None)
        report = rnd.reports.filter(department_id=department_id).first()
        if report is None:
            raise PermissionDenied
        return redirect(report)
    today = timezone.localdate()
    reports = []
    for report in rnd.reports.select_related("department", "submitted_by"):
        state = "submitted" if report.submitted_at else ("late" if today > rnd.deadline else "open")
        reports.append(
            {
                "report": report,
                "state": state,
                "activities": rounds.report_activities(report).count(),
                "answered": report.items.count(),
                "reminders": report.reminders.all(),
            }
        )
    from .followup_report import recipient, written_by

    may_close = user.has_perm("plan.close_round", rnd)
    missing = rounds.missing_reports(rnd) if rnd.is_open else []
    return render(
        request,
        "plan/round.html",
        {
            "round": rnd,
            "plan": rnd.plan,
            "reports": reports,
            "late": sum(r["state"] == "late" for r in reports),
            "submitted": sum(r["state"] == "submitted" for r in reports),
            "can_close": rnd.is_open and may_close,
            "missing": missing,
            "missing_ids": _ids(missing),
            "reports_to": recipient(rnd.plan),
            "assessment_form": AssessmentForm(instance=rnd) if may_close else None,
            "assessment_by": written_by(rnd, "assessment", "proposal"),
            "contributions": rnd.contributions.select_related("partner"),
            "ask_form": AskPartnerForm(choices=rounds.partners_to_ask(rnd))
            if rnd.is_open
            else None,
        },
    )


def _ids(reports):
    """The reports' ids as one value ("3,7"): what a confirmation to close covers."""
    return ",".join(str(r.pk) for r in sorted(reports, key=lambda r: r.pk))


@_guard
def report_form(request, pk):
    """A department's report in a round: every activity's status and progress, and the
    department's experience per policy area."""
    report = get_object_or_404(
        DepartmentReport.objects.select_related("round__plan__policy", "department"), pk=pk
    )
    _require(request, "plan.submit_report", report)
    rnd = report.round
    activities = list(rounds.report_activities(report))
    saved = {item.activity_id: item for item in report.items.all()}
    areas = rounds.report_areas(report)
    texts = rounds.experience_texts(report)
    editable = rnd.is_open
    post = request.POST if request.method == "POST" and editable else None

    rows = []
    for a in activities:
        item = saved.get(a.pk)
        initial = {
            "status": item.status if item else a.status,
            "progress": item.progress if item else a.progress,
            "text": item.text if item else "",
        }
        rows.append((a, ActivityReportForm(post, prefix=f"a{a.pk}", initial=initial)))
    area_forms = [
        (
            area,
            ExperienceForm(post, prefix=f"e-{area.key}", initial={"text": texts.get(area.key, "")}),
        )
        for area in areas
    ]
    if post is not None:
        forms_ok = all(f.is_valid() for _a, f in rows) & all(f.is_valid() for _a, f in area_forms)
        if forms_ok:
            submit = "submit" in request.POST
            with transaction.atomic():
                rounds.save_report(
                    report,
                    {a.pk: f.cleaned_data for a, f in rows},
                    {area.key: f.cleaned_data["text"] for area, f in area_forms},
                    request.user,
                    submit=submit,
                )
            messages.success(
                request,
                _("Rapporten är inskickad. Tack!") if submit else _("Utkastet är sparat."),
            )
            return redirect(report)
        messages.error(request, _("Rapporten sparades inte: rätta fälten som är markerade."))
    return render(
        request,
        "plan/report.html",
        {
            "report": report,
            "round": rnd,
            "plan": rnd.plan,
            "rows": rows,
            "area_forms": area_forms,
            "editable": editable,
            "late": editable and not report.submitted_at and timezone.localdate() > rnd.deadline,
        },
    )


def _build_reports(rnd):
    """(Re)build the follow-up report files. Should a renderer fail, an older file is removed
    (never served out of date) and the download builds the file on request."""
    from . import followup_report

    for fmt in followup_report.CONTENT_TYPES:
        try:
            followup_report.build(rnd, fmt, force=True)
        except Exception:
            logger.exception("follow-up report %s for round %s could not be built", fmt, rnd.pk)
            default_storage.delete(followup_report.report_name(rnd, fmt))


@_guard
@require_POST
def round_close(request, pk):
    """Close a round. With departments that have not sent in their reports, only when the
    coordinator has confirmed closing without them (the checkbox names them); otherwise the
    confirmation page lists them and nothing changes."""
    from .followup_report import recipient

    rnd = get_object_or_404(FollowUpRound.objects.select_related("plan__policy"), pk=pk)
    _require(request, "plan.close_round", rnd)
    if not rnd.is_open:
        return redirect(rnd)
    rounds.add_missing_reports(rnd)
    missing = rounds.missing_reports(rnd)
    confirmed = set(request.POST.get("confirm_missing", "").split(","))
    if missing and not {str(r.pk) for r in missing} <= confirmed:
        return render(
            request,
            "plan/round_close.html",
            {
                "round": rnd,
                "plan": rnd.plan,
                "missing": missing,
                "missing_ids": _ids(missing),
                "reports_to": recipient(rnd.plan),
                "asked": "confirm_missing" in request.POST,
            },
        )
    rounds.close_round(rnd, request.user)
    # The report is built now, from the round as it closed, and kept as files.
    _build_reports(rnd)
    messages.success(request, _("Omgången är stängd. Uppföljningsrapporten kan nu laddas ner."))
    return redirect(rnd)


@_guard
@require_POST
def round_assessment(request, pk):
    """The coordinator's overall assessment and proposed decision (also after closing: the
    report files are then built again with the new texts)."""
    rnd = get_object_or_404(FollowUpRound.objects.select_related("plan__policy"), pk=pk)
    _require(request, "plan.close_round", rnd)
    form = AssessmentForm(request.POST, instance=rnd)
    if form.is_valid():
        data = form.cleaned_data
        rounds.save_assessment(rnd, data["assessment"], data["proposal"], request.user)
        if not rnd.is_open:
            _build_reports(rnd)
            messages.success(
                request,
                _(
                    "Den samlade bedömningen och förslaget till beslut är sparade, och "
                    "uppföljningsrapporten är uppdaterad."
                ),
            )
        else:
            messages.success(
                request, _("Den samlade bedömningen och förslaget till beslut är sparade.")
            )
    else:
        messages.error(request, _("Texterna sparades inte."))
    return redirect(rnd)


@_guard
def round_document(request, pk, fmt):
    """The follow-up report, to the body the policy names, as HTML, PDF or Word."""
    from . import followup_report

    rnd = get_object_or_404(FollowUpRound.objects.select_related("plan__policy"), pk=pk)
    _require(request, "plan.view_plan", rnd.plan)
    if rnd.is_open:
        raise Http404("omgången är inte stängd")
    # In the default storage, shared by every app server (followup_report says why).
    name = followup_report.build(rnd, fmt)
    if fmt == "html":
        with default_storage.open(name, "rb") as f:
            body = f.read().decode("utf-8")  # render_html's output, escaped there
        return render(request, "plan/document.html", {"round": rnd, "body": body})
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type=followup_report.CONTENT_TYPES[fmt],
    )


# Partners' parts of a round -----------------------------------------------------------------


@_guard
@require_POST
def partner_ask(request, pk):
    """The coordinator asks a partner of her municipality for her organisation's part."""
    rnd = get_object_or_404(FollowUpRound.objects.select_related("plan__policy"), pk=pk)
    _require(request, "plan.review_round", rnd)
    if not rnd.is_open:
        messages.error(request, _("Omgången är stängd; ingen partner kan tillfrågas längre."))
        return redirect(rnd)
    form = AskPartnerForm(request.POST, choices=rounds.partners_to_ask(rnd))
    if not form.is_valid():
        messages.error(
            request, _("Välj en partner i kommunen som inte redan är tillfrågad i omgången.")
        )
        return redirect(rnd)
    partner = form.cleaned_data["partner"]
    rounds.ask_partner(rnd, partner, request.user, base_url=request.build_absolute_uri("/"))
    messages.success(
        request,
        _("%(name)s är tillfrågad om sin organisations del.")
        % {"name": partner.get_full_name() or partner.get_username()},
    )
    return redirect(rnd)


@_guard
def partner_part(request, pk):
    """A partner writes her organisation's part; the coordinator reads it."""
    contribution = get_object_or_404(
        PartnerContribution.objects.select_related("round__plan__policy", "partner"), pk=pk
    )
    _require(request, "plan.read_contribution", contribution)
    rnd = contribution.round
    may_write = request.user.has_perm("plan.write_contribution", contribution) and rnd.is_open
    submitting = "submit" in request.POST
    form = ContributionForm(
        request.POST if request.method == "POST" and may_write else None,
        instance=contribution,
        submitting=submitting,
    )
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            rounds.save_contribution(
                contribution,
                form.cleaned_data["organisation"],
                form.cleaned_data["text"],
                request.user,
                submit=submitting,
            )
            messages.success(
                request,
                _("Er del är inskickad. Tack!") if submitting else _("Utkastet är sparat."),
            )
            return redirect(contribution)
    return render(
        request,
        "plan/partner_part.html",
        {"contribution": contribution, "round": rnd, "form": form, "may_write": may_write},
    )
