"""The Lägesbild in the app: drafts, texts per area, publishing, published versions.

Drafts are for the municipality's staff; published versions are public documents. Every write
checks an object permission from rules.py (403 otherwise).
"""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lagesbild.accounts.rules import is_coordinator
from lagesbild.core import municipalities
from lagesbild.core.history import change_kind, field_changes
from lagesbild.policy.models import Policy
from lagesbild.stats import example_data

from . import publishing
from .forms import AnalysisForm, ExperienceForm
from .lagesbild import build_document, collect, indicators_of
from .models import AreaAnalysis, Experience, PublishedReport
from .publishing import FORMATS, publish, published_status, render_published
from .render import render_html

FIRST_YEAR, LAST_YEAR = 2000, 2100


def default_year():
    # The Lägesbild written in a year describes the year before (the latest statistics).
    return timezone.localdate().year - 1


def _policy_and_year(slug, year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return get_object_or_404(Policy, slug=slug)


def _require(request, perm, obj):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _area(policy, key):
    version = policy.current
    if version is None:
        raise Http404
    for area in version.data["areas"]:
        if area["id"] == key:
            return area
    raise Http404


def _download(content, fmt, filename):
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _downloads(name, *args):
    labels = {
        "html": _("Ladda ner som HTML"),
        "pdf": _("Ladda ner som PDF"),
        "docx": _("Ladda ner som Word"),
    }
    return [(labels[fmt], reverse(name, args=[*args, fmt])) for fmt in FORMATS]


def _filename(policy, year, suffix=""):
    return f"lagesbild-{policy.municipality}-{year}{suffix}"


def index(request):
    year = default_year()
    asked = request.GET.get("year", "")
    year_error = ""
    if asked:
        if asked.isdigit() and FIRST_YEAR <= int(asked) <= LAST_YEAR:
            year = int(asked)
        else:
            year_error = _("Ange ett år mellan %(first)s och %(last)s.") % {
                "first": FIRST_YEAR,
                "last": LAST_YEAR,
            }
    rows = []
    for policy in Policy.objects.all():
        rows.append(
            {
                "policy": policy,
                "may_draft": request.user.has_perm("reports.view_draft", policy),
                "published": policy.published_reports.all(),
            }
        )
    return render(
        request,
        "reports/index.html",
        {
            "rows": rows,
            "year": year,
            "year_error": year_error,
            "may_draft": any(r["may_draft"] for r in rows),
        },
    )


HISTORY_ROWS = 50  # the newest changes on the draft page
PUBLISHED = gettext_lazy("publicerad")  # a published version's first row


def _history(policy, year, areas):
    """The Lägesbild's audit trail for one year, newest first: who wrote, changed or removed
    which experience or analysis, and who published which version when.

    Each row names what (kind, area, department or version), how (created, changed: which
    fields, removed), who and when. Texts themselves are not repeated here."""
    titles = {a["id"]: a["title"] for a in areas}
    rows = []
    kinds = [
        (Experience, Experience.history.select_related("department")),
        (AreaAnalysis, AreaAnalysis.history.all()),
        (PublishedReport, PublishedReport.history.all()),
    ]
    for model, records in kinds:
        records = records.filter(policy=policy, year=year).select_related("history_user")
        records = records.order_by("-history_date")
        for record in records[:HISTORY_ROWS]:
            if model is PublishedReport:
                what = [_("Version %(n)s") % {"n": record.number}]
            else:
                what = [titles.get(record.area_key, record.area_key)]
                if model is Experience:
                    what.append(str(record.department))
            how = change_kind(record)
            if model is PublishedReport and record.history_type == "+":
                how = PUBLISHED
            changed = []
            if record.history_type == "~":
                changed = [str(name) for name, _old, _new in field_changes(record, ["updated_at"])]
            rows.append(
                {
                    "date": record.history_date,
                    "user": record.history_user,
                    "kind": model._meta.verbose_name,
                    "what": ", ".join(what),
                    "type": how,
                    "changed": changed,
                }
            )
    rows.sort(key=lambda r: r["date"], reverse=True)
    return rows[:HISTORY_ROWS]


@login_required
def draft(request, slug, year):
    policy = _policy_and_year(slug, year)
    _require(request, "reports.view_draft", policy)
    version = policy.current
    if version is None:
        raise Http404
    snapshot = collect(version, year)
    doc = build_document(snapshot, status=_("Utkast"), with_png=False)
    user = request.user
    indicators = indicators_of(snapshot)
    missing = sorted(
        (ind.title for ind in indicators.values() if ind.latest is None), key=str.lower
    )
    target = SimpleNamespace(municipality=policy.municipality)
    areas = [
        {
            "id": a["id"],
            "title": a["title"],
            "experiences": Experience.objects.filter(policy=policy, year=year, area_key=a["id"]),
        }
        for a in version.data["areas"]
    ]
    for area in areas:
        area["experiences"] = [
            (e, user.has_perm("reports.edit_experience", e)) for e in area["experiences"]
        ]
    return render(
        request,
        "reports/draft.html",
        {
            "policy": policy,
            "year": year,
            "areas": areas,
            "report_html": render_html(doc),
            "may_write": user.has_perm("reports.write_experience", policy),
            "may_analyse": user.has_perm("reports.write_analysis", policy),
            "may_publish": user.has_perm("reports.publish", policy),
            "published": policy.published_reports.filter(year=year),
            "history": _history(policy, year, version.data["areas"]),
            "downloads": _downloads("reports:draft_download", policy.slug, year),
            "kommun": municipalities.get(policy.municipality),
            "missing": missing,
            "no_statistics": bool(indicators) and len(missing) == len(indicators),
            "may_refresh": user.has_perm("stats.refresh_statistics", target),
            "may_example": user.has_perm("stats.manage_example_data", target)
            and not example_data.has_real_values(policy.municipality),
        },
    )


@login_required
def draft_download(request, slug, year, fmt):
    policy = _policy_and_year(slug, year)
    _require(request, "reports.view_draft", policy)
    if fmt not in FORMATS or policy.current is None:
        raise Http404
    content = publishing.render(collect(policy.current, year), fmt, _("Utkast"))
    return _download(content, fmt, _filename(policy, year, "-utkast"))


def published(request, slug, year, number):
    policy = _policy_and_year(slug, year)
    report = get_object_or_404(PublishedReport, policy=policy, year=year, number=number)
    return render(
        request,
        "reports/published.html",
        {
            "policy": policy,
            "report": report,
            "status": published_status(report),
            "report_html": render_published(report, "html", standalone=False),
            "versions": policy.published_reports.filter(year=year),
            "downloads": _downloads("reports:published_download", slug, year, number),
        },
    )


def published_download(request, slug, year, number, fmt):
    policy = _policy_and_year(slug, year)
    report = get_object_or_404(PublishedReport, policy=policy, year=year, number=number)
    if fmt not in FORMATS:
        raise Http404
    content = render_published(report, fmt)
    return _download(content, fmt, _filename(policy, year, f"-v{number}"))


def _next_number(policy, year):
    last = policy.published_reports.filter(year=year).order_by("-number").first()
    return last.number + 1 if last else 1


@login_required
def publish_view(request, slug, year):
    """Publishing, in two steps: GET shows what publishing means (a frozen, public version N
    that cannot be changed); only a POST with the confirmation checkbox for that same N
    publishes. Anything else shows the confirmation page again and publishes nothing."""
    policy = _policy_and_year(slug, year)
    _require(request, "reports.publish", policy)
    if policy.current is None:
        raise Http404
    number = _next_number(policy, year)
    error = ""
    if request.method == "POST":
        if request.POST.get("number") != str(number):
            error = _(
                "En version har publicerats sedan sidan visades. Nästa version är nu %(n)s: "
                "läs igen och bekräfta. Ingenting mer är publicerat."
            ) % {"n": number}
        elif request.POST.get("confirm") != "yes":
            error = _("Kryssa i rutan för att bekräfta publiceringen. Ingenting är publicerat.")
        else:
            report = publish(policy, year, request.user)
            messages.success(
                request,
                _("Lägesbilden %(year)s är publicerad som version %(n)s.")
                % {"year": year, "n": report.number},
            )
            return redirect(report)
    return render(
        request,
        "reports/publish_confirm.html",
        {
            "policy": policy,
            "year": year,
            "number": number,
            "earlier": policy.published_reports.filter(year=year).order_by("number"),
            "public_url": request.build_absolute_uri(
                reverse("reports:published", args=[slug, year, number])
            ),
            "error": error,
        },
    )


def _user_department(user):
    profile = getattr(user, "profile", None)
    return profile.department if profile else None


@login_required
def experience_new(request, slug, year, area):
    policy = _policy_and_year(slug, year)
    _require(request, "reports.write_experience", policy)
    area_data = _area(policy, area)
    user = request.user
    fixed = None
    if not is_coordinator.test(user):  # representatives write for their own department
        fixed = _user_department(user)
        if fixed is None or fixed.municipality != policy.municipality:
            raise PermissionDenied
    instance = Experience(policy=policy, year=year, area_key=area, author=user)
    form = ExperienceForm(
        request.POST or None,
        instance=instance,
        municipality=policy.municipality,
        fixed_department=fixed,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Den beprövade erfarenheten är sparad."))
        return redirect(reverse("reports:draft", args=[slug, year]) + f"#s-{area}")
    return render(
        request,
        "reports/experience_form.html",
        {"policy": policy, "year": year, "area": area_data, "form": form, "department": fixed},
    )


@login_required
def experience_edit(request, pk):
    experience = get_object_or_404(Experience.objects.select_related("policy"), pk=pk)
    _require(request, "reports.edit_experience", experience)
    policy = experience.policy
    area_data = _area(policy, experience.area_key)
    coordinator = is_coordinator.test(request.user)
    form = ExperienceForm(
        request.POST or None,
        instance=experience,
        municipality=policy.municipality,
        fixed_department=None if coordinator else experience.department,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Den beprövade erfarenheten är sparad."))
        return redirect(
            reverse("reports:draft", args=[policy.slug, experience.year])
            + f"#s-{experience.area_key}"
        )
    return render(
        request,
        "reports/experience_form.html",
        {
            "policy": policy,
            "year": experience.year,
            "area": area_data,
            "form": form,
            "department": None if coordinator else experience.department,
            "experience": experience,
        },
    )


@login_required
def analysis_edit(request, slug, year, area):
    policy = _policy_and_year(slug, year)
    _require(request, "reports.write_analysis", policy)
    area_data = _area(policy, area)
    instance = AreaAnalysis.objects.filter(policy=policy, year=year, area_key=area).first()
    instance = instance or AreaAnalysis(policy=policy, year=year, area_key=area)
    form = AnalysisForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        analysis = form.save(commit=False)
        analysis.author = request.user
        analysis.save()
        messages.success(request, _("Analysen är sparad."))
        return redirect(reverse("reports:draft", args=[slug, year]) + f"#s-{area}")
    return render(
        request,
        "reports/analysis_form.html",
        {"policy": policy, "year": year, "area": area_data, "form": form},
    )
