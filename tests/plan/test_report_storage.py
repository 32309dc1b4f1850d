"""The follow-up report's files live in the default storage (LAGESBILD_STORAGE_URL), which
several app servers share: a report built or rebuilt through one server is the one every
server serves, never a stale copy in a server's own data folder."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from lagesbild.plan import followup_report
from lagesbild.plan.models import FollowUpRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(plan):
    return FollowUpRound.objects.create(
        plan=plan,
        title="Uppföljning 2027",
        year=2027,
        deadline=datetime.date(2027, 3, 1),
        closed_at=timezone.now(),
    )


def test_the_report_is_served_from_the_shared_storage(closed_round, users, client_for):
    # What another server built after an edit there: this server serves it as it is.
    name = followup_report.report_name(closed_round, "html")
    default_storage.save(name, ContentFile(b"<p>Byggd av den andra servern</p>"))
    coordinator = client_for(users["coordinator"])
    html = coordinator.get(reverse("plan:doc_html", args=[closed_round.pk])).content.decode()
    assert "Byggd av den andra servern" in html


def test_a_report_built_on_request_lands_in_the_shared_storage(
    closed_round, users, client_for, settings
):
    coordinator = client_for(users["coordinator"])
    response = coordinator.get(reverse("plan:doc_docx", args=[closed_round.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'uppfoljning-{closed_round.pk}.docx"')
    stored = settings.MEDIA_ROOT / "plan-reports" / f"uppfoljning-{closed_round.pk}.docx"
    assert b"".join(response.streaming_content) == stored.read_bytes()
