"""Policy pages: adopted policies are public documents, so reading needs no login."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import agenda2030
from .editor import may_edit
from .models import Agenda2030Tag, Policy, PolicyVersion, agenda2030_parts


def policy_list(request):
    from .editor import _start_choices
    from .models import PolicyDraft

    drafts = [d for d in PolicyDraft.objects.select_related("policy") if may_edit(request.user, d)]
    return render(
        request,
        "policy/list.html",
        {
            "policies": Policy.objects.all(),
            "may_start": request.user.is_authenticated and bool(_start_choices(request.user)),
            "drafts": drafts,
        },
    )


def policy_detail(request, slug, number=None):
    policy = get_object_or_404(Policy, slug=slug)
    versions = policy.versions.all()
    if number is None:
        version = get_object_or_404(PolicyVersion, policy=policy, is_current=True)
    else:
        version = get_object_or_404(PolicyVersion, policy=policy, number=number)
    data = version.data
    actors = {a["id"]: a for a in data.get("actors", [])}
    areas = [
        {**area, "responsible_actors": [actors[r] for r in area.get("responsible", [])]}
        for area in data["areas"]
    ]
    parts = agenda2030_parts(policy, data)
    return render(
        request,
        "policy/detail.html",
        {
            "policy": policy,
            "version": version,
            "versions": versions,
            "data": data,
            "areas": areas,
            "actors": data.get("actors", []),
            "may_edit": may_edit(request.user, policy),
            "draft": policy.drafts.first() if may_edit(request.user, policy) else None,
            "agenda2030": [
                {**p, "labels": [agenda2030.label(c, get_language()) for c in p["codes"]]}
                for p in parts
            ],
            "agenda2030_goals": [
                agenda2030.label(g, get_language())
                for g in agenda2030.goals_of([c for p in parts for c in p["codes"]])
            ],
        },
    )


class Agenda2030Form(forms.Form):
    """One text field per area and per goal of the current version: the codes it serves."""

    def __init__(self, *args, data_of=None, tags=None, **kwargs):
        super().__init__(*args, **kwargs)
        term = data_of["area_term"]["singular"]
        goal_word = (data_of.get("terms") or {}).get("goal", "Mål")
        self.keys = {}
        for area in data_of["areas"]:
            rows = [(0, f"{capfirst(term)}: {area['title']}")]
            rows += [
                (i, f"{area['title']} – {goal_word.lower()} {i}: {g['text']}")
                for i, g in enumerate(area.get("goals", []), 1)
            ]
            for goal, label in rows:
                name = f"{area['id']}-{goal}"
                self.keys[name] = (area["id"], goal)
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=300,
                    initial=", ".join(tags.get((area["id"], goal), [])),
                    help_text=_("Mål och delmål, t.ex. 10, 10.2, 8.5"),
                )

    def clean(self):
        cleaned = super().clean()
        for name in self.keys:
            try:
                cleaned[name] = agenda2030.parse(cleaned.get(name) or "")
            except ValueError as e:
                self.add_error(name, str(e))
        return cleaned


@login_required
def agenda2030_edit(request, slug):
    """Tag the current version's areas and goals with Agenda 2030 goals and targets."""
    policy = get_object_or_404(Policy, slug=slug)
    if not may_edit(request.user, policy):
        raise PermissionDenied
    version = get_object_or_404(PolicyVersion, policy=policy, is_current=True)
    tags = {(t.area_key, t.goal): t.codes for t in policy.agenda2030_tags.all()}
    form = Agenda2030Form(
        request.POST if request.method == "POST" else None, data_of=version.data, tags=tags
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for name, (area_key, goal) in form.keys.items():
                codes = form.cleaned_data[name]
                if codes == tags.get((area_key, goal), []):
                    continue  # unchanged: no history row
                if codes:
                    Agenda2030Tag.objects.update_or_create(
                        policy=policy,
                        area_key=area_key,
                        goal=goal,
                        defaults={"codes": codes, "is_example": False, "updated_by": request.user},
                    )
                else:
                    for tag in Agenda2030Tag.objects.filter(
                        policy=policy, area_key=area_key, goal=goal
                    ):
                        tag.delete()  # one by one, so the history keeps each deletion
        messages.success(request, _("Kopplingen till Agenda 2030 är sparad."))
        return redirect(reverse("policy:detail", args=[policy.slug]) + "#agenda2030")
    return render(
        request,
        "policy/agenda2030.html",
        {
            "policy": policy,
            "data": version.data,
            "form": form,
            "goals": [
                (number, name, agenda2030.targets(number, get_language()))
                for number, name in agenda2030.goals(get_language())
            ],
            "goals_lang": agenda2030.page_language(get_language()),
            "source": agenda2030.source_text(get_language()),
        },
    )
