from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lagesbild.accounts"
    label = "accounts"
    verbose_name = "Konton och roller"
