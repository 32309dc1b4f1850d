from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "lagesbild.plan"
    label = "plan"
    verbose_name = "Handlingsplan och uppföljning"
