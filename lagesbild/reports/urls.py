from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("erfarenhet/<int:pk>/", views.experience_edit, name="experience_edit"),
    path("<slug:slug>/<int:year>/", views.draft, name="draft"),
    path("<slug:slug>/<int:year>/utkast.<str:fmt>", views.draft_download, name="draft_download"),
    path("<slug:slug>/<int:year>/publicera/", views.publish_view, name="publish"),
    path(
        "<slug:slug>/<int:year>/<slug:area>/erfarenhet/",
        views.experience_new,
        name="experience_new",
    ),
    path("<slug:slug>/<int:year>/<slug:area>/analys/", views.analysis_edit, name="analysis"),
    path("<slug:slug>/<int:year>/version/<int:number>/", views.published, name="published"),
    path(
        "<slug:slug>/<int:year>/version/<int:number>/lagesbild.<str:fmt>",
        views.published_download,
        name="published_download",
    ),
]
