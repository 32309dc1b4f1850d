"""Policy pages: adopted policies are public documents, so reading needs no login."""

from django.shortcuts import get_object_or_404, render

from .editor import may_edit
from .models import Policy, PolicyVersion


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
        },
    )
