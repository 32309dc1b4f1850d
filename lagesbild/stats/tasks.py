"""Background refresh: one FetchRun, its progress and its summary, for the web page.

The job runs in a thread of the web process, so the demo needs no extra server, or with
LAGESBILD_JOBS=queue in django-q2's database queue, run by the worker (`lagesbild qcluster`).
Progress and outcome live in the FetchRun row, which the page polls. With Q_CLUSTER["sync"]
set (tests), it runs at once in the request instead.
"""

import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from .fetch import FetchError, default_years, fetch
from .models import FetchRun


def run_fetch(run_id, years=None, on_progress=None, **clients):
    """Run the fetch recorded by FetchRun `run_id`; never raises (the row says what happened)."""
    run = FetchRun.objects.get(pk=run_id)
    run.status = FetchRun.Status.RUNNING
    run.save(update_fields=["status"])

    def progress(done, total, label):
        FetchRun.objects.filter(pk=run_id).update(done=done, total=total, message=label)
        if on_progress:
            on_progress(done, total, label)

    try:
        summary = fetch(run.kommun, years or default_years(), run=run, progress=progress, **clients)
    except FetchError as e:
        summary, error = None, str(e)
    except Exception as e:  # the page must say it failed, whatever the reason
        summary, error = None, f"oväntat fel: {type(e).__name__}: {e}"
    run.refresh_from_db()
    if summary is None:
        run.status, run.message = FetchRun.Status.FAILED, error
    else:
        run.requests = summary.requests
        run.new, run.changed = summary.counts.new, summary.counts.changed
        run.unchanged, run.failures = summary.counts.unchanged, len(summary.failures)
        if not summary.failures:
            run.status = FetchRun.Status.OK
        elif summary.refreshed:
            run.status = FetchRun.Status.PARTIAL
        else:
            run.status = FetchRun.Status.FAILED
        # The summary line, then one line per indicator that was not refreshed.
        run.message = "\n".join(
            [summary.line()] + [f"inte uppdaterad – {f}" for f in summary.failures]
        )
    run.finished_at = timezone.now()
    run.save()
    return run


def active_run(kommun):
    """The municipality's unfinished run, if any. A run older than the job timeout was cut off
    (e.g. the server restarted) and is marked failed, so it cannot block new refreshes."""
    unfinished = FetchRun.objects.filter(
        kommun=kommun, status__in=[FetchRun.Status.QUEUED, FetchRun.Status.RUNNING]
    )
    cutoff = timezone.now() - timedelta(seconds=settings.Q_CLUSTER.get("timeout", 1800))
    unfinished.filter(started_at__lt=cutoff).update(
        status=FetchRun.Status.FAILED,
        finished_at=timezone.now(),
        message="avbruten: hämtningen blev inte klar (servern startades om?); starta en ny",
    )
    return unfinished.filter(started_at__gte=cutoff).first()


def _in_thread(run_id):
    close_old_connections()
    try:
        run_fetch(run_id)
    finally:
        connection.close()


def start_refresh(kommun, user=None):
    """Create a FetchRun and start it in the background; returns the run."""
    run = FetchRun.objects.create(kind="fetch", kommun=kommun, started_by=user)
    if settings.Q_CLUSTER.get("sync"):
        return run_fetch(run.id)
    if settings.LAGESBILD_JOBS == "queue":
        from django_q.tasks import async_task

        def start():
            async_task("lagesbild.stats.tasks.run_fetch", run.id, task_name=f"fetch-{run.id}")
    else:
        start = threading.Thread(
            target=_in_thread, args=(run.id,), daemon=True, name=f"fetch-{run.id}"
        ).start
    # Start only once the run row is committed, so the job can read it (and never for a
    # request whose transaction is rolled back).
    transaction.on_commit(start)
    return run
