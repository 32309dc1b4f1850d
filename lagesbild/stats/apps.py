from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "lagesbild.stats"
    label = "stats"
    verbose_name = "Statistik"
