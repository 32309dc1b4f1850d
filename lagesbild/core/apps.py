from django.apps import AppConfig
from django.db.models.signals import pre_save


class CoreConfig(AppConfig):
    name = "lagesbild.core"
    label = "core"
    verbose_name = "Grund"

    def ready(self):
        from .text import clean_instance

        # Every text of the project's own models is cleaned of XML-invalid characters before
        # it is stored (lagesbild.core.text), whichever form, import or command wrote it.
        pre_save.connect(clean_instance, dispatch_uid="lagesbild.core.text.clean_instance")
