"""Retention and personal data: offers are deleted in time, exported and erased."""

import datetime
import io
import json

from django.core.management import call_command
from django.utils import timezone

from lagesbild.offers.models import Offer, OfferReply
from lagesbild.offers.retention import purge_offers


def age(offer, days):
    Offer.objects.filter(pk=offer.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_purge_deletes_only_offers_past_their_own_retention_time(make_offer):
    old = make_offer(retention_days=30)
    answered = make_offer(retention_days=30, status=Offer.Status.ACCEPTED)
    young = make_offer(retention_days=30)
    long_kept = make_offer(retention_days=365)
    OfferReply.objects.create(offer=old, text="Hej", sent_to=old.email)
    for offer in (old, answered, long_kept):
        age(offer, 31)
    age(young, 29)
    assert purge_offers() == 2
    assert set(Offer.objects.values_list("pk", flat=True)) == {young.pk, long_kept.pk}
    assert not OfferReply.objects.exists()


def test_purge_senders_command_deletes_old_offers(make_offer):
    old = make_offer(retention_days=10)
    age(old, 11)
    kept = make_offer(retention_days=10)
    out = io.StringIO()
    call_command("personal-data", "purge-senders", stdout=out)
    assert "Erbjudanden: 1 raderade." in out.getvalue()
    assert list(Offer.objects.values_list("pk", flat=True)) == [kept.pk]


def test_inventory_lists_the_contact_fields():
    out = io.StringIO()
    call_command("personal-data", "list", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("offers.offer:"))
    for name in ("contact_name", "email", "phone", "description"):
        assert name in line


def test_export_and_erase_end_to_end(make_offer):
    offer = make_offer(email="Kim@Example.invalid")
    other = make_offer(email="annan@example.invalid", contact_name="Annan Person")
    OfferReply.objects.create(offer=offer, text="Hej Kim!", sent_to=offer.email)
    out = io.StringIO()
    call_command("personal-data", "export", "--email", "kim@example.invalid", stdout=out)
    records = {(r["model"], r["pk"]): r for r in json.loads(out.getvalue())["records"]}
    mine = records[("offers.offer", offer.pk)]["fields"]
    assert mine["contact_name"] == "Kim Kontakt" and mine["consent_text"] == "Jag samtycker."
    assert any(model == "offers.offerreply" for model, _pk in records)
    assert ("offers.offer", other.pk) not in records

    call_command(
        "personal-data", "erase", "--email", "kim@example.invalid", "--yes", stdout=io.StringIO()
    )
    offer.refresh_from_db()
    assert (offer.contact_name, offer.email, offer.phone, offer.description) == ("", "", "", "")
    assert OfferReply.objects.get().text == ""
    other.refresh_from_db()
    assert other.email == "annan@example.invalid" and other.contact_name == "Annan Person"
    out = io.StringIO()
    call_command("personal-data", "export", "--email", "kim@example.invalid", stdout=out)
    assert json.loads(out.getvalue())["records"] == []
