from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lagesbild.accounts"
    label = "accounts"
    verbose_name = _("Konton och roller")

    def ready(self):
        from . import checks  # noqa: F401  (registers the LAGESBILD_BASE_URL deploy check)
