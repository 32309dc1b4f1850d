from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "lagesbild.agreements"
    label = "agreements"
    verbose_name = "Samverkansavtal"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lagesbild.public.caching import on_content_change

        from .models import Agreement

        # Public agreements show on the cached public partner page: an edit must renew it.
        post_save.connect(on_content_change, sender=Agreement, dispatch_uid="agreement-save")
        post_delete.connect(on_content_change, sender=Agreement, dispatch_uid="agreement-delete")
