"""Coordinators edit public content in the admin: own municipality only, status per language."""

from django.test import Client

from lagesbild.accounts.models import Role
from lagesbild.public.models import Event, TranslationStatus


def coordinator_client(make_user, municipality="1082"):
    from django.contrib.auth.models import Permission

    user = make_user(Role.COORDINATOR, municipality=municipality)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="public"))
    client = Client()
    client.force_login(user)
    return client, user


def test_coordinator_sets_a_translation_and_its_status_in_the_admin(make_event, make_user):
    event = make_event(title="Språkcafé")
    client, _user = coordinator_client(make_user)
    url = f"/admin/public/event/{event.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        data[name] = value
    data.update(
        {
            "start_0": "2030-05-07",
            "start_1": "18:00:00",
            "end_0": "2030-05-07",
            "end_1": "20:00:00",
            "title_ar": "مقهى اللغة",
            "tstatus__title__ar": "machine",
        }
    )
    data = {k: v for k, v in data.items() if k not in ("start", "end")}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.title_ar == "مقهى اللغة"
    assert event.translation_state("title", "ar") == TranslationStatus.MACHINE


def test_coordinator_cannot_change_another_municipalitys_event(make_event, make_user):
    event = make_event()
    _client, user = coordinator_client(make_user, municipality="1494")
    assert not user.has_perm("public.change_event", event)
    assert not user.has_perm("public.moderate", event)
    client, _user = coordinator_client(make_user, municipality="1494")
    listing = client.get("/admin/public/event/").content.decode()
    assert "Språkcafé" not in listing
    Event.objects.filter(pk=event.pk).update(municipality="1494")
    event.refresh_from_db()
    assert user.has_perm("public.change_event", event)
