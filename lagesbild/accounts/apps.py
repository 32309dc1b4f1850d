from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lagesbild.accounts"
    label = "accounts"
    verbose_name = _("Konton och roller")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers the LAGESBILD_BASE_URL deploy check)

        post_migrate.connect(_refresh_coordinators, dispatch_uid="coordinator-admin")


def _refresh_coordinators(app_config, **kwargs):
    """A new app's admin (civic information, meetings, agreements) reaches the coordinators who
    exist already: their admin permissions are set again after every migrate, once, after the
    last app's permissions are made (post_migrate is sent once per app, in order)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    if app_config is not list(apps.get_app_configs())[-1]:
        return

    from .models import Role
    from .services import set_coordinator_admin

    users = get_user_model().objects.filter(profile__role=Role.COORDINATOR, is_superuser=False)
    for user in users.select_related("profile"):
        set_coordinator_admin(user)
