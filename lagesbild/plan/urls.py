from django.urls import path

from . import views

app_name = "plan"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("ny/<slug:slug>/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/publik/", views.plan_public, name="public"),
    path("<int:pk>/andra/", views.plan_edit, name="edit"),
    path("<int:pk>/insatser/ny/", views.activity_create, name="activity_create"),
    path("<int:pk>/insatser.csv", views.export_activities, {"fmt": "csv"}, name="export_csv"),
    path("<int:pk>/insatser.xlsx", views.export_activities, {"fmt": "xlsx"}, name="export_xlsx"),
    path("<int:pk>/importera/", views.import_activities, name="import"),
    path("<int:pk>/forslag/", views.proposal_create, name="propose"),
    path("<int:pk>/uppfoljning/ny/", views.round_open, name="round_open"),
    path("insats/<int:pk>/", views.activity_detail, name="activity"),
    path("insats/<int:pk>/andra/", views.activity_edit, name="activity_edit"),
    path("insats/<int:pk>/ta-bort/", views.activity_delete, name="activity_delete"),
    path("insats/<int:pk>/handelse/", views.timeline_add, name="timeline_add"),
    path("forslag/<int:pk>/beslut/", views.proposal_review, name="proposal_review"),
    path("uppfoljning/<int:pk>/", views.round_detail, name="round"),
    path("uppfoljning/<int:pk>/stang/", views.round_close, name="round_close"),
    path("uppfoljning/<int:pk>/bedomning/", views.round_assessment, name="round_assessment"),
    path(
        "uppfoljning/<int:pk>/rapport.html", views.round_document, {"fmt": "html"}, name="doc_html"
    ),
    path("uppfoljning/<int:pk>/rapport.pdf", views.round_document, {"fmt": "pdf"}, name="doc_pdf"),
    path(
        "uppfoljning/<int:pk>/rapport.docx", views.round_document, {"fmt": "docx"}, name="doc_docx"
    ),
    path("rapport/<int:pk>/", views.report_form, name="report"),
    path("uppfoljning/<int:pk>/partner/", views.partner_ask, name="partner_ask"),
    path("partnerdel/<int:pk>/", views.partner_part, name="partner_part"),
]
