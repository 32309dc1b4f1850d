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
        if model is User or not fields.email or model._meta.app_label == "axes":
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
