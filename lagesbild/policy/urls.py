from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("<slug:slug>/", views.policy_detail, name="detail"),
    path("<slug:slug>/version/<int:number>/", views.policy_detail, name="version"),
]
