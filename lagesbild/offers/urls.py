from django.urls import path

from lagesbild.public import sites  # noqa: F401  (registers the <kommun:…> converter)

from . import views

app_name = "offers"
urlpatterns = [
    path("<kommun:kommun>/bidra/", views.form, name="form"),
    path("<kommun:kommun>/bidra/tack/", views.thanks, name="thanks"),
    path("inkorg/", views.inbox, name="inbox"),
    path("inkorg/<int:pk>/", views.detail, name="detail"),
    path("inkorg/<int:pk>/svara/", views.answer, name="answer"),
    path("inkorg/<int:pk>/avvisa/", views.reject, name="reject"),
    path("inkorg/<int:pk>/anta/<str:as_what>/", views.accept, name="accept"),
]
