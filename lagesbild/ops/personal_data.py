"""Personal data (GDPR): find, export and erase what the installation holds about one person.

No model holds anyone's origin; what exists is contact data: staff accounts (User, Profile),
contact persons of activities and places, senders of public proposals, reminder recipients,
author names in published Lägesbild versions and the login log. The inventory is built from the
models (so new apps are covered without changes here, and a test fails for a model with a
personal-looking field that nothing here covers):
- a field is personal when it is an EmailField, or its name contains one of PERSONAL_WORDS
  (email, contact, first_name, last_name, proposer, phone); historical copies made by
  django-simple-history are models too and are found the same way;
- a row is about the person when one of its e-mail fields equals the address (any case), one
  of its other personal text fields contains it (a free-text contact), or it points at the
  person's user account (author, proposed_by, history_user, ...: those rows are exported, and
  kept unattributed on erase, since those foreign keys are SET_NULL);
- places the names do not reveal are declared with `register(...)` (e.g. a field listing
  several addresses) or are a Place with code of their own (`_places`: the login log, sessions,
  published snapshots, the admin's log about the account, rendered follow-up reports); fields
  that only look personal are in NOT_PERSONAL, with the reason.

Erasing deletes the user account and blanks the personal fields of the rows that carry the
address. `purge_senders(days)` blanks the senders of proposals older than the retention time.
"""

import datetime
import json
import os
import re
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
# What an erased person's name becomes in frozen documents (they stay valid and readable).
ERASED_NAME = "(borttagen)"

# Fields that look personal (tests/ops/test_personal_data.py flags e-mail and IP address
# fields, links to accounts, names such as "contact" or "author", and every JSON or pickled
# field) but hold nothing about a person, and why. "*.name": that field in every model.
NOT_PERSONAL = {
    "*.translation_status": "which language versions of a public text are machine-translated",
    "*.area_keys": "policy area keys of an activity",
    "*.indicators": "indicator ids of an activity",
    "*.agenda2030": "Agenda 2030 goal and target numbers of an activity",
    "*.codes": "Agenda 2030 goal and target numbers of a policy area or goal",
    "policy.policyversion.data": "the decided policy, a public document (no addresses)",
    "policy.policydraft.data": "a policy being written; the same content as above",
    "stats.snapshot.query": "the query sent to Kolada/SCB",
    "stats.municipalitygroup.members": "municipality codes",
    "stats.localindicator.groups": "group names of a local indicator",
    "geodata.boundary.polygons": "the outline of a statistical area (DeSO/RegSO), from SCB",
    "django_q.task.args": "background jobs' arguments: ids and command names",
    "django_q.task.kwargs": "background jobs' arguments: ids and command names",
    "django_q.task.result": "background jobs' results (also of their proxies success/failure)",
    "civic.civiclink.authority": "the name of an authority a civic page links to (Skolverket)",
    "core.ratecounter.key": "one rate-limit window's counter (an address or account id and a "
    "count), removed when the window ends, within the hour",
}


@dataclass
class PersonalFields:
    email: list = field(default_factory=list)  # fields holding an e-mail address
    personal: list = field(default_factory=list)  # every personal field (blanked on erase)
    sender: list = field(default_factory=list)  # proposal senders (retention)
    sender_date: str | None = None  # when the proposal came in
    lists: list = field(default_factory=list)  # fields listing addresses (comma-separated)


_registry = {}


def register(model, *, email=(), personal=(), sender=(), sender_date=None, lists=()):
    """Declare personal fields that the name-based discovery would not find.

    `lists` are fields holding several addresses separated by commas (e.g. a reminder's
    recipients): erasing removes only the person's address from them."""
    entry = _registry.setdefault(model._meta.label_lower, PersonalFields())
    entry.email += list(email)
    entry.personal += list(personal) + list(email) + list(sender)
    entry.sender += list(sender)
    entry.lists += list(lists)
    entry.sender_date = sender_date or entry.sender_date


