from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "lagesbild.policy"
    label = "policy"
    verbose_name = "Policy"
