from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lagesbild.reports"
    label = "reports"
    verbose_name = "Lägesbild"
