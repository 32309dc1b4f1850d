"""The demo's two example agreements for Karlshamn, labelled and idempotent."""

from io import StringIO

import pytest

from lagesbild.agreements import demo as agreements_demo
from lagesbild.agreements.models import Agreement
from lagesbild.plan import demo as plan_demo
from lagesbild.public import demo as public_demo

pytestmark = pytest.mark.django_db


def test_demo_agreements(activity):
    from lagesbild.accounts.models import Department

    for name in ("Kultur- och fritidsförvaltningen", "Utbildningsförvaltningen",
                 "Kommunledningsförvaltningen"):  # fmt: skip
        Department.objects.get_or_create(municipality="1082", name=name)
    public_demo.load_demo(StringIO())
    plan_demo.load_demo(StringIO())
    out = StringIO()
    agreements_demo.load_demo(out)
    assert "2 nya" in out.getvalue()
    agreements = Agreement.objects.filter(is_example=True, municipality="1082").order_by("title")
    assert [a.title for a in agreements] == [
        "IOP om språkvänner och språkcaféer (exempel)",
        "LÖK med Arbetsförmedlingen (exempel)",
    ]
    iop, lok = agreements
    assert iop.partner.name == "Föreningen Språkvänner (exempel)"
    assert [a.ref for a in iop.activities.all()] == ["S2"]
    assert lok.other_party == "Arbetsförmedlingen"
    assert sorted(a.ref for a in lok.activities.all()) == ["A1", "S1"]
    again = StringIO()
    agreements_demo.load_demo(again)
    assert "0 nya" in again.getvalue()
    assert Agreement.objects.count() == 2


def test_example_is_flagged_on_the_page(users, client_for, activity):
    import datetime

    from django.urls import reverse

    agreement = Agreement.objects.create(
        municipality="1082", kind="lok", title="LÖK (exempel)", other_party="Arbetsförmedlingen",
        start_date=datetime.date(2026, 1, 1), is_example=True,
    )  # fmt: skip
    text = client_for(users["reader"]).get(agreement.get_absolute_url()).content.decode()
    assert "inte ett verkligt avtal" in text
    listing = client_for(users["reader"]).get(reverse("agreements:list")).content.decode()
    assert "Exempelinnehåll" in listing
