from django.apps import AppConfig


class GeodataConfig(AppConfig):
    name = "lagesbild.geodata"
    label = "geodata"
    verbose_name = "Geodata"
