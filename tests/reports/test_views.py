"""The Lägesbild in the web app: who may read drafts, write texts and publish."""

import pytest

from lagesbild.accounts.models import Department
from lagesbild.reports.models import AreaAnalysis, Experience, PublishedReport

pytestmark = pytest.mark.django_db

DRAFT = "/lagesbild/karlshamn-integration/2025/"
CONFIRM = {"confirm": "yes", "number": "1"}  # the confirmation step's answer for version 1


@pytest.fixture
def coordinator(make_user, karlshamn):
    return make_user("coordinator")


@pytest.fixture
def rep(make_user, karlshamn):
    return make_user("department", department="Utbildningsförvaltningen")


def login(client, user):
    client.force_login(user)
    return client


def test_draft_needs_login_and_the_municipalitys_staff(client, make_user, karlshamn, stored):
    assert client.get(DRAFT).status_code == 302
    login(client, make_user("coordinator", municipality="1494"))
    assert client.get(DRAFT).status_code == 403
    login(client, make_user("reader"))
    response = client.get(DRAFT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vägledande princip: Demokrati &amp; delaktighet" in html
    assert "Publicera lägesbilden" not in html  # readers may not publish
    assert "Skriv beprövad erfarenhet" not in html


def test_draft_downloads_in_three_formats(client, coordinator, stored):
    login(client, coordinator)
    for fmt, kind, magic in (
        ("pdf", "application/pdf", b"%PDF"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
    ):
        response = client.get(f"{DRAFT}utkast.{fmt}")
        assert response.status_code == 200
        assert response["Content-Type"] == kind
        assert response.content.startswith(magic)
        assert "attachment" in response["Content-Disposition"]
    assert client.get(f"{DRAFT}utkast.exe").status_code == 404


def test_representative_writes_for_own_department_only(client, rep, karlshamn):
    other = Department.objects.create(municipality="1082", name="Socialförvaltningen")
    login(client, rep)
    url = f"{DRAFT}arbete/erfarenhet/"
    page = client.get(url).content.decode()
    assert 'name="department"' not in page
    response = client.post(url, {"text": "  Praktik fungerar.  ", "department": other.pk})
    assert response.status_code == 302 and response["Location"].endswith("#s-arbete")
    experience = Experience.objects.get()
    assert experience.department == rep.profile.department
    assert (experience.text, experience.author, experience.area_key) == (
        "Praktik fungerar.",
        rep,
        "arbete",
    )


def test_representative_cannot_edit_another_departments_text(client, rep, make_user, karlshamn):
    social = make_user("department", department="Socialförvaltningen")
    theirs = Experience.objects.create(
        policy=karlshamn.policy,
        area_key="arbete",
        year=2025,
        department=social.profile.department,
        text="Deras.",
    )
    login(client, rep)
    assert client.get(f"/lagesbild/erfarenhet/{theirs.pk}/").status_code == 403
    assert client.post(f"/lagesbild/erfarenhet/{theirs.pk}/", {"text": "Ändrat"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.text == "Deras."
    login(client, social)
    assert client.post(f"/lagesbild/erfarenhet/{theirs.pk}/", {"text": "Ändrat"}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.text == "Ändrat"


def test_empty_text_is_refused_with_a_message(client, rep):
    login(client, rep)
    response = client.post(f"{DRAFT}arbete/erfarenhet/", {"text": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert not Experience.objects.exists()


def test_unknown_area_and_year_are_404(client, coordinator):
    login(client, coordinator)
    assert client.get(f"{DRAFT}finns-inte/erfarenhet/").status_code == 404
    assert client.get("/lagesbild/karlshamn-integration/1850/").status_code == 404


def test_readers_partners_and_other_municipalities_cannot_write(client, make_user, karlshamn):
    for user in (
        make_user("reader"),
        make_user("partner"),
        make_user("coordinator", municipality="1494"),
        make_user("department", municipality="1494", department="Sektor bildning"),
    ):
        login(client, user)
        assert client.post(f"{DRAFT}arbete/erfarenhet/", {"text": "x"}).status_code == 403
        assert client.post(f"{DRAFT}arbete/analys/", {"text": "x"}).status_code == 403
        assert client.post(f"{DRAFT}publicera/").status_code == 403
        assert client.post(f"{DRAFT}publicera/", CONFIRM).status_code == 403
        assert client.get(f"{DRAFT}publicera/").status_code == 403
    assert not Experience.objects.exists() and not AreaAnalysis.objects.exists()
    assert not PublishedReport.objects.exists()


def test_representative_cannot_write_the_analysis_or_publish(client, rep):
    login(client, rep)
    assert client.post(f"{DRAFT}arbete/analys/", {"text": "x"}).status_code == 403
    assert client.post(f"{DRAFT}publicera/").status_code == 403
    assert client.post(f"{DRAFT}publicera/", CONFIRM).status_code == 403
    assert not PublishedReport.objects.exists()


def test_coordinator_writes_analysis_and_publishes(client, coordinator, stored):
    login(client, coordinator)
    assert client.post(f"{DRAFT}arbete/analys/", {"text": "Skillnaden minskar."}).status_code == 302
    assert (
        client.post(f"{DRAFT}arbete/analys/", {"text": "Skillnaden minskar långsamt."}).status_code
        == 302
    )
    assert AreaAnalysis.objects.get().text == "Skillnaden minskar långsamt."
    assert client.get(f"{DRAFT}publicera/").status_code == 200  # the confirmation step
    assert not PublishedReport.objects.exists()
    response = client.post(f"{DRAFT}publicera/", CONFIRM)
    report = PublishedReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    client.logout()
    page = client.get(report.get_absolute_url())  # published versions are public
    assert page.status_code == 200
    assert "Skillnaden minskar långsamt." in page.content.decode()
    pdf = client.get(f"{report.get_absolute_url()}lagesbild.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_index_lists_published_versions(client, coordinator, stored):
    login(client, coordinator)
    client.post(f"{DRAFT}publicera/", CONFIRM)
    client.logout()
    html = client.get("/lagesbild/").content.decode()
    assert "Lägesbild 2025, version 1" in html
    assert "Utkast till lägesbild" not in html  # drafts only for staff


def test_index_offers_drafts_for_a_chosen_year_and_names_a_bad_one(client, coordinator):
    login(client, coordinator)
    html = client.get("/lagesbild/?year=2024").content.decode()
    assert 'href="/lagesbild/karlshamn-integration/2024/"' in html
    html = client.get("/lagesbild/?year=abc").content.decode()
    assert "Ange ett år mellan 2000 och 2100." in html


def test_pages_are_translated_but_the_report_stays_swedish(client, coordinator, stored):
    login(client, coordinator)
    assert "Status report on integration" in client.get("/en/lagesbild/").content.decode()
    html = client.get(f"/en{DRAFT}").content.decode()
    assert "Download as PDF" in html
    assert '<article class="report" lang="sv">' in html


def test_publishing_asks_first_and_says_what_it_means(client, coordinator, stored):
    login(client, coordinator)
    # The draft's button leads to the confirmation page; it publishes nothing by itself.
    draft = client.get(DRAFT).content.decode()
    assert f'<form method="get" action="{DRAFT}publicera/">' in draft
    page = client.get(f"{DRAFT}publicera/").content.decode()
    assert "Publicera lägesbilden 2025 som version 1?" in page
    assert "Lägesbilden låses som version 1" in page
    assert "Version 1 blir offentlig" in page
    assert "http://testserver/lagesbild/karlshamn-integration/2025/version/1/" in page
    assert "kan inte ändras eller tas bort" in page
    assert 'name="confirm" value="yes"' in page and "required" in page
    assert 'name="number" value="1"' in page
    assert not PublishedReport.objects.exists()

    # Without the checkbox, or confirming another version than the next one: nothing.
    response = client.post(f"{DRAFT}publicera/", {"number": "1"})
    assert response.status_code == 200
    assert "Ingenting är publicerat." in response.content.decode()
    response = client.post(f"{DRAFT}publicera/", {"confirm": "yes", "number": "2"})
    assert response.status_code == 200
    assert not PublishedReport.objects.exists()

    response = client.post(f"{DRAFT}publicera/", CONFIRM)
    assert response.status_code == 302
    assert PublishedReport.objects.get().number == 1

    # The next confirmation is for version 2, and names the version already there; a
    # confirmation given for version 1 (a second click, an old tab) publishes nothing.
    page = client.get(f"{DRAFT}publicera/").content.decode()
    assert "Publicera lägesbilden 2025 som version 2?" in page
    assert "Det finns redan 1 publicerad version för 2025" in page
    response = client.post(f"{DRAFT}publicera/", CONFIRM)
    assert response.status_code == 200
    assert "En version har publicerats sedan sidan visades" in response.content.decode()
    assert PublishedReport.objects.count() == 1
    client.post(f"{DRAFT}publicera/", {"confirm": "yes", "number": "2"})
    assert list(PublishedReport.objects.values_list("number", flat=True)) == [2, 1]
