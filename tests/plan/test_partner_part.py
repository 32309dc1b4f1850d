"""A partner organisation's part of a follow-up round (issue #15): the coordinator asks, the
partner writes and sends it in, the follow-up report quotes it (checked in PDF and Word)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from lagesbild.accounts.models import Role
from lagesbild.plan.models import FollowUpRound, PartnerContribution

from .test_round import docx_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def rnd(plan, users):
    return FollowUpRound.objects.create(
        plan=plan,
        title="Uppföljning 2027",
        year=2027,
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        opened_by=users["coordinator"],
    )


def test_partner_writes_her_part_and_the_report_quotes_it(rnd, users, client_for, tmp_path):
    partner = users["partner"]
    partner.email, partner.first_name = "forening@example.org", "Pia"
    partner.save()
    coordinator = client_for(users["coordinator"])
    page = coordinator.get(reverse("plan:round", args=[rnd.pk])).content.decode()
    assert "Partnernas del" in page and "Pia &lt;forening@example.org&gt;" in page

    response = coordinator.post(reverse("plan:partner_ask", args=[rnd.pk]), {"partner": partner.pk})
    assert response.status_code == 302
    contribution = PartnerContribution.objects.get(round=rnd)
    assert contribution.partner == partner
    assert mail.outbox[0].to == ["forening@example.org"]
    assert f"/handlingsplan/partnerdel/{contribution.pk}/" in mail.outbox[0].body
    # Asked once per round: she is no longer offered.
    page = coordinator.get(reverse("plan:round", args=[rnd.pk])).content.decode()
    assert "forening@example.org&gt;</option>" not in page

    # Her start page leads to it.
    client = client_for(partner)
    home = client.get("/").content.decode()
    assert "Er del av uppföljningen" in home and contribution.get_absolute_url() in home

    url = contribution.get_absolute_url()
    # Sending in without text is refused at the field; a draft may be incomplete.
    response = client.post(url, {"organisation": "Föreningen Språkvän", "submit": "1"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    client.post(url, {"organisation": "Föreningen Språkvän", "text": "", "save": "1"})
    contribution.refresh_from_db()
    assert contribution.organisation == "Föreningen Språkvän" and contribution.submitted_at is None
    text = "Vi höll 40 språkcaféer.\n\nVi föreslår fler på helger."
    client.post(url, {"organisation": "Föreningen Språkvän", "text": text, "submit": "1"})
    contribution.refresh_from_db()
    assert contribution.submitted_at is not None
    assert contribution.history.count() == 3  # asked, draft, sent in

    FollowUpRound.objects.filter(pk=rnd.pk).update(closed_at=timezone.now())
    # After closing she can no longer change it, but reads it.
    assert client.post(url, {"organisation": "X", "text": "Y", "submit": "1"}).status_code == 403
    assert "Vi höll 40 språkcaféer." in client.get(url).content.decode()

    word = coordinator.get(reverse("plan:doc_docx", args=[rnd.pk]))
    doc = docx_text(b"".join(word.streaming_content))
    assert "Partnernas del" in doc
    assert "Föreningen Språkvän, " in doc and "Vi föreslår fler på helger." in doc
    pdf = coordinator.get(reverse("plan:doc_pdf", args=[rnd.pk]))
    flat = " ".join(pdf_text(b"".join(pdf.streaming_content), tmp_path).split())
    assert "Partnernas del" in flat and "Vi höll 40 språkcaféer." in flat


def test_only_the_asked_partner_writes_and_only_the_coordinator_asks(
    rnd, users, client_for, make_user
):
    asked = users["partner"]
    contribution = PartnerContribution.objects.create(round=rnd, partner=asked)
    url = contribution.get_absolute_url()
    other_partner = make_user(Role.PARTNER, username="other-partner")
    data = {"organisation": "Kapad", "text": "Kapad", "submit": "1"}
    for name in ("rep_own", "reader", "other_coordinator"):
        client = client_for(users[name])
        assert client.get(url).status_code == 403, name
        assert client.post(url, data).status_code == 403, name
    client = client_for(other_partner)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert client_for(None).post(url, data).status_code == 302  # to the login page
    contribution.refresh_from_db()
    assert contribution.organisation == "" and contribution.submitted_at is None

    ask = reverse("plan:partner_ask", args=[rnd.pk])
    for name in ("partner", "rep_own", "other_coordinator"):
        assert client_for(users[name]).post(ask, {"partner": other_partner.pk}).status_code == 403
    # A partner of another municipality is not offered and not accepted.
    lidkoping_partner = make_user(Role.PARTNER, "1494", username="lidkoping-partner")
    client_for(users["coordinator"]).post(ask, {"partner": lidkoping_partner.pk})
    assert not PartnerContribution.objects.filter(partner=lidkoping_partner).exists()
    # The coordinator reads the part but does not write it for the partner.
    coordinator = client_for(users["coordinator"])
    assert coordinator.get(url).status_code == 200
    assert coordinator.post(url, data).status_code == 403


def test_report_says_who_was_asked_and_has_not_answered(rnd, users, client_for):
    PartnerContribution.objects.create(
        round=rnd, partner=users["partner"], organisation="IOP-föreningen"
    )
    FollowUpRound.objects.filter(pk=rnd.pk).update(closed_at=timezone.now())
    html = client_for(users["coordinator"]).get(reverse("plan:doc_html", args=[rnd.pk]))
    assert "Tillfrågade som inte har skickat in sin del: IOP-föreningen" in html.content.decode()
