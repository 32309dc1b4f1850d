"""Follow-up rounds: opening, a department's report, reminders, closing.

Views and the `lagesbild remind` command call these; each write runs in one transaction.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lagesbild.accounts.models import Role
from lagesbild.reports.models import Experience

from .models import (
    ActivityReport,
    Department,
    DepartmentReport,
    FollowUpRound,
    PartnerContribution,
    Plan,
    Reminder,
)

# Reminders: once this many days before the deadline, and every OVERDUE_EVERY days after it.
REMIND_BEFORE_DAYS = 7
OVERDUE_EVERY_DAYS = 7


class RoundAlreadyOpen(Exception):
    """A plan has at most one open round: close it before opening the next."""

    def __init__(self, rnd):
        super().__init__(f"omgången {rnd.title} är fortfarande öppen")
        self.round = rnd


def open_round_of(plan):
    """The plan's open round, or None."""
    return plan.rounds.filter(closed_at__isnull=True).order_by("-opened_at").first()


@transaction.atomic
def open_round(plan, title, year, deadline, user):
    """A new round with an empty report for every department that carries an activity.

    Raises RoundAlreadyOpen while another round of the plan is open: two open rounds would give
    every department two reports to fill in, both writing the same activities' status.
    """
    Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one opener at a time
    current = open_round_of(plan)
    if current is not None:
        raise RoundAlreadyOpen(current)
    rnd = FollowUpRound.objects.create(
        plan=plan, title=title, year=year, deadline=deadline, opened_by=user
    )
    add_missing_reports(rnd)
    return rnd


def add_missing_reports(rnd):
    """Reports for departments given an activity since the round opened (open rounds only)."""
    if not rnd.is_open:
        return
    department_ids = set(rnd.plan.activities.values_list("department_id", flat=True))
    department_ids -= set(rnd.reports.values_list("department_id", flat=True))
    for department in Department.objects.filter(pk__in=department_ids):
        DepartmentReport.objects.get_or_create(round=rnd, department=department)


def report_activities(report):
    """The activities a department reports on: its own in the round's plan."""
    return report.round.plan.activities.filter(department=report.department).order_by("ref")


def report_areas(report):
    """The policy areas of the department's activities (where it writes its experience)."""
    keys = set()
    for activity in report_activities(report):
        keys.update(activity.area_keys)
    return [a for a in report.round.plan.areas() if a.key in keys]


def experience_texts(report):
    """{area key: text} already written for this report."""
    rnd = report.round
    return dict(
        Experience.objects.filter(
            policy=rnd.plan.policy, year=rnd.year, department=report.department, origin=rnd.origin
        ).values_list("area_key", "text")
    )


@transaction.atomic
def save_report(report, items, experiences, user, submit):
    """Store a department's answers; with submit=True also mark the report as sent in.

    `items` maps activity pk -> {"status", "progress", "text"}; `experiences` maps area key ->
    text. The activities take the reported status and progress, so the plan shows the latest
    follow-up. Experience texts become reports.Experience rows for the round's Lägesbild year.
    """
    rnd = report.round
    if not rnd.is_open:
        raise ValueError("omgången är stängd")
    activities = {a.pk: a for a in report_activities(report)}
    for pk, answer in items.items():
        activity = activities[pk]  # KeyError for another department's activity: a bug upstream
        ActivityReport.objects.update_or_create(
            report=report,
            activity=activity,
            defaults={
                "status": answer["status"],
                "progress": answer["progress"],
                "text": answer.get("text", ""),
            },
        )
        if submit and (activity.status, activity.progress) != (
            answer["status"],
            answer["progress"],
        ):
            activity.status, activity.progress = answer["status"], answer["progress"]
            activity.save(update_fields=["status", "progress"])
    for area_key, text in experiences.items():
        lookup = dict(
            policy=rnd.plan.policy,
            area_key=area_key,
            year=rnd.year,
            department=report.department,
            origin=rnd.origin,
        )
        if text.strip():
            Experience.objects.update_or_create(
                **lookup, defaults={"text": text.strip(), "author": user}
            )
        else:
            Experience.objects.filter(**lookup).delete()
    if submit:
        report.submitted_at = timezone.now()
        report.submitted_by = user
        report.save(update_fields=["submitted_at", "submitted_by"])


def missing_reports(rnd):
    """The round's department reports not sent in, by department name."""
    return list(
        rnd.reports.filter(submitted_at__isnull=True)
        .select_related("department")
        .order_by("department__name")
    )


@transaction.atomic
def close_round(rnd, user):
    rnd.closed_at = timezone.now()
    rnd.closed_by = user
    rnd.save(update_fields=["closed_at", "closed_by"])


@transaction.atomic
def save_assessment(rnd, assessment, proposal, user):
    """The coordinator's overall assessment and proposed decision (kept in the round's history)."""
    rnd.assessment = assessment.strip()
    rnd.proposal = proposal.strip()
    rnd._history_user = user
    rnd.save(update_fields=["assessment", "proposal"])


def representatives(department):
    return User.objects.filter(
        is_active=True, profile__role=Role.DEPARTMENT, profile__department=department
    ).exclude(email="")


def coordinators(municipality):
    """The municipality's active coordinators with an e-mail address."""
    return User.objects.filter(
        is_active=True, profile__role=Role.COORDINATOR, profile__municipality=municipality
    ).exclude(email="")


