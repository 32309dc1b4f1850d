"""Demo content: example Agenda 2030 tags on the two shipped policies' areas.

Neither policy names the global goals itself; these tags show what a coordinator's tagging
looks like and are flagged is_example, which every page and report shows as
"(exempelkoppling)". Running it again adds only what is missing and never changes a tag a
demo user edited.
"""

from django.db import transaction

from . import agenda2030
from .models import Agenda2030Tag, Policy

# policy slug -> {area key: codes}
TAGS = {
    "karlshamn-integration": {
        "utbildning": ["4", "4.1", "4.5"],
        "sprak": ["4", "4.6"],
        "arbete": ["8", "8.5", "10.2"],
        "halsa": ["3", "3.8"],
        "demokrati-delaktighet": ["10", "10.2", "16.7"],
    },
    "lidkoping-integration": {
        "boende": ["11", "11.1", "10.2"],
        "utbildning": ["4", "4.5"],
        "arbete": ["8", "8.5"],
        "social-integration": ["10", "10.2", "16.7"],
    },
}


@transaction.atomic
def load_demo(stdout):
    made = 0
    for slug, areas in TAGS.items():
        policy = Policy.objects.filter(slug=slug).first()
        version = policy.current if policy else None
        if version is None:
            continue
        keys = {a["id"] for a in version.data["areas"]}
        for key, codes in areas.items():
            if key not in keys:
                continue
            _, created = Agenda2030Tag.objects.get_or_create(
                policy=policy,
                area_key=key,
                goal=0,
                defaults={"codes": agenda2030.clean(codes), "is_example": True},
            )
            made += created
    if made:
        stdout.write(f"Agenda 2030: {made} exempelkopplingar på policyernas områden")
