from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("kalender.ics", views.feed, name="feed"),
    path("evenemang/<int:pk>/", views.event_detail, name="event"),
    path("arrangor/<slug:slug>/kalender.ics", views.organiser_feed, name="organiser_feed"),
    path("motesplatser/", views.places, name="places"),
    path("motesplatser/<slug:slug>/", views.place_detail, name="place"),
    path("praktikplatser/", views.internships, name="internships"),
    path("praktikplatser/<int:pk>/", views.internship_detail, name="internship"),
    path("partner/", views.partners, name="partners"),
    path("validering/", views.guide, name="guide"),
    path("foresla/evenemang/", views.propose_event, name="propose_event"),
    path("foresla/praktikplats/", views.propose_internship, name="propose_internship"),
    path("foresla/tack/", views.thanks, name="thanks"),
    path("moderering/", views.moderation_queue, name="moderation"),
    path("moderering/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
]
