"""The statistics page: who sees it, who may refresh, and the background job's progress."""

import pytest
from django.urls import reverse

from lagesbild.accounts.models import Role
from lagesbild.stats.models import FetchRun
from tests.stats.conftest import load_policies
from tests.stats.fakeserver import reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def policies(db):
    load_policies()


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("stats:index"))
    assert response.status_code == 302
    assert "konto" in response["Location"]


def test_reader_sees_indicators_with_example_label_but_no_refresh_button(
    client, make_user, policies, demo_data
):
    response = login(client, make_user(Role.READER)).get(reverse("stats:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sysselsättningsgrad 20–64 år" in html
    assert "Exempeldata – inte officiell statistik" in html
    assert "Uppdatera statistiken" not in html


def test_reader_may_not_start_a_refresh(client, make_user, policies):
    response = login(client, make_user(Role.READER)).post(reverse("stats:refresh"))
    assert response.status_code == 403
    assert FetchRun.objects.count() == 0


def test_coordinator_of_another_municipality_may_not_refresh_ours(client, make_user, policies):
    user = make_user(Role.COORDINATOR, municipality="1494")
    response = login(client, user).post(reverse("stats:refresh"), {"kommun": "1082"})
    assert response.status_code == 403
    assert FetchRun.objects.count() == 0


def test_refresh_needs_csrf(make_user, policies):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.COORDINATOR))
    assert client.post(reverse("stats:refresh")).status_code == 403


def test_coordinator_refresh_runs_the_fetch_and_reports_progress(
    client, make_user, policies, fake_sources, sync_jobs
):
    user = make_user(Role.COORDINATOR)
    response = login(client, user).post(reverse("stats:refresh"))
    run = FetchRun.objects.get()
    assert response["Location"] == reverse("stats:run", args=[run.pk])
    assert run.status == FetchRun.Status.OK, run.message
    assert run.done == run.total > 1
    status = client.get(reverse("stats:run_status", args=[run.pk])).json()
    assert status["finished"] is True and status["percent"] == 100
    page = client.get(reverse("stats:index")).content.decode()
    assert "Hämtad från Kolada" in page


def test_a_failed_refresh_is_shown_with_the_indicator_and_source(
    client, make_user, policies, fake_sources, sync_jobs
):
    fake_sources.fault(r"/kolada/data/kpi/N02268", *[reply(500, {"e": 1})] * 5)
    login(client, make_user(Role.COORDINATOR)).post(reverse("stats:refresh"))
    run = FetchRun.objects.get()
    assert run.status == FetchRun.Status.PARTIAL
    html = client.get(reverse("stats:run", args=[run.pk])).content.decode()
    assert "inte uppdaterad – sysselsattning-20-64 (Kolada N02268,N02269)" in html
    assert "16 av 17 indikatorer uppdaterade" in html  # 14 in the policy, 3 maps
    # The statistics page marks exactly that indicator as stale, with the reason.
    page = client.get(reverse("stats:index")).content.decode()
    assert page.count("inte uppdaterad</strong>") == 1
    row = page[page.index("Sysselsättningsgrad 20–64 år") :]
    row = row[: row.index("</tr>")]
    assert "inte uppdaterad</strong> – Kolada N02268,N02269: Kolada: inget användbart svar" in row
    assert "aldrig hämtad" in row


def test_runs_of_another_municipality_are_hidden(client, make_user, policies):
    run = FetchRun.objects.create(kommun="1494", message="Kolada: inget svar för Lidköping")
    reader = login(client, make_user(Role.READER))  # of Karlshamn, 1082
    assert reader.get(reverse("stats:run", args=[run.pk])).status_code == 403
    # nor in the list of recent runs on the other municipality's statistics page
    page = reader.get(reverse("stats:index") + "?kommun=1494").content.decode()
    assert "Lidköping" in page
    assert "Kolada: inget svar för Lidköping" not in page
    own = FetchRun.objects.create(kommun="1082", message="Kolada: inget svar för Karlshamn")
    page = reader.get(reverse("stats:index")).content.decode()
    assert own.message in page


def test_a_running_refresh_is_reused_and_a_stale_one_is_failed(client, make_user, policies):
    from datetime import timedelta

    from django.utils import timezone

    running = FetchRun.objects.create(kommun="1082", status=FetchRun.Status.RUNNING)
    login(client, make_user(Role.COORDINATOR))
    response = client.post(reverse("stats:refresh"))
    assert response["Location"] == reverse("stats:run", args=[running.pk])
    assert FetchRun.objects.count() == 1
    FetchRun.objects.filter(pk=running.pk).update(started_at=timezone.now() - timedelta(hours=2))
    from lagesbild.stats.tasks import active_run

    assert active_run("1082") is None
    running.refresh_from_db()
    assert running.status == FetchRun.Status.FAILED and "avbruten" in running.message


def test_with_the_queue_a_refresh_is_left_to_the_worker_after_commit(
    client, make_user, policies, fake_sources, settings, django_capture_on_commit_callbacks
):
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ

    settings.LAGESBILD_JOBS = "queue"
    user = make_user(Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(client, user).post(reverse("stats:refresh"))
    run = FetchRun.objects.get()
    assert OrmQ.objects.count() == 0  # nothing queued before the run row is committed
    for callback in callbacks:
        callback()
    queued = OrmQ.objects.get().task
    assert (queued["func"], queued["args"]) == ("lagesbild.stats.tasks.run_fetch", (run.id,))
    assert FetchRun.objects.get().status == FetchRun.Status.QUEUED
    # What the worker does with it:
    import_string(queued["func"])(*queued["args"])
    run.refresh_from_db()
    assert run.status == FetchRun.Status.OK, run.message