@dataclass
class Person:
    """Who an export or erasure is about: the address and the accounts that have it."""

    email: str
    users: list

    @property
    def usernames(self):
        return [u.get_username() for u in self.users]

    @property
    def names(self):
        """Her names as the apps write them into documents (full name, else user name)."""
        return {(u.get_full_name() or u.get_username()) for u in self.users}


@dataclass
class Place:
    """Personal data kept in a way only code can find: export(person) -> records,
    erase(person) -> number of rows changed; `covers` is {model label: field names, or "*"
    when whole rows are exported and deleted}."""

    name: str
    covers: dict
    export: object
    erase: object


def places():
    """The places found by code (for `lagesbild personal-data list`)."""
    return list(_places)


def _is_personal(f):
    return isinstance(f, models.EmailField) or any(w in f.name for w in PERSONAL_WORDS)


def _created_field(model):
    for f in model._meta.concrete_fields:
        if isinstance(f, models.DateTimeField) and (f.auto_now_add or f.name == "created_at"):
            return f.name
    return None


def register_builtin():
    """Our own apps' fields whose names do not say "e-mail" (called by OpsConfig.ready)."""
    if apps.is_installed("lagesbild.plan"):
        from lagesbild.plan.models import Reminder

        register(Reminder, lists=["recipients"])


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
            for name in ("email", "personal", "sender", "lists"):
                getattr(found, name).extend(
                    x for x in getattr(extra, name) if x not in getattr(found, name)
                )
            found.sender_date = extra.sender_date or found.sender_date
        if found.personal or found.lists:
            result[model] = found
    return result


def _user_foreign_keys():
    """(model, field) for every foreign key to the user model."""
    User = get_user_model()
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is User:
                yield model, f


def covered_fields():
    """{model label: field names} that export and erase handle (the test checks it is all)."""
    User = get_user_model()
    # The account itself is exported whole (but the password hash) and deleted.
    covered = {User._meta.label_lower: {f.name for f in User._meta.concrete_fields}}
    for model, fields in inventory().items():
        covered.setdefault(model._meta.label_lower, set()).update(fields.personal, fields.lists)
    for model, fk in _user_foreign_keys():
        label = model._meta.label_lower
        covered.setdefault(label, set()).add(fk.name)
        if fk.remote_field.on_delete is models.CASCADE:  # the whole row goes with the account
            covered[label].update(f.name for f in model._meta.concrete_fields)
    for p in _places:
        for label, names in p.covers.items():
            if names == "*":
                model = apps.get_model(label)
                names = [f.name for f in model._meta.concrete_fields]
            covered.setdefault(label, set()).update(names)
    return covered


def _mentions(text, email):
    """Whether free text holds this address as a whole (not inside a longer one)."""
    pattern = r"(?<![\w.+-])" + re.escape(email) + r"(?![\w-]|\.\w)"
    return re.search(pattern, text or "", re.IGNORECASE) is not None


def _rows_with_email(email):
    """(model, fields, row) for every row whose e-mail field is, or text field holds, email."""
    for model, fields in inventory().items():
        texts = [n for n in fields.personal + fields.lists if n not in fields.email]
        q = models.Q()
        for name in fields.email:
            q |= models.Q(**{f"{name}__iexact": email})
        for name in texts:
            q |= models.Q(**{f"{name}__icontains": email})
        if not q:
            continue
        for obj in model._base_manager.filter(q):
            exact = any((getattr(obj, n) or "").lower() == email.lower() for n in fields.email)
            if exact or any(_mentions(getattr(obj, n), email) for n in texts):
                yield model, fields, obj


def _row(obj):
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name == "password":
            continue  # a hash, not information about the person
        data[f.attname] = f.value_from_object(obj)
    return {"model": obj._meta.label_lower, "pk": obj.pk, "fields": data}


def _person(email):
    User = get_user_model()
    return Person(email, list(User.objects.filter(email__iexact=email)))


