from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lagesbild.api"
    verbose_name = "API"
