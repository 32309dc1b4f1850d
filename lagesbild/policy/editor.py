"""The policy editor in the browser (issue #13): drafts, adoption, import, export, comparison.

A draft (PolicyDraft) is edited page by page; saving a page writes the draft only. Adopting it
writes it as a policy file and loads that with load_policy, the same as `lagesbild policy
load`, so the browser and the files pass exactly the same checks and a failed adoption changes
nothing. Only the coordinator of the policy's municipality and superusers edit
(policy.change_policy); drafts are shown to nobody else.
"""

import copy
import re
from types import SimpleNamespace

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lagesbild.core import municipalities
from lagesbild.stats import catalogue

from . import editing
from .compare import compare as compare_data
from .document import FORMAT, PolicyError, Problem, dump_policy, entry_groups
from .forms import (
    GENERAL_FIELDS,
    AreaForm,
    DecisionForm,
    GeneralForm,
    GoalForm,
    ImportForm,
    StartForm,
    TargetForm,
)
from .loading import check_policy, load_policy
from .models import Policy, PolicyDraft, PolicyVersion

ADOPTED_NAME = "redigerad i webbläsaren"
MAX_FORMS = 200


def may_edit(user, obj):
    return user.is_authenticated and user.has_perm("policy.change_policy", obj)


def _draft(request, pk):
    draft = get_object_or_404(PolicyDraft, pk=pk)
    if not may_edit(request.user, draft):
        raise PermissionDenied
    return draft


def _problems(draft):
    """The draft's problems as parse_policy reports them, each with the editor page to fix it."""
    out = []
    for problem in editing.draft_problems(draft.data, draft.municipality):
        out.append(
            {
                "field": problem.field,
                "message": problem.message,
                "url": _url_of(problem.field, draft),
            }
        )
    return out


def _url_of(field, draft):
    page, index = editing.page_of(field, draft)
    if page == "area" and index < len(draft.data.get("areas") or []):
        return reverse("policy:area_edit", args=[draft.pk, index])
    if page in ("area", "areas"):
        return reverse("policy:areas", args=[draft.pk])
    if page == "adopt":
        return reverse("policy:adopt", args=[draft.pk])
    return reverse("policy:edit", args=[draft.pk])


def _context(draft, **extra):
    data = draft.data
    return {
        "draft": draft,
        "data": data,
        "area_term": (data.get("area_term") or {}).get("plural") or _("områden"),
        **extra,
    }


# Starting ------------------------------------------------------------------------------------


def _start_choices(user):
    if user.is_superuser:
        return sorted(
            ((m.code, f"{m.name} ({m.code})") for m in municipalities.municipalities()),
            key=lambda c: c[1],
        )
    code = getattr(getattr(user, "profile", None), "municipality", "")
    if code and may_edit(user, SimpleNamespace(municipality=code)):
        return [(code, f"{editing.municipality_name(code)} ({code})")]
    return []


@login_required
def start(request):
    """A new policy: an empty form, or one of the shipped policies as a template."""
    choices = _start_choices(request.user)
    if not choices:
        raise PermissionDenied
    templates = editing.shipped_templates()
    form = StartForm(request.POST or None, municipalities=choices, templates=templates)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["municipality"]
        if not may_edit(request.user, SimpleNamespace(municipality=code)):
            raise PermissionDenied
        name = form.cleaned_data["template"]
        data = editing.from_template(templates[name], code) if name else editing.empty_policy(code)
        with transaction.atomic():
            draft = PolicyDraft.objects.create(
                municipality=code, data=data, updated_by=request.user
            )
        messages.success(request, _("Utkastet är skapat. Inget är antaget förrän du antar det."))
        return redirect("policy:edit", draft.pk)
    drafts = [d for d in PolicyDraft.objects.filter(policy=None) if may_edit(request.user, d)]
    return render(request, "policy/edit/start.html", {"form": form, "drafts": drafts})


@login_required
def revise(request, slug):
    """Open (or continue) the draft of a new version of an adopted policy."""
    policy = get_object_or_404(Policy, slug=slug)
    if not may_edit(request.user, policy):
        raise PermissionDenied
    existing = policy.drafts.first()
    if request.method == "POST":
        if existing:
            return redirect("policy:edit", existing.pk)
        current = policy.current
        with transaction.atomic():
            draft = PolicyDraft.objects.create(
                municipality=policy.municipality,
                policy=policy,
                data=copy.deepcopy(current.data),
                updated_by=request.user,
            )
        messages.success(
            request, _("Ett utkast till en ny version är skapat från den gällande versionen.")
        )
        return redirect("policy:edit", draft.pk)
    return render(request, "policy/edit/revise.html", {"policy": policy, "existing": existing})


