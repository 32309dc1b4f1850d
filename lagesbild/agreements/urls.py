"""Staff pages of collaboration agreements; included under samverkan/ in i18n_patterns."""

from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("nytt/", views.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/andra/", views.agreement_edit, name="edit"),
    path("<int:pk>/dokument/", views.document_upload, name="upload"),
    path("dokument/<int:pk>/", views.document_download, name="document"),
]
