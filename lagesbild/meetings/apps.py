from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "lagesbild.meetings"
    label = "meetings"
    verbose_name = "Arbetsgruppernas möten"