@login_required
def delete(request, pk):
    draft = _draft(request, pk)
    if request.method == "POST":
        back = draft.policy.get_absolute_url() if draft.policy else reverse("policy:list")
        with transaction.atomic():
            draft.delete()
        messages.success(request, _("Utkastet är borttaget. Den gällande versionen är oförändrad."))
        return redirect(back)
    return render(request, "policy/edit/delete.html", _context(draft))


# General fields ----------------------------------------------------------------------------


def _field_problems(problems, paths):
    """{form field name: [message]} for the problems whose field is one of `paths`."""
    out = {}
    for p in problems:
        for name, path in paths.items():
            if editing.matches_field(p["field"], path):
                out.setdefault(name, []).append(p["message"])
                break
    return out


def _save(draft, data, user):
    with transaction.atomic():
        draft.data = data
        draft.updated_by = user
        draft.save()


@login_required
def edit(request, pk):
    draft = _draft(request, pk)
    form = GeneralForm(
        request.POST or None, data_in=draft.data, id_fixed=draft.policy_id is not None
    )
    if request.method == "POST" and form.is_valid():
        data = copy.deepcopy(draft.data)
        form.apply(data)
        if draft.policy_id:
            data["id"] = draft.policy.slug
        _save(draft, data, request.user)
        messages.success(request, _("Sparat i utkastet."))
        return redirect("policy:edit", draft.pk)
    problems = _problems(draft)
    paths = {name: path for name, path, *_rest in GENERAL_FIELDS}
    return render(
        request,
        "policy/edit/general.html",
        _context(
            draft, form=form, problems=problems, field_problems=_field_problems(problems, paths)
        ),
    )


# Areas ----------------------------------------------------------------------------------------


@login_required
def areas(request, pk):
    """The areas in order: add, remove, move up, move down."""
    draft = _draft(request, pk)
    area_list = draft.data.get("areas") or []
    if request.method == "POST":
        action, _sep, index = (request.POST.get("action") or "").partition(":")
        data = copy.deepcopy(draft.data)
        items = data.setdefault("areas", [])
        try:
            i = int(index) if index else None
        except ValueError:
            i = -1
        if action == "add":
            items.append({"id": f"omrade-{len(items) + 1}", "title": ""})
            _save(draft, data, request.user)
            return redirect("policy:area_edit", draft.pk, len(items) - 1)
        if i is None or not 0 <= i < len(items) or action not in ("remove", "up", "down"):
            messages.error(request, _("Okänd åtgärd; inget ändrades."))
            return redirect("policy:areas", draft.pk)
        if action == "remove":
            removed = items.pop(i)
            messages.success(
                request,
                _("Området ”%(title)s” är borttaget ur utkastet.")
                % {"title": removed.get("title") or removed.get("id", "")},
            )
        elif action == "up" and i > 0:
            items[i - 1], items[i] = items[i], items[i - 1]
        elif action == "down" and i < len(items) - 1:
            items[i + 1], items[i] = items[i], items[i + 1]
        _save(draft, data, request.user)
        return redirect("policy:areas", draft.pk)
    problems = _problems(draft)
    return render(
        request,
        "policy/edit/areas.html",
        _context(
            draft,
            areas=[
                {
                    "index": i,
                    "area": a,
                    "problems": [p for p in problems if p["field"].startswith(f"areas[{i}]")],
                }
                for i, a in enumerate(area_list)
            ],
            problems=problems,
        ),
    )


AREA_FIELDS = ("id", "title", "summary", "commitments", "indicators", "responsible")
GOAL_FIELDS = ("id", "text", "subgoals", "strategies", "indicators")


def _flat_targets(area):
    """[(belongs, target)]: the area's targets, then each goal's, as the target forms list them."""
    out = [("area", t) for t in area.get("targets") or []]
    for j, goal in enumerate(area.get("goals") or []):
        out += [(f"goal-{j}", t) for t in goal.get("targets") or []]
    return out


