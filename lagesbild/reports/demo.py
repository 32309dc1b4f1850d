"""Demo content: example "beprövad erfarenhet" and analyses for the 2025 Lägesbilder.

Every text starts with "Exempeltext" so nobody takes it for a real department's finding.
Idempotent: a text is created only when the same policy, area, year and department (or, for
analyses, policy, area and year) has none yet; texts people wrote are never touched.
"""

from django.contrib.auth.models import User
from django.db import transaction

from lagesbild.accounts.models import Department
from lagesbild.policy.models import Policy

from .models import AreaAnalysis, Experience

YEAR = 2025
ORIGIN = "demo"
MARK = "Exempeltext – inte en verklig förvaltnings erfarenhet."

# policy slug -> [(area, department, username, text)]
EXPERIENCES = {
    "karlshamn-integration": [
        (
            "utbildning",
            "Utbildningsförvaltningen",
            "forvaltning",
            "Studiehandledning på modersmålet har gett nyanlända elever bättre förutsättningar "
            "att följa undervisningen i ämnen som matematik och NO. Elevhälsan ser att tidig "
            "kartläggning gör att stödet kan sättas in redan första terminen.",
        ),
        (
            "arbete",
            "Socialförvaltningen",
            "socialtjanst",
            "Samarbetet med Arbetsförmedlingen kring praktikplatser har kortat tiden till "
            "första anställning för flera deltagare. Språket är fortfarande det vanligaste "
            "hindret, särskilt i yrken med mycket dokumentation.",
        ),
        (
            "sprak",
            "Utbildningsförvaltningen",
            "forvaltning",
            "Kombinationen av SFI och yrkesutbildning (yrkes-SFI) inom vård och omsorg har gett "
            "färre avhopp än SFI på egen hand.",
        ),
    ],
    "lidkoping-integration": [
        (
            "boende",
            "Sektor samhällsbyggnad",
            "lidkoping",
            "Dialogen med de privata fastighetsägarna har lett till att fler lägenheter "
            "förmedlas via kommunens bostadskö, också till hushåll med kortare tid i Sverige.",
        ),
    ],
}

ANALYSES = {
    "karlshamn-integration": [
        (
            "arbete",
            "samordnare",
            "Skillnaden i sysselsättning mellan utrikes och inrikes födda har minskat, men den är "
            "fortfarande stor. Förvaltningarnas erfarenhet pekar på språket som det vanligaste "
            "hindret; handlingsplanen bör därför koppla praktik och yrkes-SFI tätare.",
        ),
    ],
}


@transaction.atomic
def load_demo(stdout):
    created = 0
    for slug, items in EXPERIENCES.items():
        policy = Policy.objects.filter(slug=slug).first()
        if policy is None:
            continue
        for area, department_name, username, text in items:
            department = Department.objects.filter(
                municipality=policy.municipality, name=department_name
            ).first()
            if department is None:
                continue
            # Several texts may share these fields once people have written their own, so
            # this asks whether any exists (get_or_create would fail on two).
            if Experience.objects.filter(
                policy=policy, area_key=area, year=YEAR, department=department
            ).exists():
                continue
            Experience.objects.create(
                policy=policy,
                area_key=area,
                year=YEAR,
                department=department,
                author=User.objects.filter(username=username).first(),
                text=f"{MARK}\n\n{text}",
                origin=ORIGIN,
            )
            created += 1
    for slug, items in ANALYSES.items():
        policy = Policy.objects.filter(slug=slug).first()
        if policy is None:
            continue
        for area, username, text in items:
            if AreaAnalysis.objects.filter(policy=policy, area_key=area, year=YEAR).exists():
                continue
            AreaAnalysis.objects.create(
                policy=policy,
                area_key=area,
                year=YEAR,
                author=User.objects.filter(username=username).first(),
                text=f"{MARK}\n\n{text}",
            )
            created += 1
    stdout.write(f"Lägesbild {YEAR} (exempeltexter): {created} nya texter")
