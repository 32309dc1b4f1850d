"""Personal data (GDPR): find, export and erase what the installation holds about one person.

No model holds anyone's origin; what exists is contact data: staff accounts (User, Profile),
contact persons of activities and places, and the senders of public proposals. The fields are
found by walking every installed model (so new apps are covered without changes here):
- a field is personal when it is an EmailField, or its name contains one of PERSONAL_WORDS
  (email, contact, first_name, last_name, proposer, phone); historical copies made by
  django-simple-history are models too and are found the same way;
- a row is about the person when one of its e-mail fields equals the address (any case), or
  it points at the person's user account (author, proposed_by, history_user, ...).
Apps whose personal data does not follow these names call `register(...)` in their AppConfig.ready.

Erasing deletes the user account (rows pointing at it keep their content, unattributed:
those foreign keys are SET_NULL) and blanks the personal fields of the rows that carry the
address. `purge_senders(days)` blanks the senders of proposals older than the retention time.
"""

import datetime
import json
import os
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

PERSONAL_WORDS = ("email", "contact", "first_name", "last_name", "proposer", "phone")
# Sender fields of public proposals: erased after the retention time.
SENDER_WORDS = ("proposer",)


@dataclass
class PersonalFields:
    email: list = field(default_factory=list)  # fields holding an e-mail address
    personal: list = field(default_factory=list)  # every personal field (blanked on erase)
    sender: list = field(default_factory=list)  # proposal senders (retention)
    sender_date: str | None = None  # when the proposal came in


_registry = {}


def register(model, *, email=(), personal=(), sender=(), sender_date=None):
    """Declare personal fields that the name-based discovery would not find."""
    entry = _registry.setdefault(model._meta.label_lower, PersonalFields())
    entry.email += list(email)
    entry.personal += list(personal) + list(email) + list(sender)
    entry.sender += list(sender)
    entry.sender_date = sender_date or entry.sender_date


def _is_personal(f):
    return isinstance(f, models.EmailField) or any(w in f.name for w in PERSONAL_WORDS)


def _created_field(model):
    for f in model._meta.concrete_fields:
        if isinstance(f, models.DateTimeField) and (f.auto_now_add or f.name == "created_at"):
            return f.name
    return None


def inventory():
    """{model: PersonalFields} for every model with personal fields."""
    result = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        found = PersonalFields()
        for f in model._meta.concrete_fields:
            if f.is_relation or not isinstance(f, (models.CharField, models.TextField)):
                continue
            if _is_personal(f):
                found.personal.append(f.name)
                if isinstance(f, models.EmailField) or "email" in f.name:
                    found.email.append(f.name)
                if any(w in f.name for w in SENDER_WORDS):
                    found.sender.append(f.name)
        if found.sender:
            found.sender_date = _created_field(model)
        extra = _registry.get(model._meta.label_lower)
        if extra:
            for name in ("email", "personal", "sender"):
                getattr(found, name).extend(
                    x for x in getattr(extra, name) if x not in getattr(found, name)
                )
            found.sender_date = extra.sender_date or found.sender_date
        if found.personal:
            result[model] = found
    return result


def _user_foreign_keys():
    """(model, field) for every foreign key to the user model."""
    User = get_user_model()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is User:
                yield model, f


def _rows_with_email(email):
    for model, fields in inventory().items():
        if not fields.email:
            continue
        q = models.Q()
        for name in fields.email:
            q |= models.Q(**{f"{name}__iexact": email})
        for obj in model._base_manager.filter(q):
            yield model, fields, obj


def _row(obj):
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name == "password":
            continue  # a hash, not information about the person
        data[f.attname] = f.value_from_object(obj)
    return {"model": obj._meta.label_lower, "pk": obj.pk, "fields": data}


def export(email):
    """Everything held about the person with this e-mail address, as JSON-ready data."""
    User = get_user_model()
    users = list(User.objects.filter(email__iexact=email))
    records = [_row(u) for u in users]
    seen = {(r["model"], r["pk"]) for r in records}
    related = []
    for model, fk in _user_foreign_keys():
        related += list(model._base_manager.filter(**{f"{fk.name}__in": users}))
    for obj in related + [obj for _, _, obj in _rows_with_email(email)]:
        key = (obj._meta.label_lower, obj.pk)
        if key not in seen:
            seen.add(key)
            records.append(_row(obj))
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "note": "Lägesbild lagrar inga uppgifter om någons ursprung.",
        "records": records,
    }


def export_json(email):
    return json.dumps(export(email), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


@transaction.atomic
def erase(email):
    """Delete the person's account and blank her personal fields elsewhere; returns counts."""
    User = get_user_model()
    users = list(User.objects.filter(email__iexact=email))
    blanked = 0
    for model, fields, obj in list(_rows_with_email(email)):
        if model is User:
            continue
        model._base_manager.filter(pk=obj.pk).update(
            **{name: (None if model._meta.get_field(name).null else "") for name in fields.personal}
        )
        blanked += 1
    # Login throttling keeps user names and addresses of failed logins.
    usernames = [u.get_username() for u in users]
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if model._meta.app_label == "axes" and "username" in names and usernames:
            model._base_manager.filter(username__in=usernames).delete()
    # Sessions are not linked to the account by a foreign key: find them by their content.
    ids = {str(u.pk) for u in users}
    if ids and apps.is_installed("django.contrib.sessions"):
        from django.contrib.sessions.models import Session

        for session in Session.objects.iterator():
            if session.get_decoded().get("_auth_user_id") in ids:
                session.delete()
    deleted = len(users)
    for user in users:
        user.delete()
    return {"accounts_deleted": deleted, "rows_blanked": blanked}


def retention_days():
    """LAGESBILD_SENDER_RETENTION_DAYS (default 365): how long proposal senders are kept."""
    default = int(os.environ.get("LAGESBILD_SENDER_RETENTION_DAYS", "365"))
    return getattr(settings, "PROPOSAL_SENDER_RETENTION_DAYS", default)


@transaction.atomic
def purge_senders(days=None, now=None):
    """Blank the senders of proposals that came in more than `days` days ago."""
    days = retention_days() if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    counts = {}
    for model, fields in inventory().items():
        if not fields.sender or not fields.sender_date:
            continue
        filled = models.Q()
        for name in fields.sender:
            filled |= ~models.Q(**{name: ""}) & models.Q(**{f"{name}__isnull": False})
        query = model._base_manager.filter(filled, **{f"{fields.sender_date}__lt": cutoff})
        n = query.update(
            **{name: (None if model._meta.get_field(name).null else "") for name in fields.sender}
        )
        if n:
            counts[model._meta.label_lower] = n
    return counts
