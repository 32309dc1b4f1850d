from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.login, name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # Accounts of a municipality: the coordinator's (every municipality's for admins).
    path("anvandare/", views.users, name="users"),
    path("anvandare/bjud-in/", views.invite, name="invite"),
    path("anvandare/<int:pk>/", views.user_edit, name="user_edit"),
    path("anvandare/<int:pk>/skicka-inbjudan/", views.user_resend, name="user_resend"),
    path("forvaltningar/", views.departments, name="departments"),
    path("forvaltningar/<int:pk>/", views.department_edit, name="department_edit"),
    # The invitation's link, and the user's own password.
    path("aktivera/<uidb64>/<token>/", views.ActivateView.as_view(), name="activate"),
    path("losenord/glomt/", views.password_reset, name="password_reset"),
    path("losenord/glomt/skickat/", views.password_reset_done, name="password_reset_done"),
    path(
        "losenord/nytt/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("losenord/nytt/klart/", views.password_reset_complete, name="password_reset_complete"),
    path("losenord/byt/", views.password_change, name="password_change"),
    path("losenord/byt/klart/", views.password_change_done, name="password_change_done"),
]
