from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "lagesbild.public"
    label = "public"
    verbose_name = "Publika sidor"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import checks  # noqa: F401  (registers the catalog check)
        from .caching import on_content_change
        from .models import Event, GuideEntry, InternshipPlace, MeetingPlace, Partner, PublicSite

        for model in (Event, GuideEntry, InternshipPlace, MeetingPlace, Partner, PublicSite):
            post_save.connect(
                on_content_change, sender=model, dispatch_uid=f"public-{model.__name__}-save"
            )
            post_delete.connect(
                on_content_change, sender=model, dispatch_uid=f"public-{model.__name__}-delete"
            )