def _area_problems(problems, index, flat):
    """{html field name or form prefix: [message]} for the problems inside area `index`."""
    out = {}
    prefix = f"areas[{index}]"
    positions = {}
    counters = {}
    for k, (belongs, _t) in enumerate(flat):
        n = counters.get(belongs, 0)
        positions[(belongs, n)] = k
        counters[belongs] = n + 1
    for p in problems:
        if not (p["field"] == prefix or p["field"].startswith((prefix + ".", prefix + "["))):
            continue
        rest = p["field"][len(prefix) :]
        key = "area"
        m = re.match(r"^\.goals\[(\d+)\]\.targets\[(\d+)\](?:\.(\w+))?", rest)
        t = re.match(r"^\.targets\[(\d+)\](?:\.(\w+))?", rest)
        g = re.match(r"^\.goals\[(\d+)\](?:\.(\w+))?", rest)
        a = re.match(r"^\.(\w+)", rest)
        if m or t:
            belongs, n, field = (
                (f"goal-{m.group(1)}", int(m.group(2)), m.group(3))
                if m
                else ("area", int(t.group(1)), t.group(2))
            )
            k = positions.get((belongs, n))
            if k is not None:
                key = f"target-{k}-{field}" if field in TargetForm.FIELDS else f"target-{k}"
        elif g:
            field = g.group(2)
            key = f"goal-{g.group(1)}-{field}" if field in GOAL_FIELDS else f"goal-{g.group(1)}"
        elif a and a.group(1) in AREA_FIELDS:
            key = a.group(1)
        out.setdefault(key, []).append(p["message"])
    return out


def _catalogue_hits(kommun, query):
    from lagesbild.reports.lagesbild import group_label  # the report's words for the groups

    if not query.strip():
        return []
    hits = []
    for entry in catalogue.search(catalogue.catalogue_for(kommun), query)[:40]:
        source = entry["source"]
        hits.append(
            {
                "id": entry["id"],
                "title": entry["title"]["sv"],
                "description": entry.get("note") or source.get("description") or "",
                "source": catalogue.describe_source(entry),
                "groups": [group_label(g) for g in entry_groups(entry)],
                "unit": entry["unit"],
            }
        )
    return hits


def _count(request, name, default):
    try:
        return max(0, min(MAX_FORMS, int(request.POST.get(name, default))))
    except ValueError:
        return default


@login_required
def area_edit(request, pk, index):
    draft = _draft(request, pk)
    area_list = draft.data.get("areas") or []
    if not 0 <= index < len(area_list):
        raise Http404
    area = area_list[index]
    goals = area.get("goals") or []
    flat = _flat_targets(area)
    query = request.GET.get("q", "")[:200]
    post = request.POST if request.method == "POST" else None
    goal_count = _count(request, "goal_count", len(goals) + 1) if post else len(goals) + 1
    target_count = _count(request, "target_count", len(flat) + 1) if post else len(flat) + 1
    term = (draft.data.get("area_term") or {}).get("singular") or _("området")
    belongs_choices = [("area", _("Hela %(term)s") % {"term": term})] + [
        (f"goal-{j}", _("Mål %(n)s") % {"n": j + 1}) for j in range(goal_count)
    ]
    area_form = AreaForm(post, area=area, actors=draft.data.get("actors") or [])
    goal_forms = [
        GoalForm(
            post,
            prefix=f"goal-{j}",
            initial=GoalForm.initial_of(goals[j]) if j < len(goals) else None,
        )
        for j in range(goal_count)
    ]
    target_forms = [
        TargetForm(
            post,
            prefix=f"target-{k}",
            belongs_choices=belongs_choices,
            initial=TargetForm.initial_of(flat[k][1], flat[k][0])
            if k < len(flat)
            else {"belongs": "area"},
        )
        for k in range(target_count)
    ]
    known = catalogue.catalogue_for(draft.municipality)
    pick_error = ""
    if post is not None:
        picked = request.POST.getlist("pick")
        unknown = [p for p in picked if p not in known]
        if unknown:
            pick_error = _("Okänd indikator: %(ids)s") % {"ids": ", ".join(unknown)}
        forms_ok = all(
            [
                area_form.is_valid(),
                *(f.is_valid() for f in goal_forms),
                *(f.is_valid() for f in target_forms),
            ]
        )
        if forms_ok and not pick_error:
            new_area = _build_area(area, goals, flat, area_form, goal_forms, target_forms, picked)
            if new_area is not None:
                data = copy.deepcopy(draft.data)
                data["areas"][index] = new_area
                _save(draft, data, request.user)
                messages.success(request, _("Sparat i utkastet."))
                url = reverse("policy:area_edit", args=[draft.pk, index])
                return redirect(url + (f"?{urlencode({'q': query})}" if query else ""))
    problems = _problems(draft)
    return render(
        request,
        "policy/edit/area.html",
        _context(
            draft,
            index=index,
            area=area,
            area_form=area_form,
            goal_forms=goal_forms,
            target_forms=target_forms,
            goal_count=goal_count,
            target_count=target_count,
            query=query,
            hits=_catalogue_hits(draft.municipality, query),
            pick_error=pick_error,
            problems=[p for p in problems if p["field"].startswith(f"areas[{index}]")],
            all_problems=len(problems),
            field_problems=_area_problems(problems, index, flat),
            term=term,
        ),
    )


