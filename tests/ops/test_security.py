"""Every state-changing URL refuses the roles it is not meant for.

The test walks the URL resolver (so new apps' URLs are included without changes here), finds
arguments that reach real objects of municipality 1082 (probing with a superuser inside a
rolled-back transaction), fills in the page's own form as the superuser sees it, and then sends
POST, PUT, PATCH and DELETE as each role. A request is refused when it wrote nothing to the
database and did not crash. The same requests as a superuser must write somewhere, or the test
would prove nothing. What is meant to be open is listed in ALLOWED with the reason.
"""

import itertools
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils.http import urlencode

from lagesbild.accounts.models import Role
from lagesbild.ops.backup import data_models

from .conftest import fill_empty_tables

ANONYMOUS = "anonymous"
ROLES = [
    ANONYMOUS,
    Role.READER,
    Role.PARTNER,
    Role.DEPARTMENT,  # of a department that owns nothing
    "other-coordinator",  # coordinator of a municipality with no content (0114)
]
METHODS = ["post", "put", "patch", "delete"]

# (url name, role or "*"): why the role may change something there.
ALLOWED = {
    ("set_language", "*"): "the language choice, stored in a cookie",
    ("accounts:login", "*"): "the login form",
    ("accounts:logout", "*"): "logging out ends only the caller's own session",
    ("oidc_authentication_callback", "*"): "single sign-on: the provider sends users here",
    ("oidc_logout", "*"): "logging out ends only the caller's own session",
    ("public:propose_event", "*"): "public form: anyone may propose an event; staff moderate",
    ("public:propose_internship", "*"): "public form: anyone may propose a place; staff moderate",
    ("plan:propose", Role.PARTNER): "partners propose activities to their municipality's plan",
    ("reports:experience_new", Role.DEPARTMENT): "a department writes its own experience text",
    ("stats:refresh", "other-coordinator"): "a coordinator refreshes her own municipality's data",
    ("policy:start", "other-coordinator"): "a coordinator starts a policy of her own municipality",
    ("stats:index", "*"): "reading the page marks fetch runs whose thread died as failed",
    ("accounts:invite", "other-coordinator"): "a coordinator invites to her own municipality",
    ("accounts:departments", "other-coordinator"): "a coordinator adds her own departments",
    ("accounts:password_reset", "*"): "anyone may ask for a link; it goes only to the account",
    **{
        ("accounts:password_change", role): "every logged-in user changes her own password"
        for role in (Role.READER, Role.PARTNER, Role.DEPARTMENT, "other-coordinator")
    },
    ("stats:example_load", "other-coordinator"): "a coordinator loads example data for her own "
    "municipality (only while it has no real values)",
    ("stats:example_remove", "other-coordinator"): "a coordinator removes her own "
    "municipality's example data",
    ("agreements:create", "other-coordinator"): "a coordinator records an agreement of her own "
    "municipality",
    ("meetings:group_create", "other-coordinator"): "a coordinator starts a working group of her "
    "own municipality",
}
# Django's admin is covered by test_admin_refuses_users_without_staff_status.
SKIP_NAMESPACES = {"admin"}
# Arguments the walk cannot guess from the database.
URL_ARGS = {"public:moderate": {"kind": "evenemang"}}
# Writes that are not a change of content.
IGNORED_TABLES = ("django_session", "axes_")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)


