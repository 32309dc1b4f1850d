from django.urls import path

from . import local_indicators, upload, views

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("indikatorer/", local_indicators.local_indicator_list, name="local_indicators"),
    path("indikatorer/ny/", local_indicators.local_indicator_new, name="local_indicator_new"),
    path(
        "indikatorer/<int:pk>/", local_indicators.local_indicator_edit, name="local_indicator_edit"
    ),
    path("uppdatera/", views.refresh, name="refresh"),
    path("exempeldata/las-in/", views.example_load, name="example_load"),
    path("exempeldata/ta-bort/", views.example_remove, name="example_remove"),
    path("importera/", upload.upload, name="upload"),
    path("importera/bekrafta/", upload.confirm, name="upload_confirm"),
    path("hamtning/<int:pk>/", views.run_detail, name="run"),
    path("hamtning/<int:pk>/status.json", views.run_status, name="run_status"),
]