def due_reminders(today):
    """(report, kind) pairs the reminder command should send today."""
    out = []
    reports = DepartmentReport.objects.filter(
        round__closed_at__isnull=True, submitted_at__isnull=True
    ).select_related("round", "department")
    for report in reports:
        days_left = (report.round.deadline - today).days
        sent = report.reminders
        if 0 <= days_left <= REMIND_BEFORE_DAYS:
            if not sent.filter(kind=Reminder.Kind.BEFORE).exists():
                out.append((report, Reminder.Kind.BEFORE))
        elif days_left < 0:
            recent = today - datetime.timedelta(days=OVERDUE_EVERY_DAYS)
            if not sent.filter(kind=Reminder.Kind.OVERDUE, sent_on__gt=recent).exists():
                out.append((report, Reminder.Kind.OVERDUE))
    return out


def send_reminder(report, kind, today, base_url):
    """E-mail the department's representatives; returns how many received it (0: the department
    has no representative with an e-mail address; see send_unreached_notice).

    base_url is the site's absolute address (the command checks it): the link is opened from a
    mail program, where a relative one leads nowhere.
    """
    recipients = [u.email for u in representatives(report.department)]
    rnd = report.round
    link = base_url.rstrip("/") + reverse("plan:report", args=[report.pk])
    if kind == Reminder.Kind.BEFORE:
        subject = f"Påminnelse: uppföljningen {rnd.title} ska rapporteras senast {rnd.deadline}"
        first = f"Sista dag att rapportera uppföljningen {rnd.title} är {rnd.deadline}."
    else:
        subject = f"Försenad: uppföljningen {rnd.title} skulle ha rapporterats {rnd.deadline}"
        first = (
            f"Sista dag att rapportera uppföljningen {rnd.title} var {rnd.deadline}, "
            f"och {report.department} har inte skickat in sin rapport."
        )
    body = (
        f"Hej!\n\n{first}\n\nRapportera {report.department}s insatser här:\n{link}\n\n"
        "Det här är ett automatiskt meddelande från Lägesbild.\n"
    )
    with transaction.atomic():
        Reminder.objects.create(
            report=report, kind=kind, sent_on=today, recipients=", ".join(recipients)
        )
        if recipients:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)


def send_unreached_notice(rnd, departments, base_url):
    """Tell the round's coordinators which departments got no reminder because nobody in them
    can receive one (no active representative with an e-mail address). Returns the addresses
    the notice went to (empty: the municipality has no coordinator with one either)."""
    recipients = [u.email for u in coordinators(rnd.plan.municipality)]
    if recipients:
        names = "".join(f"- {department}\n" for department in departments)
        link = base_url.rstrip("/") + reverse("accounts:departments")
        body = (
            f"Hej!\n\nPåminnelsen om uppföljningen {rnd.title} (sista dag {rnd.deadline}) kunde "
            "inte skickas till de här förvaltningarna, eftersom ingen av dem har en "
            f"förvaltningsrepresentant med e-postadress i Lägesbild:\n\n{names}\n"
            f"Lägg till eller bjud in en representant här:\n{link}\n\n"
            "Det här är ett automatiskt meddelande från Lägesbild.\n"
        )
        subject = f"Påminnelser som inte kunde skickas: uppföljningen {rnd.title}"
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return recipients


# --- partners' parts ------------------------------------------------------------------------


def partners_to_ask(rnd):
    """The municipality's active partner users not yet asked in this round."""
    asked = rnd.contributions.values_list("partner_id", flat=True)
    return (
        User.objects.filter(
            is_active=True,
            profile__role=Role.PARTNER,
            profile__municipality=rnd.plan.municipality,
        )
        .exclude(pk__in=asked)
        .order_by("first_name", "last_name", "username")
    )


def ask_partner(rnd, partner, user, base_url):
    """Ask a partner for her organisation's part of the round and e-mail her the link to her
    page (base_url: the site's absolute address). Returns the PartnerContribution."""
    with transaction.atomic():
        contribution = PartnerContribution(round=rnd, partner=partner, asked_by=user)
        contribution._history_user = user
        contribution.save()
        link = base_url.rstrip("/") + contribution.get_absolute_url()
        if partner.email:
            body = (
                f"Hej!\n\n{rnd.plan.policy.municipality_name} följer upp {rnd.plan.title} "
                f"({rnd.title}) och ber er organisation berätta vad ni har gjort för planen: "
                f"vad som har genomförts, vad ni har sett och vad ni vill föreslå.\n\n"
                f"Skriv er del här senast {rnd.deadline}:\n{link}\n\n"
                "Texten står med i uppföljningsrapporten, med organisationens namn.\n\n"
                "Det här är ett automatiskt meddelande från Lägesbild.\n"
            )
            subject = f"Er del av uppföljningen {rnd.title}"
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [partner.email])
    return contribution


def save_contribution(contribution, organisation, text, user, submit):
    contribution.organisation = organisation.strip()
    contribution.text = text.strip()
    if submit:
        contribution.submitted_at = timezone.now()
    contribution._history_user = user
    contribution.save()


def open_contributions(user):
    """The parts a partner has been asked for in rounds still open (her start page)."""
    if not user.is_authenticated:
        return []
    return list(
        PartnerContribution.objects.filter(
            partner=user, round__closed_at__isnull=True, submitted_at__isnull=True
        ).select_related("round__plan")
    )
