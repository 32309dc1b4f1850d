from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from lagesbild.api.endpoints import api

# Swedish lives at /, other languages under their prefix (/en/...), so links can be shared.
urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),  # JSON API, schema at /api/openapi.json
    path("oidc/", include("mozilla_django_oidc.urls")),  # single sign-on; 404 unless configured
]
urlpatterns += i18n_patterns(
    path("", include("lagesbild.core.urls")),
    path("konto/", include("lagesbild.accounts.urls")),
    path("admin/", admin.site.urls),
    path("policy/", include("lagesbild.policy.urls")),
    path("statistik/", include("lagesbild.stats.urls")),
    path("lagesbild/", include("lagesbild.reports.urls")),
    path("handlingsplan/", include("lagesbild.plan.urls")),
    path("motesgrupper/", include("lagesbild.meetings.urls")),
    path("samverkan/", include("lagesbild.agreements.urls")),
    # Each municipality's public site, /<kommun>/…, and the old /aktuellt/ addresses: last,
    # so a municipality's slug never shadows the prefixes above.
    path("", include("lagesbild.public.urls")),
    path("", include("lagesbild.civic.urls")),
    path("", include("lagesbild.offers.urls")),
    prefix_default_language=False,
)

handler500 = "lagesbild.core.views.server_error"
