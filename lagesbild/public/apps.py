from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "lagesbild.public"
    label = "public"
    verbose_name = "Publika sidor"