def export(email):
    """Everything held about the person with this e-mail address, as JSON-ready data."""
    person = _person(email)
    users = person.users
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
    for p in _places:
        for record in p.export(person):
            key = (record["model"], record["pk"])
            if key not in seen or record["pk"] is None:  # sessions are exported without keys
                seen.add(key)
                records.append(record)
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "note": "Lägesbild lagrar inga uppgifter om någons ursprung.",
        "records": records,
    }


def export_json(email):
    return json.dumps(export(email), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def _without(listing, email):
    """A comma-separated list of addresses without this one."""
    kept = [a.strip() for a in listing.split(",") if a.strip().lower() != email.lower()]
    return ", ".join(a for a in kept if a)


@transaction.atomic
def erase(email):
    """Delete the person's account and blank her personal fields elsewhere; returns counts."""
    person = _person(email)
    User = get_user_model()
    blanked = 0
    for model, fields, obj in list(_rows_with_email(email)):
        if model is User:
            continue
        # A list of addresses loses only hers; every other personal field is blanked.
        changes = {name: _without(getattr(obj, name) or "", email) for name in fields.lists}
        for name in fields.personal:
            if name not in changes:
                changes[name] = None if model._meta.get_field(name).null else ""
        model._base_manager.filter(pk=obj.pk).update(**changes)
        blanked += 1
    for p in _places:  # before the accounts go: some places are found through them
        blanked += p.erase(person)
    # Historical copies (django-simple-history) keep links as plain ids without a constraint
    # (DO_NOTHING): unlinked here, as the SET_NULL links are by the deletion.
    for model, fk in _user_foreign_keys():
        if fk.remote_field.on_delete is models.DO_NOTHING and fk.null and person.users:
            blanked += model._base_manager.filter(**{f"{fk.name}__in": person.users}).update(
                **{fk.name: None}
            )
    deleted = len(person.users)
    for user in person.users:
        user.delete()
    return {"accounts_deleted": deleted, "rows_blanked": blanked}


# --- places found by code ---------------------------------------------------------------------


def _login_log(person):
    """Login-log rows (django-axes) under her user names or her address (people type either)."""
    names = [n.lower() for n in person.usernames] + [person.email.lower()]
    for model in apps.get_models():
        if model._meta.app_label == "axes" and _has(model, "username"):
            q = models.Q()
            for name in names:
                q |= models.Q(username__iexact=name)
            yield model._base_manager.filter(q)


def _has(model, name):
    return any(f.name == name for f in model._meta.concrete_fields)


def _export_login_log(person):
    return [_row(obj) for rows in _login_log(person) for obj in rows]


def _erase_login_log(person):
    return sum(rows.delete()[0] for rows in _login_log(person))


def _sessions(person):
    """Sessions name the account only inside their encoded data: found by decoding them."""
    ids = {str(u.pk) for u in person.users}
    if not ids or not apps.is_installed("django.contrib.sessions"):
        return []
    from django.contrib.sessions.models import Session

    return [s for s in Session.objects.iterator() if s.get_decoded().get("_auth_user_id") in ids]


def _export_sessions(person):
    # Without the session key: a key in an export file would let its reader log in as her.
    return [
        {"model": "sessions.session", "pk": None, "fields": {"expire_date": s.expire_date}}
        for s in _sessions(person)
    ]


def _erase_sessions(person):
    found = _sessions(person)
    for s in found:
        s.delete()
    return len(found)


def _admin_log(person):
    """The Django admin's log of changes to her account, which names it (object_repr)."""
    if not person.users or not apps.is_installed("django.contrib.admin"):
        return []
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(get_user_model())
    ids = [str(u.pk) for u in person.users]
    return LogEntry.objects.filter(content_type=kind, object_id__in=ids)


def _export_admin_log(person):
    return [_row(e) for e in _admin_log(person)]


def _erase_admin_log(person):
    entries = _admin_log(person)
    return entries.update(object_repr=ERASED_NAME) if person.users else 0


def _snapshot_entries(snapshot):
    """The parts of a Lägesbild snapshot that carry an author's name."""
    yield from snapshot.get("experiences") or []
    yield from (snapshot.get("analyses") or {}).values()


def _published_reports(person):
    """Published Lägesbild versions that name her as an author.

    Frozen versions hold authors by name (shown publicly), not by account: matched by the names
    her accounts have, in her municipality's reports (every report for an account without one).
    """
    names = person.names
    if not names or not apps.is_installed("lagesbild.reports"):
        return []
    from lagesbild.reports.models import PublishedReport

    reports = PublishedReport.objects.all()
    kommuner = {getattr(getattr(u, "profile", None), "municipality", "") for u in person.users}
    if "" not in kommuner:
        reports = reports.filter(policy__municipality__in=kommuner)
    return [
        r
        for r in reports.iterator()
        if any(e.get("author") in names for e in _snapshot_entries(r.snapshot))
    ]


def _export_published_reports(person):
    names = person.names
    return [
        {
            "model": "reports.publishedreport",
            "pk": r.pk,
            "fields": {
                "policy": r.policy_id,
                "year": r.year,
                "number": r.number,
                "author_of": [
                    {k: e.get(k) for k in ("area", "department", "date")}
                    for e in _snapshot_entries(r.snapshot)
                    if e.get("author") in names
                ],
            },
        }
        for r in _published_reports(person)
    ]


def _erase_published_reports(person):
    """Her name becomes ERASED_NAME; the checksum is computed again, so the version stays valid
    and its cached renderings (keyed by the checksum) are not served any more."""
    from lagesbild.reports.publishing import snapshot_checksum

    names = person.names
    reports = _published_reports(person)
    for r in reports:
        for entry in _snapshot_entries(r.snapshot):
            if entry.get("author") in names:
                entry["author"] = ERASED_NAME
        r.checksum = snapshot_checksum(r.snapshot)
        r.save(update_fields=["snapshot", "checksum"])
    return len(reports)


def _erase_followup_files(person):
    """Follow-up reports are rendered once into files naming who wrote the texts: the files of
    rounds she wrote in are removed, and rendered again (without her name) when asked for."""
    if not person.users or not apps.is_installed("lagesbild.plan"):
        return 0
    from django.core.files.storage import default_storage

    from lagesbild.plan.followup_report import CONTENT_TYPES, report_name
    from lagesbild.plan.models import FollowUpRound

    ids = FollowUpRound.history.filter(history_user__in=person.users).values("id")
    removed = 0
    for rnd in FollowUpRound.objects.filter(pk__in=ids):
        for fmt in CONTENT_TYPES:
            if default_storage.exists(report_name(rnd, fmt)):
                default_storage.delete(report_name(rnd, fmt))
                removed += 1
    return removed


_places = [
    Place(
        "login log (django-axes)",
        {f"axes.{m}": "*" for m in ("accessattempt", "accesslog", "accessfailurelog")},
        _export_login_log,
        _erase_login_log,
    ),
    Place("sessions", {"sessions.session": "*"}, _export_sessions, _erase_sessions),
    Place(
        "admin log about the account",
        {"admin.logentry": ["object_repr"]},
        _export_admin_log,
        _erase_admin_log,
    ),
    Place(
        "published Lägesbild versions",
        {"reports.publishedreport": ["snapshot"]},
        _export_published_reports,
        _erase_published_reports,
    ),
    # The texts and their authors are exported as rows (history_user); only the files go.
    Place("follow-up report files", {}, lambda person: [], _erase_followup_files),
]


# --- retention ----------------------------------------------------------------------------------


def retention_days():
    """LAGESBILD_SENDER_RETENTION_DAYS (default 365): how long proposal senders are kept."""
    default = int(os.environ.get("LAGESBILD_SENDER_RETENTION_DAYS", "365"))
    return getattr(settings, "PROPOSAL_SENDER_RETENTION_DAYS", default)


@transaction.atomic
def purge_senders(days=None, now=None):
    """Blank the senders of proposals that came in more than `days` days ago."""
    days = retention_days() if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    # Proposals never published go entirely, after their own time (docs/public.md).
    from lagesbild.public.retention import purge_proposals

    counts = purge_proposals(now=now)
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
