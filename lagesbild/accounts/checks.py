"""Deploy check: the links in e-mails need the site's address (LAGESBILD_BASE_URL).

Reminders are sent by a command, outside any request, so without it their links are relative
("/handlingsplan/rapport/4/") and open nothing from a mail program. `lagesbild check --deploy`
reports a missing or incomplete address as an error.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .services import base_url_problem


@register(Tags.security, deploy=True)
def check_base_url(app_configs=None, **kwargs):
    problem = base_url_problem(settings.BASE_URL)
    if not problem:
        return []
    return [
        Error(
            f"LAGESBILD_BASE_URL: {problem}",
            hint="Länkarna i e-post (påminnelser, inbjudningar) behöver webbplatsens adress.",
            id="lagesbild.E010",
        )
    ]
