"""`lagesbild remind`: a reminder before the deadline, then weekly while overdue, never twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from lagesbild.plan.rounds import close_round, open_round, save_report

DEADLINE = datetime.date(2026, 11, 30)
SITE = "https://lagesbild.kommun.example"


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.BASE_URL = SITE


@pytest.fixture
def rnd(plan, users):
    return open_round(plan, "Höst 2026", 2026, DEADLINE, users["coordinator"])


def remind(on):
    mail.outbox.clear()
    call_command("remind", date=on.isoformat(), stdout=io.StringIO())
    return sorted((m.to[0], "Försenad" in m.subject) for m in mail.outbox)


def test_no_reminder_long_before_the_deadline(rnd):
    assert remind(DEADLINE - datetime.timedelta(days=8)) == []


def test_one_reminder_a_week_before_and_not_again_the_next_day(rnd, users):
    week_before = DEADLINE - datetime.timedelta(days=7)
    assert remind(week_before) == [
        ("rep-other@example.invalid", False),
        ("rep-own@example.invalid", False),
    ]
    assert remind(week_before + datetime.timedelta(days=1)) == []


def test_overdue_reminder_weekly_and_only_to_those_who_have_not_submitted(rnd, users):
    own = rnd.reports.get(department__name="Utbildningsförvaltningen")
    save_report(own, {}, {}, users["rep_own"], submit=True)
    day_after = DEADLINE + datetime.timedelta(days=1)
    assert remind(day_after) == [("rep-other@example.invalid", True)]
    assert remind(day_after + datetime.timedelta(days=6)) == []
    assert remind(day_after + datetime.timedelta(days=7)) == [("rep-other@example.invalid", True)]


def test_reminder_names_the_round_the_deadline_and_the_link(rnd):
    remind(DEADLINE - datetime.timedelta(days=3))
    message = next(m for m in mail.outbox if m.to == ["rep-own@example.invalid"])
    assert "Höst 2026" in message.subject and "2026-11-30" in message.subject
    report = rnd.reports.get(department__name="Utbildningsförvaltningen")
    assert f"\n{SITE}/handlingsplan/rapport/{report.pk}/\n" in message.body


def test_the_link_is_absolute_with_the_sites_address(rnd, settings):
    settings.BASE_URL = "https://lagesbild.vaxjo.example"
    remind(DEADLINE - datetime.timedelta(days=3))
    message = next(m for m in mail.outbox if m.to == ["rep-own@example.invalid"])
    report = rnd.reports.get(department__name="Utbildningsförvaltningen")
    assert f"https://lagesbild.vaxjo.example/handlingsplan/rapport/{report.pk}/" in message.body


def test_closed_round_sends_nothing(rnd, users):
    close_round(rnd, users["coordinator"])
    assert remind(DEADLINE + datetime.timedelta(days=1)) == []


def test_bad_date_is_a_clear_error(rnd):
    with pytest.raises(CommandError, match="ogiltigt datum"):
        call_command("remind", date="30/11")


def test_schedule_registers_one_daily_django_q_job(db):
    from django_q.models import Schedule

    call_command(
        "remind", schedule=True, base_url="https://x.example", stdout=open("/dev/null", "w")
    )
    call_command(
        "remind", schedule=True, base_url="https://x.example", stdout=open("/dev/null", "w")
    )
    job = Schedule.objects.get(name="lagesbild remind")
    assert (job.func, job.args, job.schedule_type) == (
        "django.core.management.call_command",
        "'remind'",
        Schedule.DAILY,
    )
    assert "https://x.example" in job.kwargs


@pytest.mark.parametrize("address", ["", "/", "lagesbild.kommun.example", "https://"])
def test_without_an_absolute_site_address_nothing_is_sent(rnd, settings, address):
    # Before, the reminder said "Rapportera … här: /handlingsplan/rapport/4/": a link that
    # opens nothing from a mail program.
    settings.BASE_URL = address
    mail.outbox.clear()
    with pytest.raises(CommandError, match="LAGESBILD_BASE_URL: .*https://"):
        call_command("remind", date=(DEADLINE - datetime.timedelta(days=3)).isoformat())
    assert mail.outbox == []
    assert not rnd.reports.filter(reminders__isnull=False).exists()


def test_the_base_url_option_gives_the_address(rnd, settings):
    settings.BASE_URL = ""
    mail.outbox.clear()
    on = (DEADLINE - datetime.timedelta(days=3)).isoformat()
    call_command("remind", date=on, base_url="https://x.example/", stdout=io.StringIO())
    report = rnd.reports.get(department__name="Utbildningsförvaltningen")
    message = next(m for m in mail.outbox if m.to == ["rep-own@example.invalid"])
    assert f"\nhttps://x.example/handlingsplan/rapport/{report.pk}/\n" in message.body


def test_a_department_nobody_can_be_reminded_in_is_reported_to_the_coordinator(rnd, users):
    users["rep_other"].email = ""
    users["rep_other"].save()
    out = io.StringIO()
    mail.outbox.clear()
    call_command("remind", date=(DEADLINE - datetime.timedelta(days=3)).isoformat(), stdout=out)
    output = out.getvalue()
    # Before: "Socialförvaltningen: påminnelse till 0 mottagare", and nobody was told.
    assert "0 mottagare" not in output
    assert (
        "Socialförvaltningen: Påminnelse före sista dag kunde inte skickas: förvaltningen har "
        "ingen representant med e-post" in output
    )
    assert "samordnaren (coordinator@example.invalid) meddelad om: Socialförvaltningen" in output
    assert "1 påminnelser skickade." in output
    notice = next(m for m in mail.outbox if m.to == ["coordinator@example.invalid"])
    assert "Höst 2026" in notice.subject
    assert "- Socialförvaltningen\n" in notice.body
    assert "Utbildningsförvaltningen" not in notice.body
    assert f"\n{SITE}/konto/forvaltningar/\n" in notice.body
    # Not again the next day: the notice keeps the reminder's rhythm.
    assert remind(DEADLINE - datetime.timedelta(days=2)) == []


def test_with_no_coordinator_to_tell_the_command_says_so(rnd, users):
    for name in ("rep_own", "rep_other", "coordinator"):
        users[name].email = ""
        users[name].save()
    out, err = io.StringIO(), io.StringIO()
    mail.outbox.clear()
    on = (DEADLINE - datetime.timedelta(days=3)).isoformat()
    call_command("remind", date=on, stdout=out, stderr=err)
    assert mail.outbox == []
    assert "ingen samordnare med e-post att meddela om" in err.getvalue()
    assert "0 påminnelser skickade." in out.getvalue()
