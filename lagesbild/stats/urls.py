from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("uppdatera/", views.refresh, name="refresh"),
    path("hamtning/<int:pk>/", views.run_detail, name="run"),
    path("hamtning/<int:pk>/status.json", views.run_status, name="run_status"),
]