class FormFields(HTMLParser):
    """The fields of a page's own POST form (action empty or the page itself), filled in."""

    FILL = {
        "number": "1",
        "date": "2026-01-15",
        "email": "test@example.invalid",
        "url": "https://example.invalid/",
        "datetime-local": "2026-01-15T10:00",
        "time": "10:00",
        "checkbox": "on",
        "radio": None,
    }

    def __init__(self, url):
        super().__init__()
        self.url, self.data, self.inside, self.select, self.textarea = url, {}, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("method") or "").lower() == "post" and a.get("action") in (
                None,
                "",
                self.url,
                ".",
            )
        elif not self.inside:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
            kind = a.get("type", "text")
            value = a.get("value") or self.FILL.get(kind, "Test")
            if kind in ("checkbox", "radio") and a.get("name") in self.data:
                return
            self.data[a["name"]] = value if value is not None else a.get("value", "")
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select and a.get("value"):
            self.data.setdefault(self.select, a["value"])
        elif tag == "textarea" and a.get("name"):
            self.data[a["name"]] = "Test"

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_data(client, url):
    client.force_login(client.user)
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    parser = FormFields(url)
    parser.feed(response.content.decode(errors="replace"))
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def walk(patterns=None, prefix="", converters=None):
    """(url name, {kwarg: converter or None}) for every named URL pattern."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    converters = converters or {}
    for p in patterns:
        here = dict(converters)
        if isinstance(p.pattern, RoutePattern):
            here.update(p.pattern.converters)
        else:
            here.update({name: None for name in p.pattern.regex.groupindex})
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from walk(p.url_patterns, ns, here)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name, here


def candidate_values():
    """Values to try for URL arguments, from the content in the database, likeliest first."""
    ints, names, slugs, choices = set(), [], set(), set()
    for model in data_models():
        names.append(model._meta.model_name)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.SlugField):
                slugs.update(model._base_manager.values_list(field.attname, flat=True)[:50])
            if field.choices:
                choices.update(str(c[0]) for c in field.choices)
        ints.update(model._base_manager.values_list("pk", flat=True)[:10])
    ints = sorted(i for i in ints if isinstance(i, int))[:10] or [1]
    strings = list(dict.fromkeys([*names, *sorted(slugs), *sorted(choices), "x"]))
    return ints, [s for s in strings if s]


def named_values(kwarg):
    """Values of model fields named like a URL argument (slug, year, area -> area_key, ...)."""
    values = []
    for model in data_models():
        for field in model._meta.concrete_fields:
            if field.name in (kwarg, f"{kwarg}_key", f"{kwarg}_slug"):
                values += model._base_manager.values_list(field.attname, flat=True)[:20]
    return [v for v in dict.fromkeys(values) if v not in (None, "")]


def probe_status(client, method, url):
    client.force_login(client.user)
    with transaction.atomic():
        status = getattr(client, method)(url).status_code
        transaction.set_rollback(True)
    return status


def urls_to_check(superuser_client):
    """(name, url): arguments chosen so that a superuser reaches a real object."""
    ints, strings = candidate_values()
    for name, converters in sorted(walk()):
        if name.split(":")[0] in SKIP_NAMESPACES:
            continue
        if name in URL_ARGS:
            converters = {k: v for k, v in converters.items() if k not in URL_ARGS[name]}
        if not converters:
            url = reverse(name, kwargs=URL_ARGS.get(name))
            yield name, url, form_data(superuser_client, url)
            continue
        choices = []
        for i, (kwarg, c) in enumerate(converters.items()):
            generic = ints if (c is not None and c.regex == "[0-9]+") else strings
            # A municipality's public site: its slug, not a field of any model.
            named = ["karlshamn", "lidkoping"] if kwarg == "kommun" else named_values(kwarg)
            # Every value for the first argument; the likeliest few for the others.
            choices.append(
                list(dict.fromkeys(named + generic)) if i == 0 else (named[:4] or generic[:2])
            )
        fallback = None
        for combo in itertools.islice(itertools.product(*choices), 600):
            try:
                kwargs = {**dict(zip(converters, combo, strict=True)), **URL_ARGS.get(name, {})}
                url = reverse(name, kwargs=kwargs)
            except Exception:
                continue
            fallback = fallback or url
            statuses = {probe_status(superuser_client, m, url) for m in ("get", "post")}
            if statuses - {404}:
                yield name, url, form_data(superuser_client, url)
                break
        else:
            if fallback:
                yield name, fallback, {}


def writes(queries):
    return [
        q["sql"]
        for q in queries
        if WRITE.match(q["sql"]) and not any(t in q["sql"] for t in IGNORED_TABLES)
    ]


def send(client, method, url, data):
    """One request inside a rolled-back transaction: (response, SQL writes it made)."""
    if getattr(client, "user", None):  # a request before may have logged it out
        client.force_login(client.user)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        if method == "post":
            response = client.post(url, data)
        else:  # PUT/PATCH/DELETE carry the same fields, form-encoded
            response = getattr(client, method)(
                url, urlencode(data), content_type="application/x-www-form-urlencoded"
            )
        transaction.set_rollback(True)
    return response, writes(queries.captured_queries)


@pytest.fixture
def clients(demo_content, make_user):
    fill_empty_tables()
    result = {ANONYMOUS: Client(raise_request_exception=False)}
    for role in ROLES[1:]:
        if role == "other-coordinator":
            user = make_user(Role.COORDINATOR, municipality="0114")
            # As the demo sets coordinators up: staff, with the apps' model permissions.
            user.is_staff = True
            user.save()
            user.user_permissions.add(
                *Permission.objects.filter(content_type__app_label__in=_own_app_labels())
            )
        elif role == Role.DEPARTMENT:
            user = make_user(
                role, municipality="1082", department="Testförvaltningen utan insatser"
            )
        else:
            user = make_user(role, municipality="1082")
        client = Client(raise_request_exception=False)
        client.user = user
        result[role] = client
    admin = make_user("admin")
    superuser = Client(raise_request_exception=False)
    superuser.user = admin
    return result, superuser


def _own_app_labels():
    return [c.label for c in apps.get_app_configs() if c.name.startswith("lagesbild.")]


def allowed(name, role):
    return (name, role) in ALLOWED or (name, "*") in ALLOWED


@pytest.mark.slow
def test_every_state_changing_url_refuses_roles_it_is_not_meant_for(clients):
    """Refused = nothing written and no server error, with the form's own fields filled in."""
    clients, superuser = clients
    problems = []
    checked = writable = 0
    for name, url, data in urls_to_check(superuser):
        # The same request as a superuser shows whether the filled-in form can write at all.
        writable += any(send(superuser, m, url, data)[1] for m in METHODS)
        for role, method in itertools.product(ROLES, METHODS):
            if allowed(name, role):
                continue
            response, written = send(clients[role], method, url, data)
            checked += 1
            if written or response.status_code >= 500:
                problems.append(
                    f"{method.upper()} {url} ({name}) as {role}: {response.status_code}"
                    + (f", wrote: {written[0][:120]}" if written else "")
                )
    assert checked > 100
    # The filled-in forms really write when the user may: otherwise this test proves nothing.
    assert writable >= 3
    assert problems == [], "\n".join(problems)


