"""public_agreements(partner) and its snippet: only public, active agreements, and never the
contact person or the money."""

import datetime

import pytest
from django.template.loader import render_to_string

from lagesbild.agreements.models import Agreement
from lagesbild.agreements.public import public_agreements

pytestmark = pytest.mark.django_db


def test_only_public_active_agreements(agreement, partner):
    common = {"municipality": "1082", "kind": "iop", "partner": partner,
              "start_date": datetime.date(2026, 1, 1)}  # fmt: skip
    Agreement.objects.create(title="Utkastet", status="utkast", is_public=True, **common)
    Agreement.objects.create(title="Internt avtal", status="aktiv", is_public=False, **common)
    Agreement.objects.create(title="Gammalt avtal", status="avslutad", is_public=True, **common)
    assert [a.title for a in public_agreements(partner)] == ["IOP om språkcaféer"]


def test_snippet_shows_kind_period_purpose_without_contact_or_money(agreement, partner):
    html = render_to_string(
        "agreements/_public_list.html",
        {"agreements": public_agreements(partner), "partner": partner},
    )
    assert "IOP om språkcaféer" in html
    assert "Idéburet offentligt partnerskap (IOP)" in html
    assert "2026-01-01 – 2027-12-31" in html
    assert "Språkcaféer varje vecka." in html
    for hidden in ("Kim Kontakt", "kim@example.invalid", "120", "per år"):
        assert hidden not in html


def test_template_tag_lists_only_when_there_are_agreements(partner, agreement):
    from django.template import Context, Template

    template = Template("{% load agreements %}[{% partner_agreements partner %}]")
    html = template.render(Context({"partner": partner}))
    assert "Samverkansavtal med kommunen" in html and "IOP om språkcaféer" in html
    agreement.is_public = False
    agreement.save()
    assert template.render(Context({"partner": partner})).replace("\n", "") == "[]"


def test_contact_person_is_in_the_personal_data_export(agreement):
    from lagesbild.ops.personal_data import export

    records = export("kim@example.invalid")["records"]
    assert any(r["model"] == "agreements.agreement" and r["pk"] == agreement.pk for r in records), (
        records
    )
