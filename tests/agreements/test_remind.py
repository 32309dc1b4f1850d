"""`lagesbild agreements remind`: the coordinator is mailed once per date, with absolute links."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from lagesbild.accounts.models import Role
from lagesbild.agreements.models import Status

pytestmark = pytest.mark.django_db
BASE = "https://lagesbild.example.se"


def _remind(*args):
    out = StringIO()
    call_command("agreements", "remind", "--base-url", BASE, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, username="samordnare")


def test_sends_once_and_names_the_agreement(coordinator, agreement):
    # renewal 2027-09-30 is 29 days after 2027-09-01
    out = _remind("--days", "60", "--date", "2027-09-01")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["samordnare@example.invalid"]
    assert "IOP om språkcaféer" in message.body
    assert "ska omförhandlas senast 2027-09-30 (om 29 dagar)" in message.body
    assert f"{BASE}/samverkan/{agreement.pk}/" in message.body
    assert "IOP om språkcaféer" in out and "samordnare@example.invalid" in out
    assert "1 avtalspåminnelser skickade." in out

    _remind("--days", "60", "--date", "2027-09-02")
    assert len(mail.outbox) == 1  # not twice


def test_a_moved_date_is_reminded_again_and_the_end_date_too(coordinator, agreement):
    _remind("--date", "2027-09-01")
    agreement.refresh_from_db()
    agreement.renewal_date = datetime.date(2027, 10, 15)
    agreement.save()
    out = _remind("--date", "2027-11-01")  # end 2027-12-31 is 60 days away
    assert len(mail.outbox) == 2
    assert "upphör 2027-12-31 (om 60 dagar)" in mail.outbox[1].body
    assert "omförhandlas" not in mail.outbox[1].body  # 2027-10-15 has passed
    assert "1 avtalspåminnelser" in out


def test_nothing_outside_the_window_or_for_drafts(coordinator, agreement):
    assert "0 avtalspåminnelser" in _remind("--days", "10", "--date", "2027-09-01")
    agreement.status = Status.DRAFT
    agreement.save()
    _remind("--date", "2027-09-01")
    assert mail.outbox == []


def test_other_municipalitys_coordinator_is_not_mailed(make_user, agreement):
    make_user(Role.COORDINATOR, "1494", username="lidkoping")
    _remind("--date", "2027-09-01")
    assert mail.outbox == []
    agreement.refresh_from_db()
    assert agreement.renewal_reminded_for is None  # tried again when someone can receive it


@pytest.mark.parametrize("url", ["", "/samverkan", "lagesbild.example.se"])
def test_refuses_relative_base_url(url, settings, agreement):
    settings.BASE_URL = ""
    with pytest.raises(CommandError, match="LAGESBILD_BASE_URL"):
        call_command("agreements", "remind", "--base-url", url, stdout=StringIO())
