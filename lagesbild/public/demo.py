"""Demo content for the public pages: example events, places, internships, partners and guide.

Everything here is example content (is_example=True, shown with an "Exempel" badge): invented
associations, addresses on "Exempelgatan", no real statistics. The validation guide names real
Swedish authorities but its entries are examples the municipality is expected to replace.
Dates are set relative to the first run, so the calendar has events; a second run keeps what is
there (matched on the Swedish title) and adds nothing twice.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lagesbild.accounts.models import Department

from .models import (
    STOCKHOLM,
    Event,
    GuideEntry,
    InternshipPlace,
    MeetingPlace,
    Moderation,
    Partner,
    TranslationStatus,
)

MUNICIPALITY = "1082"
REVIEWED, MACHINE = TranslationStatus.REVIEWED, TranslationStatus.MACHINE


def _at(days, hour, minute=0):
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), STOCKHOLM)


def _next_weekday(weekday, hour):
    today = timezone.localdate()
    return _at((weekday - today.weekday()) % 7 or 7, hour)


def _ensure(model, key, defaults, translations=()):
    """Create once (matched on key); translations are (field, language, text, status)."""
    obj = model.objects.filter(**key).first()
    if obj is not None:
        return obj, False
    obj = model(**key, **defaults, municipality=MUNICIPALITY, is_example=True)
    for field, language, text, status in translations:
        obj.set_translation(field, language, text, status)
    obj.full_clean()
    obj.save()
    return obj, True


@transaction.atomic
def load_demo(stdout):
    created = 0

    def count(result):
        nonlocal created
        created += result[1]
        return result[0]

    sprakvanner = count(
        _ensure(
            Partner,
            {"slug": "exempel-sprakvanner"},
            {
                "name": "Föreningen Språkvänner (exempel)",
                "kind": Partner.Kind.ASSOCIATION,
                "description_sv": "Exempelförening: volontärer som träffar nyanlända för att prata svenska.",
            },
            [
                (
                    "description",
                    "ar",
                    "جمعية مثال: متطوعون يلتقون بالقادمين الجدد للتحدث بالسويدية.",
                    REVIEWED,
                )
            ],
        )
    )
    bygg = count(
        _ensure(
            Partner,
            {"slug": "exempel-bygg"},
            {
                "name": "Exempelbygg AB",
                "kind": Partner.Kind.BUSINESS,
                "description_sv": "Exempelföretag inom bygg som tar emot praktikanter.",
            },
        )
    )
    library = count(
        _ensure(
            MeetingPlace,
            {"slug": "stadsbiblioteket"},
            {
                "name_sv": "Stadsbiblioteket (exempel)",
                "address": "Exempelgatan 1, Karlshamn",
                "opening_hours_sv": "Måndag–fredag 10–19, lördag 10–14",
                "languages": "sv,ar,uk,ti",
                "description_sv": "Böcker på många språk, datorer, språkcafé och läxhjälp.",
            },
            [
                ("name", "ar", "مكتبة المدينة (مثال)", REVIEWED),
                ("opening_hours", "ar", "الاثنين–الجمعة 10–19، السبت 10–14", REVIEWED),
                (
                    "description",
                    "ar",
                    "كتب بلغات كثيرة، حواسيب، مقهى لغة ومساعدة في الواجبات المدرسية.",
                    REVIEWED,
                ),
                ("name", "en", "City library (example)", REVIEWED),
                ("name", "uk", "Міська бібліотека (приклад)", REVIEWED),
            ],
        )
    )
    family = count(
        _ensure(
            MeetingPlace,
            {"slug": "oppna-forskolan"},
            {
                "name_sv": "Öppna förskolan Mötet (exempel)",
                "address": "Exempelvägen 5, Karlshamn",
                "opening_hours_sv": "Tisdag och torsdag 9–12",
                "languages": "sv,so,ar",
                "description_sv": "För föräldrar med barn 0–5 år: lek, sång och samtal.",
            },
        )
    )

    count(
        _ensure(
            Event,
            {"title_sv": "Språkcafé (exempel)"},
            {
                "description_sv": "Öva svenska över en kopp kaffe. Alla nivåer är välkomna.",
                "start": _next_weekday(1, 18),
                "end": _next_weekday(1, 20),
                "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=30",
                "place": library,
                "organiser": sprakvanner,
                "languages": "sv,ar,uk,ti",
                "accessibility_sv": "Entré utan trappsteg, hörslinga.",
                "target_group": "everyone",
                "status": Moderation.PUBLISHED,
            },
            [
                ("title", "ar", "مقهى اللغة (مثال)", REVIEWED),
                (
                    "description",
                    "ar",
                    "تدرّب على السويدية مع فنجان قهوة. جميع المستويات مرحّب بها.",
                    REVIEWED,
                ),
                ("title", "en", "Language café (example)", REVIEWED),
                ("title", "uk", "Мовне кафе (приклад)", REVIEWED),
            ],
        )
    )
    count(
        _ensure(
            Event,
            {"title_sv": "Föräldracafé med tolk (exempel)"},
            {
                "description_sv": "Samtal om förskola och skola i Sverige. Tolk på somaliska och arabiska.",
                "start": _at(10, 9, 30),
                "end": _at(10, 11, 30),
                "place": family,
                "languages": "sv,so,ar",
                "target_group": "families",
                "status": Moderation.PUBLISHED,
            },
        )
    )
    count(
        _ensure(
            Event,
            {"title_sv": "Jobbmässa för nyanlända (exempel)"},
            {
                "description_sv": "Träffa arbetsgivare och få hjälp med ditt CV.",
                "start": _at(21, 13),
                "end": _at(21, 16),
                "address": "Exempelhallen, Exempelgatan 10, Karlshamn",
                "organiser": bygg,
                "languages": "sv,en",
                "cost_sv": "",
                "target_group": "jobseekers",
                "status": Moderation.PUBLISHED,
            },
            [("title", "en", "Job fair for newcomers (example)", MACHINE)],
        )
    )
    count(
        _ensure(
            Event,
            {"title_sv": "Fotbollsträning för unga (exempel på förslag)"},
            {
                "description_sv": "Ett förslag från en förening som väntar på granskning.",
                "start": _at(14, 17),
                "end": _at(14, 18, 30),
                "address": "Exempelplanen, Karlshamn",
                "languages": "sv,ar",
                "target_group": "youth",
                "status": Moderation.PENDING,
                "proposer_organisation": "IF Exempel",
                "proposer_email": "styrelsen@example.invalid",
            },
        )
    )

    department = Department.objects.filter(
        municipality=MUNICIPALITY, name="Barn- och ungdomsförvaltningen"
    ).first()
    count(
        _ensure(
            InternshipPlace,
            {"title_sv": "Praktik i skolkök (exempel)"},
            {
                "field_sv": "Restaurang och storkök",
                "description_sv": "Du hjälper till att laga lunch till en skola.",
                "requirements_sv": "Inga förkunskaper.",
                "swedish_level": "basic",
                "period_start": timezone.localdate() + timedelta(days=30),
                "period_end": timezone.localdate() + timedelta(days=120),
                "department": department,
                "contact": "kontaktcenter@example.invalid",
                "is_open": True,
                "status": Moderation.PUBLISHED,
            },
            [
                ("title", "ar", "تدريب في مطبخ مدرسي (مثال)", REVIEWED),
                ("field", "ar", "المطاعم والمطابخ الكبيرة", REVIEWED),
            ],
        )
    )
    count(
        _ensure(
            InternshipPlace,
            {"title_sv": "Praktik som snickare (exempel)"},
            {
                "field_sv": "Bygg",
                "description_sv": "Praktik på byggarbetsplats.",
                "swedish_level": "good",
                "period_start": timezone.localdate() - timedelta(days=30),
                "period_end": timezone.localdate() + timedelta(days=60),
                "offered_by": bygg,
                "contact": "info@example.invalid",
                "is_open": False,
                "status": Moderation.PUBLISHED,
            },
        )
    )

    guide = [
        (
            "higher",
            "Utbildning från universitet eller högskola",
            "Universitets- och högskolerådet (UHR) bedömer utländsk eftergymnasial utbildning och jämför den med svensk utbildning.",
            "Universitets- och högskolerådet",
            "https://www.uhr.se/",
        ),
        (
            "regulated",
            "Vård och omsorg med legitimation",
            "För att arbeta som till exempel läkare eller sjuksköterska behövs svensk legitimation från Socialstyrelsen.",
            "Socialstyrelsen",
            "https://www.socialstyrelsen.se/",
        ),
        (
            "regulated",
            "Lärare och förskollärare",
            "Lärarlegitimation söks hos Skolverket.",
            "Skolverket",
            "https://www.skolverket.se/",
        ),
        (
            "skills",
            "Yrkeskunskaper utan betyg",
            "Arbetsförmedlingen kan hjälpa dig att få dina yrkeskunskaper bedömda.",
            "Arbetsförmedlingen",
            "https://arbetsformedlingen.se/",
        ),
        (
            "language",
            "Svenska för invandrare (SFI)",
            "Kommunens vuxenutbildning ger SFI och hjälper dig att planera fortsatta studier.",
            "Kommunens vuxenutbildning",
            "",
        ),
    ]
    for order, (category, title, text, body, url) in enumerate(guide):
        count(
            _ensure(
                GuideEntry,
                {"title_sv": f"{title} (exempel)"},
                {
                    "category": category,
                    "description_sv": text,
                    "contact_body": body,
                    "url": url,
                    "order": order,
                },
                [("title", "ar", "تقييم الشهادات الجامعية (مثال)", REVIEWED)]
                if category == "higher"
                else [],
            )
        )

    stdout.write(
        f"Publika sidor: {created} nya exempelposter (evenemang, mötesplatser, praktik, partner, validering)."
    )