def test_allow_list_names_only_existing_urls():
    names = {name for name, _ in walk()}
    assert {name for name, _ in ALLOWED} - names == set()


def test_forms_refuse_posts_without_csrf_token(make_user, db):
    user = make_user(Role.COORDINATOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for url in [reverse("accounts:logout"), reverse("set_language"), reverse("accounts:login")]:
        assert client.post(url).status_code == 403, url


def test_no_view_is_csrf_exempt():
    """django-ninja marks its views exempt and checks CSRF itself for session-authenticated
    calls; that check is tested in tests/plan/test_api.py (a PATCH without the token is 403)."""
    from lagesbild.api.endpoints import api

    ninja = {str(p.pattern) for p in api.urls[0]}
    exempt = [
        str(p.pattern)
        for p in _all_patterns()
        if getattr(p.callback, "csrf_exempt", False) and str(p.pattern) not in ninja
    ]
    assert exempt == []


def _all_patterns(patterns=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _all_patterns(p.url_patterns)
        else:
            yield p


def test_admin_refuses_users_without_staff_status(clients):
    clients, _ = clients
    problems = []
    for name, converters in sorted(walk()):
        if not name.startswith("admin:"):
            continue
        kwargs = {k: "1" if c is None or c.regex != "[0-9]+" else 1 for k, c in converters.items()}
        if "app_label" in kwargs:
            kwargs["app_label"] = "accounts"
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            continue
        for role in [ANONYMOUS, Role.READER, Role.PARTNER, Role.DEPARTMENT]:
            response, written = send(clients[role], "post", url, {"username": "x"})
            login = response.status_code == 302 and "/admin/login/" in response["Location"]
            if name not in ("admin:login", "admin:logout") and (written or not login):
                problems.append(f"POST {url} as {role}: {response.status_code}")
    assert problems == []


def _admin_rows_of_1082():
    """One row of Karlshamn (1082) per model in the Django admin."""
    from django.contrib import admin

    from lagesbild.accounts.admin import MunicipalityAdmin, _municipality_path

    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("lagesbild."):
            continue
        assert isinstance(model_admin, MunicipalityAdmin), f"{model.__name__} admin is not scoped"
        path = _municipality_path(model)
        obj = model._default_manager.filter(**{path: "1082"}).first()
        if obj is not None:
            yield obj


def test_admin_keeps_coordinators_to_their_own_municipality(clients):
    """A staff coordinator of 0114 with every model permission sees, changes and deletes
    nothing of 1082's in the admin, and a row she adds gets her own kommunkod."""
    from lagesbild.accounts.models import Department

    clients, superuser = clients
    other = clients["other-coordinator"]
    rows = list(_admin_rows_of_1082())
    assert len(rows) >= 6, [type(o).__name__ for o in rows]
    problems = []
    for obj in rows:
        meta = obj._meta
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        data = form_data(superuser, change)
        for url, payload in [(change, data), (delete, {"post": "yes"})]:
            response, written = send(other, "post", url, payload)
            if written or response.status_code == 200:
                problems.append(f"POST {url}: {response.status_code}, wrote {written[:1]}")
        other.force_login(other.user)
        listed = other.get(changelist)
        if (
            listed.status_code == 200
            and reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            in listed.content.decode()
        ):
            problems.append(f"{changelist} lists {obj!r} of 1082")
    assert problems == [], "\n".join(problems)

    # What she adds is hers, whatever kommunkod the form is sent with.
    other.force_login(other.user)
    response = other.post(
        reverse("admin:accounts_department_add"),
        {"municipality": "1082", "name": "Ny förvaltning", "short_name": ""},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Department.objects.get(name="Ny förvaltning").municipality == "0114"


def test_admin_lets_a_coordinator_change_her_own_municipality(clients, make_user):
    from lagesbild.accounts.models import Department

    own = make_user(Role.COORDINATOR, municipality="1082")
    own.is_staff = True
    own.save()
    own.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=_own_app_labels())
    )
    department = Department.objects.filter(municipality="1082").first()
    client = Client()
    client.force_login(own)
    url = reverse("admin:accounts_department_change", args=[department.pk])
    response = client.post(url, {"name": "Omdöpt förvaltning", "short_name": ""})
    assert response.status_code == 302
    department.refresh_from_db()
    assert (department.name, department.municipality) == ("Omdöpt förvaltning", "1082")


def test_admin_pages_are_read_only_by_staff_of_the_rows_municipality(clients):
    """Reads (GET), as the tests above do writes: without staff status every admin page sends
    to the admin's log-in; the staff coordinator of 0114 with every model permission opens no
    change, history or delete page of a row of 1082's, which the superuser does open."""
    clients, superuser = clients
    problems = []
    for name, converters in sorted(walk()):
        if not name.startswith("admin:") or name in ("admin:login", "admin:logout"):
            continue
        kwargs = {k: "1" if c is None or c.regex != "[0-9]+" else 1 for k, c in converters.items()}
        if "app_label" in kwargs:
            kwargs["app_label"] = "accounts"
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:
            continue
        for role in [ANONYMOUS, Role.READER, Role.PARTNER, Role.DEPARTMENT]:
            client = clients[role]
            if getattr(client, "user", None):
                client.force_login(client.user)
            response = client.get(url)
            if not (response.status_code == 302 and "/admin/login/" in response["Location"]):
                problems.append(f"GET {url} as {role}: {response.status_code}")

    other = clients["other-coordinator"]
    rows = list(_admin_rows_of_1082())
    assert len(rows) >= 6, [type(o).__name__ for o in rows]
    for obj in rows:
        meta = obj._meta
        for view in ("change", "history", "delete"):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])
            superuser.force_login(superuser.user)
            opened = superuser.get(url).status_code == 200
            assert opened or view == "delete", url  # some models cannot be deleted at all
            other.force_login(other.user)
            response = other.get(url)
            if response.status_code == 200:
                problems.append(f"GET {url} as other-coordinator: 200")
    assert problems == [], "\n".join(problems)
