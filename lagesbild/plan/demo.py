"""Demo content: an example Handlingsplan for Karlshamn and an open follow-up round.

Everything here is demo content, not decisions of Karlshamns kommun: the plan is flagged
`is_example` and every page and report built from it says so. Running it again creates only
what is missing and never overwrites what a demo user changed.
"""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from lagesbild.accounts.models import Department, Role
from lagesbild.policy import agenda2030
from lagesbild.policy.models import Policy
from lagesbild.stats.catalogue import indicator_ids

from .models import Activity, PartnerContribution, Plan
from .rounds import open_round

PLAN_TITLE = "Handlingsplan för integration (exempel)"

# ref, parent ref, title, department, areas, indicators, status, progress, weight, partners
ACTIVITIES = [
    ("U1", "", "Studiehandledning på modersmål i grundskolan", "Barn- och ungdomsförvaltningen",
     ["utbildning"], ["behorighet-yrkesprogram-ak9", "nyinvandrade-elever-grundskola"],
     "pågår", 40, 2, ""),
    ("U1.1", "U1", "Kartlägga behovet av studiehandledning per skola", "Barn- och ungdomsförvaltningen",
     ["utbildning"], [], "klar", 100, 1, ""),
    ("U1.2", "U1", "Rekrytera studiehandledare i arabiska, dari och tigrinja", "Barn- och ungdomsförvaltningen",
     ["utbildning"], [], "pågår", 30, 2, ""),
    ("S1", "", "SFI kombinerad med yrkesutbildning", "Utbildningsförvaltningen",
     ["sprak", "arbete"], ["sfi-klarat-tva-kurser", "sysselsattning-20-64"], "pågår", 50, 2,
     "Arbetsförmedlingen"),
    ("S2", "", "Språkcaféer på biblioteken", "Kultur- och fritidsförvaltningen",
     ["sprak", "demokrati-delaktighet"], [], "pågår", 60, 1, "Studieförbund i Karlshamn"),
    ("A1", "", "Praktikplatser inom kommunens förvaltningar", "Kommunledningsförvaltningen",
     ["arbete"], ["sysselsattning-20-64", "arbetsloshet-bas-20-64"], "planerad", 0, 2,
     "Lokala företag"),
    ("A2", "", "Validering av utländsk yrkeskompetens", "Utbildningsförvaltningen",
     ["arbete"], ["sysselsattning-20-64"], "pausad", 20, 1, ""),
    ("H1", "", "Hälsokommunikatörer för nyanlända", "Socialförvaltningen",
     ["halsa"], ["ohalsotal"], "pågår", 35, 1, "Region Blekinge"),
    ("D1", "", "Information om kommunvalet på flera språk", "Kommunledningsförvaltningen",
     ["demokrati-delaktighet"], ["valdeltagande-kommunval"], "planerad", 10, 1,
     "Civilsamhällets organisationer"),
    ("D2", "", "Föreningsstöd till mötesplatser", "Kultur- och fritidsförvaltningen",
     ["demokrati-delaktighet"], ["befolkning-deso-bakgrund"], "avbruten", 0, 1, ""),
]  # fmt: skip

# Agenda 2030 goals and targets the activities contribute to (by ref; examples, not decisions).
AGENDA2030 = {
    "U1": ["4", "4.1", "4.5"],
    "U1.1": ["4.5"],
    "U1.2": ["4", "4.c"],
    "S1": ["4", "4.4", "8", "8.5"],
    "S2": ["4.6", "10", "10.2"],
    "A1": ["8", "8.5", "8.6"],
    "A2": ["8", "8.5", "10", "10.7"],
    "H1": ["3", "3.8", "10.2"],
    "D1": ["10.2", "16", "16.7"],
    "D2": ["10.2", "11", "11.7"],
}


@transaction.atomic
def load_demo(stdout):
    policy = Policy.objects.filter(municipality="1082").first()
    if policy is None or policy.current is None:
        stdout.write("Handlingsplan (exempel): ingen policy för Karlshamn inläst, hoppar över.")
        return
    today = timezone.localdate()
    # The first such plan, not get_or_create: people may have made another with the same
    # title since, and the demo must run again whatever was added.
    plan = (
        Plan.objects.filter(policy=policy, title=PLAN_TITLE, is_example=True).order_by("pk").first()
    )
    created = plan is None
    if created:
        plan = Plan.objects.create(
            policy=policy,
            title=PLAN_TITLE,
            is_example=True,
            start_year=2026,
            end_year=2029,
            decision_reference="Exempel – inget verkligt beslut",
            lagesbild_year=2025,
            lagesbild_due=datetime.date(today.year + 1, 3, 31),
            published=True,
        )
    known_areas = {a.key for a in plan.areas()}
    known_indicators = indicator_ids()
    departments = {d.name: d for d in Department.objects.filter(municipality="1082")}
    by_ref = {a.ref: a for a in plan.activities.all()}
    added = 0
    for (
        ref,
        parent,
        title,
        dept,
        areas,
        indicators,
        status,
        progress,
        weight,
        partners,
    ) in ACTIVITIES:
        if ref in by_ref or dept not in departments:
            continue
        by_ref[ref] = Activity.objects.create(
            plan=plan,
            ref=ref,
            parent=by_ref.get(parent),
            title=title,
            description="Exempelinsats för demonstration – inte ett verkligt beslut.",
            area_keys=[a for a in areas if a in known_areas],
            indicators=[i for i in indicators if i in known_indicators],
            agenda2030=[c for c in AGENDA2030.get(ref, []) if agenda2030.exists(c)],
            department=departments[dept],
            partners=partners,
            start=datetime.date(2026, 8, 1),
            end=datetime.date(2027, 12, 31),
            status=status,
            progress=progress,
            weight=weight,
        )
        added += 1
    if not plan.rounds.exists():
        rnd = open_round(
            plan,
            f"Uppföljning {today.year} (exempel)",
            today.year,
            today + datetime.timedelta(days=14),
            None,
        )
        # The demo partner (lagesbild.accounts.demo) is asked for her organisation's part:
        # it waits on her start page.
        partner = User.objects.filter(username="partner", profile__role=Role.PARTNER).first()
        if partner is not None:
            PartnerContribution.objects.create(
                round=rnd, partner=partner, organisation="Föreningen Språkvänner (exempel)"
            )
    state = "skapad" if created else "finns redan"
    stdout.write(f"Handlingsplan (exempel) för Karlshamn: {state}, {added} nya insatser.")
