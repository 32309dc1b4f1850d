"""Staff pages and exports are never kept by a shared cache; public pages keep their caching."""

from django.urls import reverse

from lagesbild.public.models import PublicSite

PRIVATE = "private, no-store"


def test_a_staff_page_is_private_and_not_stored(plan, users, client_for):
    response = client_for(users["coordinator"]).get(reverse("plan:detail", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_exports_are_private_and_not_stored(plan, users, client_for):
    client = client_for(users["reader"])
    for name in ("plan:export_csv", "plan:export_xlsx"):
        response = client.get(reverse(name, args=[plan.pk]))
        assert response.status_code == 200, name
        assert response["Cache-Control"] == PRIVATE, name


def test_the_login_page_is_private_for_anonymous_visitors_too(client_for):
    response = client_for(None).get(reverse("accounts:login"))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_public_page_keeps_its_caching_for_anonymous_visitors(plan, client_for):
    PublicSite.objects.create(municipality="1082")
    plan.published = True
    plan.save()
    for url in (
        reverse("plan:public", args=[plan.pk]),
        reverse("public:calendar", kwargs={"kommun": "karlshamn"}),
    ):
        response = client_for(None).get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_a_public_page_seen_logged_in_is_private(plan, users, client_for):
    PublicSite.objects.create(municipality="1082")
    # A logged-in page carries the user's name and menu: private even on a public URL.
    response = client_for(users["partner"]).get(
        reverse("public:calendar", kwargs={"kommun": "karlshamn"})
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
