from django.apps import AppConfig


class CivicConfig(AppConfig):
    name = "lagesbild.civic"
    label = "civic"
    verbose_name = "Samhällsinformation"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from lagesbild.public.caching import on_content_change

        from .models import CivicLink, CivicPage

        # Cached public pages (the index, search) must show an edit at once, like other content.
        for model in (CivicPage, CivicLink):
            post_save.connect(
                on_content_change, sender=model, dispatch_uid=f"civic-{model.__name__}-save"
            )
            post_delete.connect(
                on_content_change, sender=model, dispatch_uid=f"civic-{model.__name__}-delete"
            )

        # The municipality's sitemap lists its civic pages too.
        from lagesbild.public.views import SITEMAP_SECTIONS

        SITEMAP_SECTIONS.append(published_page_urls)


def published_page_urls(site):
    from .models import CivicPage

    pages = CivicPage.objects.filter(municipality=site.code, is_published=True)
    return [p.get_absolute_url() for p in pages]
