from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "lagesbild.ops"
    label = "ops"
    verbose_name = "Drift"
