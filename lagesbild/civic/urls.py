from django.urls import path

from . import views

app_name = "civic"
urlpatterns = [
    path("<kommun:kommun>/samhallsinformation/", views.index, name="index"),
    path("<kommun:kommun>/samhallsinformation/<slug:slug>/", views.page, name="page"),
    path(
        "<kommun:kommun>/samhallsinformation/<slug:slug>/utskrift/",
        views.print_page,
        name="print",
    ),
    path("<kommun:kommun>/sok/", views.search, name="search"),
]
