"""Loading a checked policy file into the database, all or nothing."""

import hashlib
from dataclasses import dataclass

from django.db import transaction

from .document import PolicyError, load_yaml, parse_policy
from .models import Policy, PolicyArea, PolicyVersion


def known_indicators(kommun=None):
    """{id: entry} a policy may refer to: the indicator catalogue, plus the municipality's
    own local indicators when `kommun` is given (targets are checked against the entries)."""
    from lagesbild.stats.catalogue import catalogue_for, load_catalogue

    return catalogue_for(kommun) if kommun else load_catalogue()


def known_indicator_ids(kommun=None):
    return frozenset(known_indicators(kommun))


def _municipality_code(raw):
    """The file's municipality.code, read leniently; None when the file does not say (the
    full check then reports why)."""
    data = load_yaml(raw)
    municipality = data.get("municipality") if isinstance(data, dict) else None
    code = municipality.get("code") if isinstance(municipality, dict) else None
    return code if isinstance(code, str) else None


def check_policy(raw, filename):
    """Parse and check against the catalogue and the policy's municipality's own local
    indicators; returns (data, problems)."""
    known = known_indicators(_municipality_code(raw))
    return parse_policy(raw, filename, known_indicators=known)


@dataclass
class LoadResult:
    version: PolicyVersion
    created: bool  # False when the same text was already the current version


def load_policy(raw, filename, user=None):
    """Store a policy file as the new current version of its policy.

    Raises PolicyError (and changes nothing) when the file has any problem. Loading the text
    that is already current is a no-op; any other text becomes version n+1 and earlier versions
    stay readable.
    """
    data, problems = check_policy(raw, filename)
    if problems:
        raise PolicyError(problems)
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()

    with transaction.atomic():
        policy, _ = Policy.objects.select_for_update().get_or_create(
            slug=data["id"],
            defaults={
                "municipality": data["municipality"]["code"],
                "municipality_name": data["municipality"]["name"],
                "title": data["title"],
            },
        )
        if policy.municipality != data["municipality"]["code"]:
            raise PolicyError([_other_municipality(filename, policy)])
        current = policy.versions.filter(is_current=True).first()
        if current and current.checksum == checksum:
            return LoadResult(current, created=False)

        last = policy.versions.order_by("-number").first()
        policy.versions.filter(is_current=True).update(is_current=False)
        policy.municipality_name = data["municipality"]["name"]
        policy.title = data["title"]
        policy.save()
        version = PolicyVersion.objects.create(
            policy=policy,
            number=(last.number + 1) if last else 1,
            is_current=True,
            data=data,
            source_name=filename,
            source_text=text,
            checksum=checksum,
            decision_date=data["decision"]["date"],
            decision_reference=data["decision"].get("reference", ""),
            revise_by=data.get("revise_by"),
            loaded_by=user,
        )
        PolicyArea.objects.bulk_create(
            PolicyArea(
                version=version,
                key=area["id"],
                position=i,
                title=area["title"],
                term=data["area_term"]["singular"],
            )
            for i, area in enumerate(data["areas"])
        )
    return LoadResult(version, created=True)


def _other_municipality(filename, policy):
    from .document import Problem

    return Problem(
        filename,
        None,
        "id",
        f"id {policy.slug!r} tillhör redan en policy för kommun {policy.municipality}; välj ett annat id",
    )
