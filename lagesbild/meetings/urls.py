"""Included by the project at motesgrupper/ (inside i18n_patterns)."""

from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("ny/", views.group_create, name="group_create"),
    path("<int:pk>/", views.group_detail, name="group"),
    path("<int:pk>/andra/", views.group_edit, name="group_edit"),
    path("<int:pk>/nytt-mote/", views.meeting_create, name="meeting_create"),
    path("mote/<int:pk>/", views.meeting_detail, name="meeting"),
    path("mote/<int:pk>/andra/", views.meeting_edit, name="meeting_edit"),
    path("mote/<int:pk>/kalla/", views.send_invitation, name="invite"),
    path("mote/<int:pk>/narvaro/", views.attendance, name="attendance"),
    path("mote/<int:pk>/anteckningar/", views.minutes, name="minutes"),
    path("mote/<int:pk>/justera/", views.approve, name="approve"),
    path("mote/<int:pk>/protokoll.pdf", views.minutes_file, {"fmt": "pdf"}, name="minutes_pdf"),
    path("mote/<int:pk>/protokoll.docx", views.minutes_file, {"fmt": "docx"}, name="minutes_docx"),
    path("mote/<int:pk>/punkt/", views.agenda_add, name="agenda_add"),
    path("punkt/<int:pk>/andra/", views.agenda_edit, name="agenda_edit"),
    path("mote/<int:pk>/atgard/", views.point_add, name="point_add"),
    path("atgard/<int:pk>/andra/", views.point_edit, name="point_edit"),
    path("atgard/<int:pk>/klar/", views.point_done, name="point_done"),
]
