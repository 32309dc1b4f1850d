from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lagesbild.core"
    label = "core"
    verbose_name = "Grund"
