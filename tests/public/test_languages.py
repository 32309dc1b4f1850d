"""Nine public languages: every one is served, RTL where needed, Swedish fallback with a note."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from lagesbild.public.localize import localized
from lagesbild.public.machine import NoMachineTranslation, fill_missing, get_backend
from lagesbild.public.models import TranslationStatus

RTL = {"ar", "fa", "fa-af"}
CALENDAR = "/aktuellt/?fran=2030-05-01&till=2030-05-31"


def prefix(code):
    return "" if code == "sv" else f"/{code}"


def test_the_nine_languages_are_configured():
    codes = [code for code, _name in settings.LANGUAGES]
    assert codes == ["sv", "sv-x-ll", "en", "ar", "fa", "fa-af", "so", "ti", "uk"]


@pytest.mark.parametrize("code", [c for c, _n in settings.LANGUAGES])
def test_calendar_is_served_in_each_language_with_its_direction(client, make_event, code):
    make_event()
    response = client.get(prefix(code) + CALENDAR)
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if code in RTL else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html


@pytest.mark.parametrize(
    "code,heading",
    [
        ("ar", "الفعاليات والأنشطة"),
        ("so", "Dhacdooyin iyo hawlo"),
        ("ti", "ፍጻመታትን ንጥፈታትን"),
        ("uk", "Заходи та активності"),
        ("sv-x-ll", "Saker som händer"),
        ("fa-af", "رویدادها و فعالیت‌ها"),
    ],
)
def test_interface_strings_come_from_the_shipped_catalogs(client, db, code, heading):
    assert f"<h1>{heading}</h1>" in client.get(prefix(code) + CALENDAR).content.decode()


def test_translated_title_is_shown_without_a_note(client, make_event):
    event = make_event()
    event.set_translation("title", "ar", "مقهى اللغة", TranslationStatus.REVIEWED)
    event.save()
    html = client.get(f"/ar/aktuellt/evenemang/{event.pk}/").content.decode()
    assert "<h1>مقهى اللغة</h1>" in html
    assert "يُعرض باللغة السويدية" not in html


def test_missing_translation_falls_back_to_swedish_marked_and_noted(client, make_event):
    event = make_event(title="Föräldracafé")
    html = client.get(f"/ar/aktuellt/evenemang/{event.pk}/").content.decode()
    assert '<h1><span lang="sv" dir="ltr">Föräldracafé</span></h1>' in html
    # The note is in the reader's language.
    assert "هذا النص غير متوفر بلغتك بعد" in html


def test_swedish_reader_gets_no_fallback_note(client, make_event):
    event = make_event(title="Föräldracafé")
    html = client.get(f"/aktuellt/evenemang/{event.pk}/").content.decode()
    assert "<h1>Föräldracafé</h1>" in html
    assert "translation-note" not in html


def test_machine_translation_is_shown_with_a_note(client, make_event):
    event = make_event()
    event.set_translation("title", "en", "Language café", TranslationStatus.MACHINE)
    event.save()
    html = client.get(f"/en/aktuellt/evenemang/{event.pk}/").content.decode()
    assert "<h1>Language café</h1>" in html
    assert "Machine-translated text that nobody has checked yet." in html


def test_status_is_missing_for_an_empty_field_whatever_was_stored(make_event):
    event = make_event()
    event.translation_status = {"title": {"uk": "reviewed"}}
    assert event.translation_state("title", "uk") == TranslationStatus.MISSING
    with translation.override("uk"):
        assert localized(event, "title").fallback is True


def test_default_machine_translation_backend_translates_nothing(make_event):
    event = make_event()
    assert isinstance(get_backend(), NoMachineTranslation)
    assert fill_missing(event, ["title", "description"], ["ar", "en"]) == 0
    assert event.title_ar in (None, "")


class UppercaseBackend:
    """A stand-in for a municipality's own service: known output for known input."""

    def translate(self, text, source, target):
        return f"[{target}] {text.upper()}"


@override_settings(
    PUBLIC_MACHINE_TRANSLATION_BACKEND="tests.public.test_languages.UppercaseBackend"
)
def test_a_configured_backend_fills_only_missing_fields_and_marks_them_machine(make_event):
    event = make_event(title="Språkcafé")
    event.set_translation("title", "en", "Language café", TranslationStatus.REVIEWED)
    filled = fill_missing(event, ["title"], ["en", "ar"])
    assert filled == 1
    assert event.title_en == "Language café"
    assert event.title_ar == "[ar] SPRÅKCAFÉ"
    assert event.translation_state("title", "ar") == TranslationStatus.MACHINE


def test_language_links_point_to_the_same_page_with_filters_kept(client, make_event):
    make_event()
    html = client.get("/aktuellt/?sprak=ar").content.decode()
    assert 'href="/ar/aktuellt/?sprak=ar" lang="ar" hreflang="ar" dir="rtl"' in html
    assert 'href="/so/aktuellt/?sprak=ar" lang="so"' in html


def test_staff_pages_offer_only_swedish_and_english(client, db):
    html = client.get("/policy/").content.decode()
    assert 'value="en"' in html and 'value="sv"' in html
    assert 'value="ar"' not in html
