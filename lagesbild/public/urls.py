"""The public pages, under each municipality (/<kommun>/…), and the staff moderation queue.

The pages lived under /aktuellt/ before each municipality had its own site: those addresses
(shared in newsletters and calendars) redirect to the municipality's page (views.old_address).
"""

from django.urls import path

from . import views  # importing views registers <kommun:…> (sites.py)

app_name = "public"
urlpatterns = [
    path("<kommun:kommun>/", views.site_start, name="start"),
    path("<kommun:kommun>/aktuellt/", views.calendar, name="calendar"),
    path("<kommun:kommun>/kalender.ics", views.feed, name="feed"),
    path("<kommun:kommun>/evenemang/<int:pk>/", views.event_detail, name="event"),
    path(
        "<kommun:kommun>/arrangor/<slug:slug>/kalender.ics",
        views.organiser_feed,
        name="organiser_feed",
    ),
    path("<kommun:kommun>/motesplatser/", views.places, name="places"),
    path("<kommun:kommun>/motesplatser/<slug:slug>/", views.place_detail, name="place"),
    path("<kommun:kommun>/praktikplatser/", views.internships, name="internships"),
    path("<kommun:kommun>/praktikplatser/<int:pk>/", views.internship_detail, name="internship"),
    path("<kommun:kommun>/partner/", views.partners, name="partners"),
    path("<kommun:kommun>/validering/", views.guide, name="guide"),
    path("<kommun:kommun>/foresla/evenemang/", views.propose_event, name="propose_event"),
    path(
        "<kommun:kommun>/foresla/praktikplats/", views.propose_internship, name="propose_internship"
    ),
    path("<kommun:kommun>/foresla/tack/", views.thanks, name="thanks"),
    path("<kommun:kommun>/logotyp", views.logo, name="logo"),
    path("<kommun:kommun>/tema.css", views.theme, name="theme"),
    path("<kommun:kommun>/sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("aktuellt/moderering/", views.moderation_queue, name="moderation"),
    path("aktuellt/moderering/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
    path("aktuellt/", views.old_address, {"rest": ""}, name="old_address_root"),
    path("aktuellt/<path:rest>", views.old_address, name="old_address"),
]
