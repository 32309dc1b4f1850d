"""Personal data: the inventory, export and erasure of one person, retention of proposal senders."""

import datetime
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.utils import timezone

from lagesbild.ops import personal_data

from .conftest import fill_empty_tables

EMAIL = "Kim.Kontakt@example.invalid"
# Words for origin: no model that holds personal data may have such a field.
ORIGIN_WORDS = ("origin", "birth", "nationalit", "ethnic", "ursprung", "fodel", "födel", "citizen")


@pytest.fixture
def person(demo_content, make_user):
    """A staff account plus one contact row with the same address in every model that has one."""
    fill_empty_tables()
    user = make_user("department", username="kim", department="Utbildningsförvaltningen")
    user.email = EMAIL
    user.first_name, user.last_name = "Kim", "Kontakt"
    user.save()
    contact_rows = []
    for model, fields in personal_data.inventory().items():
        if model is User or not fields.email:
            continue
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        model._base_manager.filter(pk=row.pk).update(**{fields.email[0]: EMAIL.upper()})
        contact_rows.append((model, row.pk, fields))
    return user, contact_rows


def test_inventory_covers_every_email_field_and_no_model_with_personal_data_holds_origin(db):
    found = personal_data.inventory()
    for model in apps.get_models():
        emails = [f.name for f in model._meta.fields if isinstance(f, models.EmailField)]
        if emails:
            assert set(emails) <= set(found[model].email), model
    assert {"first_name", "last_name", "email"} <= set(found[User].personal)
    for model in found:
        for f in model._meta.fields:
            assert not any(w in f.name.lower() for w in ORIGIN_WORDS), (model, f.name)


def test_export_holds_the_account_its_profile_and_contact_rows(person):
    user, contact_rows = person
    assert contact_rows, "no model with a contact e-mail field to test with"
    out = io.StringIO()
    call_command("personal-data", "export", "--email", EMAIL.lower(), stdout=out)
    data = json.loads(out.getvalue())
    records = {(r["model"], r["pk"]) for r in data["records"]}
    assert ("auth.user", user.pk) in records
    assert ("accounts.profile", user.profile.pk) in records
    for model, pk, _ in contact_rows:
        assert (model._meta.label_lower, pk) in records
    account = next(r for r in data["records"] if r["model"] == "auth.user")
    assert account["fields"]["email"] == EMAIL and "password" not in account["fields"]


def test_erase_deletes_the_account_and_blanks_contact_fields_only(person):
    user, contact_rows = person
    before = {(m, pk): model_row(m, pk) for m, pk, _ in contact_rows}
    from django.contrib.sessions.models import Session
    from django.test import Client

    Client().force_login(user)  # a session in the database that names the account
    sessions = Session.objects.count()
    out = io.StringIO()
    call_command("personal-data", "erase", "--email", EMAIL, "--yes", stdout=out)
    assert Session.objects.count() == sessions - 1
    assert "Raderade 1 konto" in out.getvalue()
    assert not User.objects.filter(pk=user.pk).exists()
    for model, pk, fields in contact_rows:
        after = model_row(model, pk)
        for name, value in before[(model, pk)].items():
            if name in fields.personal:
                assert after[name] in ("", None), (model, name)
            else:
                assert after[name] == value, (model, name)  # the content stays
    assert personal_data.export(EMAIL)["records"] == []


def model_row(model, pk):
    return model._base_manager.filter(pk=pk).values().get()


def test_erase_of_unknown_person_says_so(db):
    with pytest.raises(CommandError, match="Inga uppgifter om ingen@example.invalid."):
        call_command("personal-data", "erase", "--email", "ingen@example.invalid", "--yes")


def test_purge_blanks_senders_older_than_the_retention_time(demo_content):
    fill_empty_tables()
    senders = {m: f for m, f in personal_data.inventory().items() if f.sender and f.sender_date}
    assert senders, "no model with proposal senders"
    now = timezone.now()
    kept = {}
    for model, fields in senders.items():
        rows = list(model._base_manager.order_by("pk").values_list("pk", flat=True)[:2])
        old, new = rows[0], rows[-1]
        values = {name: "avsandare@example.invalid" for name in fields.sender}
        model._base_manager.filter(pk=old).update(
            **values, **{fields.sender_date: now - datetime.timedelta(days=40)}
        )
        if new != old:
            model._base_manager.filter(pk=new).update(
                **values, **{fields.sender_date: now - datetime.timedelta(days=5)}
            )
            kept[model] = new
        senders[model] = (fields, old)
    out = io.StringIO()
    call_command("personal-data", "purge-senders", "--days", "30", stdout=out)
    assert "Gallrade avsändare äldre än 30 dagar" in out.getvalue()
    for model, (fields, old) in senders.items():
        row = model_row(model, old)
        assert all(row[name] in ("", None) for name in fields.sender), model
        if model in kept:
            row = model_row(model, kept[model])
            assert all(row[name] == "avsandare@example.invalid" for name in fields.sender)


# What may hold personal data, judged from the field alone (independently of the module's own
# discovery): every such field must be exported and erased, or be in NOT_PERSONAL with a reason.
SUSPECT_WORDS = (
    "email",
    "mail",
    "phone",
    "telefon",
    "username",
    "first_name",
    "last_name",
    "full_name",
    "contact",
    "proposer",
    "recipient",
    "author",
    "ip_address",
    "user_agent",
    "session",
)