def _put_list(target, key, items, old):
    if items:
        target[key] = items
    elif old == []:
        target[key] = []
    else:
        target.pop(key, None)


def _build_area(area, goals, flat, area_form, goal_forms, target_forms, picked):
    """The area the forms describe, or None after adding errors to the forms."""
    new_area = copy.deepcopy(area)
    area_form.apply(new_area, picked)
    new_goals, where = [], {}
    for j, form in enumerate(goal_forms):
        if form.cleaned_data["delete"] or form.is_blank():
            continue
        old = goals[j] if j < len(goals) else {}
        goal = form.to_goal(old)
        goal.pop("targets", None)
        where[j] = len(new_goals)
        new_goals.append((goal, old.get("targets")))
    area_targets, goal_targets = [], {}
    ok = True
    for k, form in enumerate(target_forms):
        if form.cleaned_data["delete"] or form.is_blank():
            continue
        old = flat[k][1] if k < len(flat) else {}
        target = form.to_target(old)
        belongs = form.cleaned_data["belongs"] or "area"
        if belongs == "area":
            area_targets.append(target)
            continue
        j = int(belongs.split("-")[1])
        if j not in where:
            form.add_error(
                "belongs", _("Målet som målvärdet hör till tas bort eller är tomt; välj ett annat.")
            )
            ok = False
            continue
        goal_targets.setdefault(where[j], []).append(target)
    if not ok:
        return None
    goals_out = []
    for i, (goal, old_targets) in enumerate(new_goals):
        _put_list(goal, "targets", goal_targets.get(i, []), old_targets)
        goals_out.append(goal)
    _put_list(new_area, "goals", goals_out, area.get("goals"))
    _put_list(new_area, "targets", area_targets, area.get("targets"))
    return new_area


# Adopting ----------------------------------------------------------------------------------


def _extra_problems(draft, data):
    """What load_policy cannot know: a revision keeps its policy's id, a new policy's id is
    not taken, and the municipality is the draft's."""
    found = []
    if draft.policy_id and data.get("id") != draft.policy.slug:
        found.append(
            Problem(
                ADOPTED_NAME,
                None,
                "id",
                _("id ska vara %(slug)s, policyns id") % {"slug": draft.policy.slug},
            )
        )
    if not draft.policy_id and Policy.objects.filter(slug=data.get("id")).exists():
        found.append(
            Problem(
                ADOPTED_NAME,
                None,
                "id",
                _(
                    "det finns redan en policy med id %(id)r; välj ett annat id eller redigera den policyn"
                )
                % {"id": data.get("id")},
            )
        )
    return found


def _decision_initial(decision):
    return {k: decision.get(k, "") for k in ("body", "date", "reference", "diarienummer")}


