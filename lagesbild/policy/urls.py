from django.urls import path

from . import editor, views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    # The editor (drafts); before <slug>/ so "utkast" is not read as a policy id.
    path("utkast/ny/", editor.start, name="start"),
    path("utkast/<int:pk>/", editor.edit, name="edit"),
    path("utkast/<int:pk>/omraden/", editor.areas, name="areas"),
    path("utkast/<int:pk>/omraden/<int:index>/", editor.area_edit, name="area_edit"),
    path("utkast/<int:pk>/anta/", editor.adopt, name="adopt"),
    path("utkast/<int:pk>/importera/", editor.import_yaml, name="import"),
    path("utkast/<int:pk>/ta-bort/", editor.delete, name="draft_delete"),
    path("<slug:slug>/", views.policy_detail, name="detail"),
    path("<slug:slug>/redigera/", editor.revise, name="revise"),
    path("<slug:slug>/agenda-2030/", views.agenda2030_edit, name="agenda2030"),
    path("<slug:slug>/jamfor/", editor.compare, name="compare"),
    path("<slug:slug>/version/<int:number>/", views.policy_detail, name="version"),
    path("<slug:slug>/version/<int:number>/policy.yaml", editor.export, name="export"),
]