def _suspect(f):
    if f.is_relation:
        return f.related_model is User
    if isinstance(f, (models.EmailField, models.GenericIPAddressField, models.JSONField)):
        return True
    if type(f).__name__ == "PickledObjectField":  # django-q's job arguments
        return True
    return any(w in f.name.lower() for w in SUSPECT_WORDS)


def test_every_field_that_may_hold_personal_data_is_covered_or_explained(db):
    covered = personal_data.covered_fields()
    explained = personal_data.NOT_PERSONAL
    missing, fields = [], set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        label = model._meta.label_lower
        for f in model._meta.concrete_fields:
            fields |= {f"{label}.{f.name}", f"*.{f.name}"}
            if not _suspect(f) or f.name in covered.get(label, ()):
                continue
            if f"{label}.{f.name}" not in explained and f"*.{f.name}" not in explained:
                missing.append(f"{label}.{f.name}")
    assert not missing, (
        f"Not exported or erased by lagesbild.ops.personal_data: {missing}. Cover them "
        "(register() or a Place) or explain them in NOT_PERSONAL."
    )
    assert set(explained) <= fields, set(explained) - fields  # no stale explanations
    assert all(reason.strip() for reason in explained.values())


def test_reminder_recipients_lose_only_the_persons_address(person):
    from lagesbild.plan.models import DepartmentReport, FollowUpRound, Plan, Reminder

    plan = Plan.objects.first()
    rnd = FollowUpRound.objects.filter(plan=plan).first() or FollowUpRound.objects.create(
        plan=plan, title="Uppföljning", year=2025, deadline=datetime.date(2026, 3, 1)
    )
    report = DepartmentReport.objects.filter(round=rnd).first() or DepartmentReport.objects.create(
        round=rnd, department=person[0].profile.department
    )
    reminder = Reminder.objects.create(
        report=report,
        kind=Reminder.Kind.BEFORE,
        sent_on=datetime.date(2026, 2, 20),
        recipients=f"annan@example.invalid, {EMAIL.lower()}, joakim.kontakt@example.invalid",
    )
    records = personal_data.export(EMAIL)["records"]
    assert ("plan.reminder", reminder.pk) in {(r["model"], r["pk"]) for r in records}
    call_command("personal-data", "erase", "--email", EMAIL, "--yes", stdout=io.StringIO())
    reminder.refresh_from_db()
    # A longer address that ends the same way is someone else's and stays.
    assert reminder.recipients == "annan@example.invalid, joakim.kontakt@example.invalid"


def test_login_log_is_exported_and_erased(person):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = timezone.now()
    common = {"user_agent": "Firefox", "ip_address": "192.0.2.7", "http_accept": "*/*"}
    for username in ("kim", EMAIL.lower(), "någon-annan"):
        AccessLog.objects.create(username=username, path_info="/", attempt_time=now, **common)
        AccessFailureLog.objects.create(
            username=username, path_info="/", attempt_time=now, **common
        )
        AccessAttempt.objects.create(
            username=username,
            path_info="/",
            attempt_time=now,
            get_data="",
            post_data="",
            failures_since_start=1,
            **common,
        )
    data = personal_data.export(EMAIL)
    logged = [r for r in data["records"] if r["model"].startswith("axes.")]
    assert len(logged) == 6
    assert {r["fields"]["ip_address"] for r in logged} == {"192.0.2.7"}
    call_command("personal-data", "erase", "--email", EMAIL, "--yes", stdout=io.StringIO())
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        names = model.objects.exclude(username=None).values_list("username", flat=True)
        assert list(names) == ["någon-annan"]


def test_published_lagesbild_shows_no_name_after_erase(person, client):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from lagesbild.policy.models import Policy
    from lagesbild.reports.models import Experience
    from lagesbild.reports.publishing import publish, snapshot_checksum

    user, _ = person
    policy = Policy.objects.get(municipality="1082")
    Experience.objects.create(
        policy=policy,
        area_key=policy.current.data["areas"][0]["id"],
        year=2025,
        department=user.profile.department,
        author=user,
        text="Vi har prövat språkcaféer i skolan.",
    )
    assert Experience.history.filter(author_id=user.pk).exists()
    report = publish(policy, 2025)
    LogEntry.objects.create(
        user=User.objects.filter(is_superuser=True).first(),
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr="kim",
        action_flag=CHANGE,
    )
    url = report.get_absolute_url()
    assert "Kim Kontakt" in client.get(url).content.decode()  # public, and names her

    records = personal_data.export(EMAIL)["records"]
    mine = [r for r in records if r["model"] == "reports.publishedreport"]
    assert [r["pk"] for r in mine] == [report.pk]
    assert any(r["model"] == "admin.logentry" for r in records)

    call_command("personal-data", "erase", "--email", EMAIL, "--yes", stdout=io.StringIO())
    page = client.get(url).content.decode()
    assert "Kim Kontakt" not in page and "(borttagen)" in page
    assert "Vi har prövat språkcaféer i skolan." in page  # the text itself stays
    report.refresh_from_db()
    assert report.checksum == snapshot_checksum(report.snapshot)  # still a valid version
    assert "Kim Kontakt" not in json.dumps(report.snapshot, ensure_ascii=False)
    assert not LogEntry.objects.filter(object_repr="kim").exists()
    # Historical copies keep links as plain ids (no constraint): unlinked too.
    assert not Experience.history.filter(author_id=user.pk).exists()