@login_required
def adopt(request, pk):
    """Adopt the draft with its decision: the draft becomes the policy's new current version."""
    draft = _draft(request, pk)
    form = DecisionForm(
        request.POST or None, initial=_decision_initial(draft.data.get("decision") or {})
    )
    failed = None
    if request.method == "POST" and form.is_valid():
        data = copy.deepcopy(draft.data)
        data["format"] = FORMAT
        data["decision"] = form.decision()
        data.setdefault("municipality", {})["code"] = draft.municipality
        data["municipality"].setdefault("name", editing.municipality_name(draft.municipality))
        extra = _extra_problems(draft, data)
        try:
            if extra:
                raise PolicyError(extra)
            with transaction.atomic():
                result = load_policy(dump_policy(data), ADOPTED_NAME, request.user)
                draft.delete()
        except PolicyError as e:
            failed = [
                {"field": p.field, "message": p.message, "url": _url_of(p.field, draft)}
                for p in e.problems
            ]
            for p in e.problems:
                name = p.field.removeprefix("decision.")
                if p.field.startswith("decision.") and name in form.fields:
                    form.add_error(name, p.message)
        else:
            version = result.version
            if result.created:
                messages.success(
                    request, _("Version %(n)s är antagen och gäller nu.") % {"n": version.number}
                )
            else:
                messages.info(
                    request,
                    _("Ingen ändring: utkastet är likadant som den gällande versionen %(n)s.")
                    % {"n": version.number},
                )
            return redirect(version.policy.get_absolute_url())
    problems = (
        failed
        if failed is not None
        else [p for p in _problems(draft) if not p["field"].startswith("decision")]
    )
    return render(
        request,
        "policy/edit/adopt.html",
        _context(draft, form=form, problems=problems, failed=failed is not None),
    )


# Import and export ---------------------------------------------------------------------------


@login_required
def import_yaml(request, pk):
    """A policy file uploaded into the draft (replacing its content), after the file's checks."""
    draft = _draft(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = request.FILES["file"]
        data, found = check_policy(form.cleaned_data["file"], upload.name)
        problems = [str(p) for p in found]
        if data is not None:
            if data["municipality"]["code"] != draft.municipality:
                problems.append(
                    _(
                        "%(file)s: municipality.code: filen gäller kommun %(got)s, utkastet kommun %(want)s"
                    )
                    % {
                        "file": upload.name,
                        "got": data["municipality"]["code"],
                        "want": draft.municipality,
                    }
                )
            problems += [
                f"{upload.name}: {p.field}: {p.message}" for p in _extra_problems(draft, data)
            ]
        if not problems:
            _save(draft, data, request.user)
            messages.success(
                request,
                _("Filen är inläst i utkastet. Anta utkastet för att göra den till en ny version."),
            )
            return redirect("policy:adopt", draft.pk)
        form.add_error(
            "file",
            _("Filen kan inte läsas in (%(n)s fel); utkastet är oförändrat.")
            % {"n": len(problems)},
        )
    return render(
        request, "policy/edit/import.html", _context(draft, form=form, file_problems=problems)
    )


def export(request, slug, number):
    """A version as a policy file (public, like the version's page)."""
    version = get_object_or_404(PolicyVersion, policy__slug=slug, number=number)
    response = HttpResponse(
        dump_policy(version.data).encode("utf-8"), content_type="text/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-version-{number}.yaml"'
    return response


# Comparing -----------------------------------------------------------------------------------


class CompareForm(django_forms.Form):
    fran = django_forms.TypedChoiceField(label=_("Från version"), coerce=int)
    till = django_forms.TypedChoiceField(label=_("Till version"), coerce=int)


def compare(request, slug):
    """Two versions side by side: what changed (public, like the versions)."""
    policy = get_object_or_404(Policy, slug=slug)
    versions = list(policy.versions.order_by("number"))
    if not versions:
        raise Http404
    numbers = [(v.number, str(v.number)) for v in versions]
    last = versions[-1].number
    default = {"fran": versions[-2].number if len(versions) > 1 else last, "till": last}
    form = CompareForm(request.GET or None, initial=default)
    form.fields["fran"].choices = form.fields["till"].choices = numbers
    form.fields["fran"].label, form.fields["till"].label = _("Från version"), _("Till version")
    chosen = (
        form.cleaned_data
        if request.GET and form.is_valid()
        else default
        if not request.GET
        else None
    )
    changes, old, new = [], None, None
    if chosen:
        by_number = {v.number: v for v in versions}
        old, new = by_number[chosen["fran"]], by_number[chosen["till"]]
        changes = compare_data(old.data, new.data)
    return render(
        request,
        "policy/compare.html",
        {
            "policy": policy,
            "form": form,
            "changes": changes,
            "old": old,
            "new": new,
            "may_edit": may_edit(request.user, policy),
        },
    )
