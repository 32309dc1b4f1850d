"""Demo content: two example collaboration agreements for Karlshamn (1082).

An IOP with the demo association "Föreningen Språkvänner (exempel)" (lagesbild.public.demo)
tied to the example plan's language cafés, and a LÖK with Arbetsförmedlingen tied to its SFI and
internship activities (lagesbild.plan.demo). Both are flagged is_example and have "(exempel)"
in their titles; they are not decisions of Karlshamns kommun. Running it again creates only
what is missing (matched on municipality and title) and never changes what a demo user edited.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from lagesbild.plan.models import Activity
from lagesbild.public.models import Partner

from .models import Agreement, Kind, Status, current_areas

KARLSHAMN = "1082"
PLAN_TITLE = "Handlingsplan för integration (exempel)"  # lagesbild.plan.demo

# title, kind, partner slug, other party, purpose, areas, activity refs, amount, note, public
AGREEMENTS = [
    (
        "IOP om språkvänner och språkcaféer (exempel)",
        Kind.IOP,
        "exempel-sprakvanner",
        "",
        "Exempel: föreningen ordnar språkvänner och språkcaféer på biblioteken; kommunen "
        "bidrar med lokaler och samordning.",
        ["sprak", "demokrati-delaktighet"],
        ["S2"],
        Decimal("150000"),
        "per år, exempelbelopp",
        True,
    ),
    (
        "LÖK med Arbetsförmedlingen (exempel)",
        Kind.LOK,
        "",
        "Arbetsförmedlingen",
        "Exempel: lokal överenskommelse om SFI kombinerad med yrkesutbildning och om "
        "praktikplatser i kommunens förvaltningar.",
        ["sprak", "arbete"],
        ["S1", "A1"],
        None,
        "",
        False,
    ),
]


@transaction.atomic
def load_demo(stdout):
    areas = current_areas(KARLSHAMN)
    activities = {
        a.ref: a
        for a in Activity.objects.filter(
            plan__title=PLAN_TITLE, plan__is_example=True, plan__policy__municipality=KARLSHAMN
        )
    }
    created = 0
    for title, kind, slug, other, purpose, keys, refs, amount, note, public in AGREEMENTS:
        if Agreement.objects.filter(municipality=KARLSHAMN, title=title).exists():
            continue
        partner = Partner.objects.filter(municipality=KARLSHAMN, slug=slug).first()
        if slug and partner is None:
            continue  # the public demo did not run: no partner to agree with
        agreement = Agreement(
            municipality=KARLSHAMN,
            kind=kind,
            title=title,
            partner=partner,
            other_party=other,
            purpose=purpose,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
            renewal_date=datetime.date(2027, 9, 30),
            contact_name="Exempelkontakt",
            contact_email="kontakt@example.invalid",
            policy_area_keys=", ".join(k for k in keys if k in areas),
            amount=amount,
            amount_note=note,
            status=Status.ACTIVE,
            is_public=public,
            is_example=True,
        )
        agreement.full_clean()
        agreement.save()
        agreement.activities.set([activities[r] for r in refs if r in activities])
        created += 1
    stdout.write(f"Samverkansavtal (exempel) för Karlshamn: {created} nya.")
