from django.conf import settings

from lagesbild import __version__
from lagesbild.accounts.models import role_of


def site(request):
    return {
        "lagesbild_version": __version__,
        "user_role": role_of(request.user) if hasattr(request, "user") else None,
        "debug": settings.DEBUG,
        # The municipality whose public page this is (lagesbild.public.sites), else None.
        "public_site": getattr(request, "public_site", None),
    }
