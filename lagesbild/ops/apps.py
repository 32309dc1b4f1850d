from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "lagesbild.ops"
    label = "ops"
    verbose_name = "Drift"

    def ready(self):
        from . import personal_data

        personal_data.register_builtin()
